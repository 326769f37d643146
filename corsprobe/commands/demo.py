"""``corsprobe demo``: the whole product on a built-in local API."""

from __future__ import annotations

import sys
from typing import Any

import click

from corsprobe.commands import common


@click.command()
@click.option("--serve", is_flag=True, help="Only start the demo API and keep it running until Ctrl-C.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0,
              help="The demo API's port on 127.0.0.1 (default: a free one; the README's examples use 8000).")
@common.output_options
@common.network_options
@common.concurrency_option
def demo(serve: bool, port: int, **options: Any) -> None:
    """Start a local demo API, run the demo scenarios against it, print the table."""
    from corsprobe import demo as demo_server
    from corsprobe.model import Result
    from corsprobe.output.report import ExitStatus
    from corsprobe.scenarios.parse import parse

    if serve:
        common.interruptible(_serve_forever(port))
        return

    async def go() -> list[Result]:
        async with demo_server.serve(port) as base:
            jobs = parse(demo_server.demo_scenario_text(), "scenarios/demo.toml", base_url=base)
            return await common.run(jobs, options)

    results = common.interruptible(go())
    status = common.finish(results, options, exit_now=False)
    click.echo("This was the demo: one expectation fails on purpose (the loose API lets "
               "https://evil.example read authenticated data).", err=True)
    sys.exit(ExitStatus.PROBE_ERROR if status == ExitStatus.PROBE_ERROR else ExitStatus.OK)


async def _serve_forever(port: int) -> None:
    import asyncio

    from corsprobe import demo as demo_server

    try:
        async with demo_server.serve(port) as base:
            click.echo(f"demo API on {base} (/good, /strict, /loose); Ctrl-C stops it", err=True)
            await asyncio.Event().wait()
    except OSError as error:
        common.usage_error(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}")
