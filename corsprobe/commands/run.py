"""``corsprobe run``: scenario files."""

from __future__ import annotations

from typing import Any

import click

from corsprobe.commands import common


@click.command()
@common.scenario_options
@click.option("--base-url", help="Use this base URL instead of the files' (or the environment's).")
@click.option("--env", "env", help="Use the named [env.NAME] table.")
@common.output_options
@common.network_options
@common.concurrency_option
def run(paths: tuple[str, ...], base_url: str | None, env: str | None, **options: Any) -> None:
    """Run scenario files (or every *.toml under a directory)."""
    jobs, secrets = common.load(paths, base_url, env, options)
    common.finish(common.probe_all(jobs, options), options, secrets)
