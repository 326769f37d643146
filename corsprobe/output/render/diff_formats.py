"""Output of ``corsprobe diff``: table, JSON and Markdown of the rows that differ. Pure."""

from __future__ import annotations

import json

from corsprobe.output.diff import Diff, DiffRow
from corsprobe.output.render.layout import wrap
from corsprobe.output.secrets import Masker

DIFF_FORMATS = ("table", "json", "markdown", "html")


def render_diff(diff: Diff, fmt: str, masker: Masker, width: int = 100) -> str:
    """The diff in ``fmt``; the table fits ``width`` (columns when they fit, else one block per row)."""
    if fmt == "html":
        from corsprobe.output.render.diff_html import render as render_html

        return masker.text(render_html(diff, summary_line(diff)))
    text = {"json": _json, "markdown": _markdown}.get(fmt, lambda d: _table(d, width))(diff)
    return masker.text(text)


def summary_line(diff: Diff) -> str:
    changed = len(diff.changed)
    if not changed:
        return f"{_rows(len(diff.rows))} compared: {diff.left_label} and {diff.right_label} agree."
    fields = sum(len(row.differences) for row in diff.changed)
    return (f"{_rows(len(diff.rows))} compared: {changed} {'differs' if changed == 1 else 'differ'} between "
            f"{diff.left_label} and {diff.right_label} ({fields} field{'s' if fields != 1 else ''}).")


def failed_side_line(diff: Diff) -> str | None:
    """One line for a side on which no row could be probed, e.g. 'production: every row failed: …'."""
    failed = diff.failed_side()
    if failed is None:
        return None
    label, errors = failed
    shown = "; ".join(errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
    return f"{label}: every row failed: {shown}"


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"


def _cells(diff: Diff) -> list[list[str]]:
    cells = []
    for row in diff.changed:
        for index, difference in enumerate(row.differences):
            cells.append([row.name if index == 0 else "", difference.field,
                          _show(difference.left), _show(difference.right)])
    return cells


def _show(value: str | None) -> str:
    return "(absent)" if value is None else value


def _table(diff: Diff, width: int) -> str:
    parts = []
    if diff.changed:
        headers = ["name", "field", diff.left_label, diff.right_label]
        cells = _cells(diff)
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
        if sum(widths) + 2 * 3 <= width:
            lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
                     "  ".join("-" * w for w in widths)]
            lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip() for cell in cells]
            parts.append("\n".join(lines))
        else:
            parts.append("\n\n".join(_block(row, diff, width) for row in diff.changed))
    parts.append("\n".join(wrap(summary_line(diff), width)))
    return "\n\n".join(parts) + "\n"


def _block(row: DiffRow, diff: Diff, width: int) -> str:
    """One differing row for a narrow terminal: its name, then each field with both sides under it."""
    label = max(len(diff.left_label), len(diff.right_label)) + 1
    lines = wrap(row.name, width, "  ")
    for difference in row.differences:
        lines += wrap(difference.field, width, "    ", "  ")
        for side, value in ((diff.left_label, difference.left), (diff.right_label, difference.right)):
            lines += wrap(_show(value), width, " " * (label + 5), f"    {(side + ':').ljust(label)} ")
    return "\n".join(lines)


def _markdown(diff: Diff) -> str:
    lines = [f"## corsprobe diff: {diff.left_label} vs {diff.right_label}", "", summary_line(diff)]
    if diff.changed:
        lines += ["", f"| name | field | {diff.left_label} | {diff.right_label} |", "| --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in _cells(diff)]
    return "\n".join(lines) + "\n"


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def _json(diff: Diff) -> str:
    document = {
        "version": 1,
        "left": diff.left_label,
        "right": diff.right_label,
        "rows": [
            {"name": row.name, "differs": bool(row.differences),
             "differences": [{"field": d.field, "left": d.left, "right": d.right} for d in row.differences]}
            for row in diff.rows
        ],
        "summary": {"rows": len(diff.rows), "differing": len(diff.changed)},
    }
    return json.dumps(document, indent=2) + "\n"
