"""``corsprobe diff``: the same probes against two environments."""

from __future__ import annotations

import sys
from typing import Any

import click

from corsprobe.commands import common
from corsprobe.model import Verdict
from corsprobe.output.report import ExitStatus
from corsprobe.output.secrets import masker_for


@click.command()
@common.scenario_options
@click.option("--env", "envs", multiple=True, metavar="NAME", help="An environment to compare (give two).")
@click.option("--base-url", "base_urls", multiple=True, metavar="URL", help="A base URL to compare (give two).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "html"]), default="table",
              show_default=True, help="Output format on stdout.")
@click.option("--report-html", type=click.Path(dir_okay=False), help="Also write the diff as HTML here.")
@click.option("--ignore-header", "ignore_headers", multiple=True, metavar="NAME",
              help="Leave this response header out of the comparison (repeatable), e.g. Access-Control-Max-Age.")
@common.network_options
def diff(paths: tuple[str, ...], envs: tuple[str, ...], base_urls: tuple[str, ...], fmt: str,
         ignore_headers: tuple[str, ...], report_html: str | None, **options: Any) -> None:
    """Run the same probes against two environments and show what differs."""
    from corsprobe.output.diff import compare
    from corsprobe.output.render.diff_formats import failed_side_line, render_diff

    sides: list[tuple[str, str | None, str | None]] = [(e, None, e) for e in envs]
    sides += [(u, u, None) for u in base_urls]
    if len(sides) != 2:
        raise click.UsageError("give exactly two of --env NAME / --base-url URL to compare")
    loaded = [common.load(paths, base, env, options) for _label, base, env in sides]
    results = [common.probe_all(jobs, options) for jobs, _ in loaded]
    secrets = loaded[0][1] | loaded[1][1]
    masker = masker_for([*results[0], *results[1], *sides], secrets | common.declared_secrets(options))
    left, right = ([masker.value(r) for r in side] for side in results)
    outcome = compare(left, right, masker.text(sides[0][0]), masker.text(sides[1][0]), ignore_headers)
    failed = failed_side_line(outcome)
    if failed is not None:
        # Nothing to compare: one line instead of a field-by-field list of one side's errors.
        click.echo(f"corsprobe: {masker.text(failed)}", err=True)
        sys.exit(ExitStatus.PROBE_ERROR)
    from corsprobe.console import Terminal, write_file

    click.echo(render_diff(outcome, fmt, masker, Terminal.current().width()), nl=False)
    if report_html:
        try:
            write_file(report_html, render_diff(outcome, "html", masker))
        except OSError as error:
            common.usage_error(f"cannot write a report: {error}")
    if outcome.changed:
        sys.exit(ExitStatus.EXPECTATION_FAILED)
    errors = any(r.outcome.verdict is Verdict.ERROR for side in results for r in side)
    sys.exit(ExitStatus.PROBE_ERROR if errors else ExitStatus.OK)
