"""The human format: one table row per probe, then fixes, warnings and (with -v) the raw
exchanges, secrets masked. Pure; returns text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from corsprobe.model import Result, Verdict
from corsprobe.output.engines import differences, disagreement
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.layout import Column, table, wrap, wrap_code
from corsprobe.output.report import summarize
from corsprobe.output.reproduce import reproduce
from corsprobe.output.view import Row, exchange_lines

# Verdict colours: allowed green, blocked red, error magenta (not the warnings' yellow), unchecked cyan.
_COLORS = {Verdict.ALLOWED: "32", Verdict.BLOCKED: "31", Verdict.ERROR: "35", Verdict.UNCHECKED: "36"}
_RED, _GREEN, _YELLOW = "1;31", "32", "33"
# Column order; ``drop``: which go first when the terminal is narrow; ``shrink_to``: cut with an ellipsis.
_COLUMNS = (
    Column("#", drop=3), Column("name", drop=7, shrink_to=20), Column("origin", drop=6, shrink_to=20),
    Column("method", drop=4), Column("creds", drop=1), Column("preflight", drop=5), Column("actual", drop=2),
    Column("verdict"),
)
_EXPECT, _REASON = Column("expect"), Column("reason")


def render(results: Sequence[Result], options: RenderOptions) -> str:
    if options.layout == "steps":
        from corsprobe.output.render import steps

        return steps.render(results, options)
    rows = [Row.of(r) for r in results]
    with_expect = any(r.expect is not None for r in results)
    columns = [*_COLUMNS, *([_EXPECT] if with_expect else []), _REASON]
    cells = [_cells(i, row, with_expect) for i, row in enumerate(rows, 1)]
    paint = _painter(rows, with_expect) if options.color else None
    parts = [table(columns, cells, options.width, paint)]
    notes = _notes(rows, options)
    if notes:
        parts.append("\n".join(notes))
    summary = _summary_line(results)
    if options.interrupted:
        summary += " (interrupted: only the rows finished before the signal)"
    parts.append("\n".join(wrap(summary, options.width)))
    return options.masker.text("\n\n".join(parts)) + "\n"


def _cells(index: int, row: Row, with_expect: bool) -> list[str]:
    probe, outcome = row.result.probe, row.result.outcome
    cells = [str(index), row.name, probe.origin, row.method_label, _creds(row), row.preflight_label,
             row.actual_label, outcome.verdict.value.upper()]
    if with_expect:
        cells.append(_expect(row))
    cells.append(_reason(row))
    return cells


def _painter(rows: Sequence[Row], with_expect: bool) -> Callable[[int, int, str], str]:
    verdict_column, expect_column = len(_COLUMNS) - 1, len(_COLUMNS)

    def paint(index: int, column: int, cell: str) -> str:
        result = rows[index].result
        if column == verdict_column:
            # A row that failed its expectation is red whatever its verdict.
            code = _RED if result.passed is False else _COLORS[result.outcome.verdict]
        elif with_expect and column == expect_column and result.passed is not None:
            code = _RED if result.passed is False else _GREEN
        else:
            return cell
        text = cell.rstrip()
        return f"\x1b[{code}m{text}\x1b[0m{cell[len(text):]}"

    return paint


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
    width = options.width
    for index, row in enumerate(rows, 1):
        lines: list[str] = []
        note = row.expectation_note()
        if note:
            lines += _painted(wrap(note, width, "    ", "  FAILED: "), _RED, options)
        for line in row.fix_block():
            if line.startswith("  "):
                lines += wrap(line.strip(), width, "        ", "    ")
            else:
                lines += wrap(line, width, "    ", "  ")
        if options.show_readable and row.result.outcome.verdict is Verdict.ALLOWED:
            readable = row.result.outcome.readable_headers
            lines += wrap(', '.join(readable) if readable else "(no response headers)", width, "    ", "  readable: ")
        differ = differences(row.result)
        if differ:
            lines += ["  engines differ:", *(line for part in differ for line in wrap(part, width, "      ", "    "))]
        for _, text in row.warnings():
            if len(rows_by_warning[text]) == 1:
                lines += _painted(wrap(text, width, "    ", "  warning: "), _YELLOW, options)
        if options.verbose:
            for line in exchange_lines(row.result.exchanges, options.masker, row.result.extra):
                lines += wrap(line, width, "      ", "  ")
            lines += reproduce_lines(row, options)
        if lines:
            notes.append("\n".join([*wrap(f"#{index} {row.name}", width, "  "), *lines]))
    for text, indexes in rows_by_warning.items():
        if len(indexes) > 1:
            notes.append("\n".join(_painted(
                wrap(text, width, "  ", f"warning for {', '.join(f'#{i}' for i in indexes)}: "), _YELLOW, options)))
    return notes


def _painted(lines: list[str], code: str, options: RenderOptions) -> list[str]:
    return [f"\x1b[{code}m{line}\x1b[0m" for line in lines] if options.color else lines


def reproduce_lines(row: Row, options: RenderOptions) -> list[str]:
    """-v: the curl commands for what corsprobe sent, and the page's fetch()."""
    again, width = reproduce(row.result, options.masker), options.width
    lines = wrap("reproduce with curl (each request as sent):", width, "    ", "  ")
    for command in again.curl:
        lines += wrap_code(command, width, "$ ", continuation=" \\")
    origin = row.result.probe.origin
    lines += wrap(f"reproduce in the DevTools console of a page on {origin}:", width, "    ", "  ")
    lines += wrap_code(again.fetch, width)
    return lines


def _summary_line(results: Sequence[Result]) -> str:
    line = summarize(results).describe()
    if any(r.engines for r in results):
        differ = sum(1 for r in results if disagreement(r))
        names = ", ".join(e.browser for e in results[0].engines) if results else ""
        line += f"; engines ({names}) differ on {differ} of {len(results)} rows (verdicts shown: Chromium's)"
    return line
