"""``corsprobe diff``: the same probes against two environments."""

from __future__ import annotations

import sys
from typing import Any

import click

from corsprobe.commands import common


@click.command()
@common.scenario_options
@click.option("--env", "envs", multiple=True, metavar="NAME", help="An environment to compare (give two).")
@click.option("--base-url", "base_urls", multiple=True, metavar="URL", help="A base URL to compare (give two).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format on stdout.")
@common.network_options
@common.concurrency_option
def diff(paths: tuple[str, ...], envs: tuple[str, ...], base_urls: tuple[str, ...], fmt: str,
         **options: Any) -> None:
    """Run the same probes against two environments and show what differs."""
    from corsprobe.model import Verdict
    from corsprobe.output.diff import compare
    from corsprobe.output.render.diff_formats import render_diff
    from corsprobe.output.report import ExitStatus
    from corsprobe.output.secrets import masker_for

    sides: list[tuple[str, str | None, str | None]] = [(e, None, e) for e in envs]
    sides += [(u, u, None) for u in base_urls]
    if len(sides) != 2:
        raise click.UsageError("give exactly two of --env NAME / --base-url URL to compare")
    loaded = [common.load(paths, base, env, options) for _label, base, env in sides]
    results = [common.probe_all(jobs, options) for jobs, _ in loaded]
    secrets = loaded[0][1] | loaded[1][1]
    masker = masker_for([*results[0], *results[1], *sides], secrets | common.declared_secrets(options))
    left, right = ([masker.value(r) for r in side] for side in results)
    outcome = compare(left, right, masker.text(sides[0][0]), masker.text(sides[1][0]))
    click.echo(render_diff(outcome, fmt, masker), nl=False)
    if outcome.changed:
        sys.exit(ExitStatus.EXPECTATION_FAILED)
    errors = any(r.outcome.verdict is Verdict.ERROR for side in results for r in side)
    sys.exit(ExitStatus.PROBE_ERROR if errors else ExitStatus.OK)
