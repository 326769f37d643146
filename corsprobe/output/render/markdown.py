"""GitHub-flavoured Markdown for PR comments and step summaries: a summary line, one table
row per probe, then details (why, fix, warnings) for the rows that need attention. Pure.

Every string is masked before it is escaped, so escaping cannot split a secret.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from corsprobe.model import Credentials, Result, Verdict
from corsprobe.output.engines import differences
from corsprobe.output.render import RenderOptions
from corsprobe.output.report import summarize
from corsprobe.output.secrets import Masker
from corsprobe.output.view import Row, exchange_lines

HEADERS = ("#", "name", "origin", "method", "creds", "preflight", "actual", "verdict", "expectation",
           "reason code")
_EXPECTATION = {True: "met", False: "FAILED", None: "not evaluated"}


def render(results: Sequence[Result], options: RenderOptions) -> str:
    rows = [Row.of(r) for r in results]
    parts = ["### corsprobe: CORS verdicts", summary_text(results), _table(rows, options.masker)]
    details = [_details(i, row, options) for i, row in enumerate(rows, 1)
               if options.verbose or _needs_details(row)]
    if details:
        parts.append("#### Details\n\n" + "\n\n".join(details))
    return "\n\n".join(parts) + "\n"


def summary_text(results: Sequence[Result]) -> str:
    """'3 probes: 1 allowed, 2 blocked; expectations: 2 met, 1 failed' (every verdict counted)."""
    return summarize(results).describe(every_verdict=True)


def cells(index: int, row: Row) -> list[str]:
    """The unescaped, unmasked cell texts of one row, in ``HEADERS`` order."""
    result = row.result
    probe, outcome, failure = result.probe, result.outcome, row.failure
    expect = "-" if result.expect is None else f"{result.expect.verdict.value} ({_EXPECTATION[result.passed]})"
    return [str(index), row.name, probe.origin, row.method_label,
            "yes" if probe.credentials is Credentials.INCLUDE else "no", row.preflight_label, row.actual_label,
            outcome.verdict.value, expect, failure.reason.value if failure is not None else "-"]


def escape_cell(text: str) -> str:
    """Text safe inside one GFM table cell: no HTML, no pipes, no line breaks."""
    text = html.escape(text, quote=False).replace("|", "\\|")
    return "<br>".join(text.splitlines()) if text else ""


def escape_inline(text: str) -> str:
    """Text safe as one line of a list item."""
    return " ".join(html.escape(text, quote=False).split())


def _table(rows: Sequence[Row], masker: Masker) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for index, row in enumerate(rows, 1):
        lines.append("| " + " | ".join(escape_cell(masker.text(c)) for c in cells(index, row)) + " |")
    return "\n".join(lines)


def _needs_details(row: Row) -> bool:
    result = row.result
    return (result.passed is False or result.outcome.verdict in (Verdict.BLOCKED, Verdict.ERROR)
            or bool(row.warnings()) or bool(differences(result)))


def _details(index: int, row: Row, options: RenderOptions) -> str:
    mask = options.masker.text
    result = row.result
    code = f" (`{row.failure.reason.value}`)" if row.failure is not None else ""
    items = [f"- **#{index} {escape_inline(mask(row.name))}**: {result.outcome.verdict.value}{code}"]
    note = row.expectation_note()
    if note:
        items.append(f"  - Failed: {escape_inline(mask(note))}")
    items.append(f"  - Why: {escape_inline(mask(row.explanation()))}")
    for line in row.fix_block():
        indent = "    " if line.startswith("  ") else "  "
        items.append(f"{indent}- {escape_inline(mask(line[0].upper() + line[1:].lstrip()))}")
    differ = differences(result)
    if differ:
        items += ["  - Engines differ:", *(f"    - {escape_inline(mask(part))}" for part in differ)]
    items += [f"  - Warning (`{w.reason.value}`): {escape_inline(mask(text))}" for w, text in row.warnings()]
    if options.verbose and result.exchanges:
        raw = "\n".join(mask(line) for line in exchange_lines(result.exchanges, options.masker, result.extra))
        fence = "`" * max(3, _longest_backtick_run(raw) + 1)
        items.append(f"\n<details><summary>exchanges of #{index}</summary>\n\n{fence}text\n{raw}\n{fence}\n\n"
                     "</details>")
    return "\n".join(items)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest


