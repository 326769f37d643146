"""``corsprobe run``: scenario files, and/or the probes generated from an OpenAPI description."""

from __future__ import annotations

import os
import re
from typing import Any

import click

from corsprobe.commands import common
from corsprobe.commands.openapi_options import generated, generation_options
from corsprobe.errors import ScenarioError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@common.scenario_flags
@click.option("--base-url", help="Use this base URL instead of the files' (or the environment's).")
@click.option("--env", "env", help="Use the named [env.NAME] table.")
@click.option("--layout", type=click.Choice(["table", "steps"]), default="table",
              show_default=True, help="The human format's layout: one table row per probe, or step by step.")
@click.option("--openapi", "openapi", metavar="URL|FILE",
              help="Also run the probes generated from this OpenAPI description (PATHS become optional).")
@generation_options
@common.output_options
@common.network_options
@common.concurrency_option
def run(paths: tuple[str, ...], base_url: str | None, env: str | None, openapi: str | None, **options: Any) -> None:
    """Run scenario files (or every *.toml under a directory)."""
    texts: list[tuple[str, str]] = []
    if openapi is None:
        if not paths:
            raise click.UsageError("give scenario files or directories (PATHS), or --openapi URL|FILE")
        used = [flag for flag, key in (("--origin", "app_origins"), ("--include", "include"),
                                       ("--exclude", "exclude"), ("--tag", "tags")) if options[key]]
        used += [f for f, k in (("--credentials", "with_credentials"), ("--send-unsafe", "send_unsafe"),
                                ("--expect-readable-declared", "expect_readable_declared")) if options[k]]
        if used:
            raise click.UsageError(f"{', '.join(used)}: only with --openapi (they shape the probes it generates)")
    else:
        try:
            texts.append(generated(openapi, base_url, options))
        except ScenarioError as error:
            common.usage_error(str(error))
        _require_secrets(texts[-1][0])
    jobs, secrets = common.load(paths, base_url, env, options, texts)
    common.stream(jobs, options, secrets)


def _require_secrets(text: str) -> None:
    """Name the environment variable a generated probe needs before the loader meets it without context."""
    for name, note in re.findall(r"^#   \$\{env:([^}]+)\}: (.*)$", text, flags=re.MULTILINE):
        if name not in os.environ:
            common.usage_error(f"set the environment variable {name} ({note}), or leave those operations out "
                               "with --exclude/--tag")
