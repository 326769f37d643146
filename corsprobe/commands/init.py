"""``corsprobe init --openapi``: write a scenario file generated from an API's OpenAPI description."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from corsprobe.commands import common
from corsprobe.commands.openapi_options import generated, generation_options
from corsprobe.errors import ScenarioError
from corsprobe.scenarios.parse import Context, load

DEFAULT_OUTPUT = "cors-openapi.toml"
#: Validation stands in this base URL when neither the description nor --base-url names one (run needs --base-url).
VALIDATION_BASE = "https://base-url.invalid"


@click.command()
@click.option("--openapi", "location", required=True, metavar="URL|FILE",
              help="The OpenAPI description: a file, its URL, or the API's base URL (the usual locations are tried).")
@click.option("-o", "--output", default=DEFAULT_OUTPUT, show_default=True, metavar="PATH",
              help="Write the scenario file here ('-' for stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--base-url",
              help="The API's base URL (default: the description's servers[0], else where it was served).")
@generation_options
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds for fetching the description.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="Verify TLS with this CA (PEM).")
@click.option("--proxy", help="Proxy URL (default: the environment's proxy variables).")
def init(location: str, output: str, force: bool, base_url: str | None, **options: Any) -> None:
    """Write a scenario file with one probe per operation of an OpenAPI description."""
    target = None if output == "-" else Path(output)
    if target is not None and target.exists() and not force:
        common.usage_error(f"{target} exists; pass --force to overwrite it, or -o PATH")
    try:
        text, label = generated(location, base_url, options)
        # The generated text must pass the same loader and validation as a hand-written file.
        variables, environ = _placeholders(text)
        stand_in = None if base_url or "\nbase_url = " in text else VALIDATION_BASE
        load(text, label, Context(base_url=base_url or stand_in, variables=variables, environ=environ))
    except ScenarioError as error:
        common.usage_error(str(error))
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        common.usage_error(f"cannot write {target}: {error.strerror or error}")
    probes = text.count("\n[[probe]]\n")
    click.echo(f"corsprobe: wrote {target} ({probes} probes); run it with: corsprobe run {target}", err=True)


def _placeholders(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Stand-in values for the file's ${name} and ${env:NAME}, so validation needs neither --var nor secrets yet."""
    found = re.findall(r"\$\{(env:)?([^}]+)\}", text)
    return ({name: "1" for env, name in found if not env}, {name: "1" for env, name in found if env})
