"""The human format: one table row per probe, then fixes, warnings and (with -v) the raw
exchanges, secrets masked. Pure; returns text.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from corsprobe.model import Result, Verdict
from corsprobe.output.render import RenderOptions
from corsprobe.output.report import summarize
from corsprobe.output.view import Row, exchange_lines

_COLORS = {Verdict.ALLOWED: "32", Verdict.BLOCKED: "31", Verdict.ERROR: "33", Verdict.UNCHECKED: "36"}
_REASON_WIDTH = 60


def render(results: Sequence[Result], options: RenderOptions) -> str:
    rows = [Row.of(r) for r in results]
    with_expect = any(r.expect is not None for r in results)
    headers = ["#", "name", "origin", "method", "creds", "preflight", "actual", "verdict"]
    if with_expect:
        headers.append("expect")
    headers.append("reason")
    table = [_cells(i, row, options, with_expect) for i, row in enumerate(rows, 1)]
    widths: list[int | None] = [None] * (len(headers) - 1) + [_REASON_WIDTH]
    parts = [tabulate(table, headers=headers, tablefmt="simple", maxcolwidths=widths)]
    notes = _notes(rows, options)
    if notes:
        parts.append("\n".join(notes))
    parts.append(_summary_line(results))
    return options.masker.text("\n\n".join(parts)) + "\n"


def _cells(index: int, row: Row, options: RenderOptions, with_expect: bool) -> list[str]:
    probe, outcome = row.result.probe, row.result.outcome
    verdict = outcome.verdict.value.upper()
    if options.color:
        verdict = f"\x1b[{_COLORS[outcome.verdict]}m{verdict}\x1b[0m"
    cells = [str(index), row.name, probe.origin, row.method_label, _creds(row), row.preflight_label,
             row.actual_label, verdict]
    if with_expect:
        cells.append(_expect(row))
    cells.append(_reason(row))
    return cells


def _creds(row: Row) -> str:
    return "yes" if row.result.probe.credentials.value == "include" else "no"


def _expect(row: Row) -> str:
    expect = row.result.expect
    if expect is None:
        return ""
    mark = {True: "ok", False: "FAIL", None: "n/a"}[row.result.passed]
    return f"{expect.verdict.value} {mark}"


def _reason(row: Row) -> str:
    failure = row.failure
    code = f"[{failure.reason.value}] " if failure is not None else ""
    return code + row.explanation()


def _notes(rows: Sequence[Row], options: RenderOptions) -> list[str]:
    """Per row: failed expectation, fix, its own warnings, exchanges; then the warnings that
    several rows share, once each."""
    rows_by_warning: dict[str, list[int]] = {}
    for index, row in enumerate(rows, 1):
        for _, text in row.warnings():
            rows_by_warning.setdefault(text, []).append(index)
    notes: list[str] = []
    for index, row in enumerate(rows, 1):
        lines: list[str] = []
        note = row.expectation_note()
        if note:
            lines.append(f"  FAILED: {note}")
        lines += [f"  {line}" for line in row.fix_block()]
        lines += [f"  warning: {text}" for _, text in row.warnings() if len(rows_by_warning[text]) == 1]
        if options.verbose:
            lines += [f"  {line}" for line in exchange_lines(row.result.exchanges, options.masker,
                                                                   row.result.extra)]
        if lines:
            notes.append(f"#{index} {row.name}\n" + "\n".join(lines))
    for text, indexes in rows_by_warning.items():
        if len(indexes) > 1:
            notes.append(f"warning for {', '.join(f'#{i}' for i in indexes)}: {text}")
    return notes


def _summary_line(results: Sequence[Result]) -> str:
    return summarize(results).describe()
