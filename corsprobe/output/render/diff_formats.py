"""Output of ``corsprobe diff``: table, JSON and Markdown of the rows that differ. Pure."""

from __future__ import annotations

import json

from tabulate import tabulate

from corsprobe.output.diff import Diff
from corsprobe.output.secrets import Masker

DIFF_FORMATS = ("table", "json", "markdown")


def render_diff(diff: Diff, fmt: str, masker: Masker) -> str:
    text = {"json": _json, "markdown": _markdown}.get(fmt, _table)(diff)
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


def _table(diff: Diff) -> str:
    parts = []
    if diff.changed:
        parts.append(tabulate(_cells(diff), headers=["name", "field", diff.left_label, diff.right_label],
                              tablefmt="simple", maxcolwidths=[40, 40, 40, 40]))
    parts.append(summary_line(diff))
    return "\n\n".join(parts) + "\n"


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
