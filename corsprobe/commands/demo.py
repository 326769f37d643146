"""``corsprobe demo``: the whole product on a built-in local API."""

from __future__ import annotations

import sys
from typing import Any

import click

from corsprobe.commands import common


@click.command()
@common.output_options
@common.network_options
@common.concurrency_option
def demo(**options: Any) -> None:
    """Start a local demo API, run the demo scenarios against it, print the table."""
    from corsprobe import demo as demo_server
    from corsprobe.model import Result
    from corsprobe.output.report import ExitStatus
    from corsprobe.scenarios.parse import parse

    async def go() -> list[Result]:
        async with demo_server.serve() as base:
            jobs = parse(demo_server.demo_scenario_text(), "scenarios/demo.toml", base_url=base)
            return await common.run(jobs, options)

    results = common.interruptible(go())
    status = common.finish(results, options, exit_now=False)
    click.echo("This was the demo: one expectation fails on purpose (the loose API lets "
               "https://evil.example read authenticated data).", err=True)
    sys.exit(ExitStatus.PROBE_ERROR if status is ExitStatus.PROBE_ERROR else ExitStatus.OK)
