"""``corsprobe suggest``: the minimal CORS configuration, in one layer's own syntax, that meets every
expectation of the given scenario files (allowed and blocked rows, readable headers, methods, headers,
credentials). Reads files; sends no request."""

from __future__ import annotations

from typing import Any

import click

from corsprobe.commands import common
from corsprobe.layers import layer_ids, named_layer
from corsprobe.layers.base import Layer, Policy


def layer_named(layer_id: str) -> Layer:
    """The registered layer ``layer_id`` (a usage error when corsprobe has none)."""
    layer = named_layer(layer_id)
    if layer is None:
        common.usage_error(f"no layer {layer_id!r}; one of: {', '.join(layer_ids())}")
    return layer


def describe(policy: Policy) -> list[str]:
    """The policy in words, one line each (printed as comments above the configuration)."""
    none = "(none)"
    return [
        f"origins:     {', '.join(policy.origins) or none}",
        f"methods:     {', '.join(policy.methods) or 'GET, HEAD, POST only'}",
        f"headers:     {', '.join(policy.headers) or none}",
        f"credentials: {'yes' if policy.credentials else 'no'}",
        f"expose:      {', '.join(policy.expose) or none}",
    ]


@click.command()
@common.scenario_options
@click.option("--layer", "layer_id", required=True, metavar="ID",
              help="The CORS layer to write the configuration for (starlette, express-cors, flask-cors, ...).")
@click.option("--base-url", help="Base URL for files that name none (only paths are used).")
@click.option("--env", "env", help="Use the named [env.NAME] table.")
def suggest(paths: tuple[str, ...], layer_id: str, base_url: str | None, env: str | None, **options: Any) -> None:
    """Print the minimal configuration for one CORS layer that meets the scenarios' expectations."""
    from corsprobe.layers.policy import derive

    options.setdefault("secrets", ())
    jobs, _secrets = common.load(paths, base_url or "http://corsprobe.invalid", env, options)
    layer = layer_named(layer_id)
    derived = derive(jobs)
    if derived.conflicts:
        common.usage_error("; ".join(derived.conflicts))
    if not derived.allowed_rows:
        common.usage_error("no probe expects 'allowed': nothing to configure (a server without CORS blocks all)")
    comment = "//" if layer_id in ("express-cors", "fastify-cors") else "#"
    click.echo(f"{comment} corsprobe suggest --layer {layer_id}: {derived.allowed_rows} allowed and "
               f"{derived.blocked_rows} blocked rows")
    for line in describe(derived.policy):
        click.echo(f"{comment}   {line}")
    click.echo(layer.suggest(derived.policy), nl=False)
