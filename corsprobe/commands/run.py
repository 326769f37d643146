"""``corsprobe run``: scenario files."""

from __future__ import annotations

from typing import Any

import click

from corsprobe.commands import common


@click.command()
@common.scenario_options
@click.option("--base-url", help="Use this base URL instead of the files' (or the environment's).")
@click.option("--env", "env", help="Use the named [env.NAME] table.")
@click.option("--layout", type=click.Choice(["table", "steps"]), default="table",
              show_default=True, help="The human format's layout: one table row per probe, or step by step.")
@common.output_options
@common.network_options
def run(paths: tuple[str, ...], base_url: str | None, env: str | None, **options: Any) -> None:
    """Run scenario files (or every *.toml under a directory)."""
    jobs, secrets = common.load(paths, base_url, env, options)
    common.finish(common.probe_all(jobs, options), options, secrets)
