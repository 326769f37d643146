"""``corsprobe diff --format html``: one self-contained page with the two sides in columns. Pure."""

from __future__ import annotations

import html

from corsprobe.output.diff import Diff

_CSS = ("body{font:14px/1.45 system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
        "td,th{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top}"
        ".same{color:#57606a}.differs td.side{background:#fff8c5}")


def render(diff: Diff, summary: str) -> str:
    left, right = html.escape(diff.left_label), html.escape(diff.right_label)
    rows = []
    for row in diff.rows:
        if not row.differences:
            rows.append(f'<tr class="same"><td>{html.escape(row.name)}</td><td colspan="3">same</td></tr>')
            continue
        for index, difference in enumerate(row.differences):
            name = html.escape(row.name) if index == 0 else ""
            rows.append(f'<tr class="differs"><td>{name}</td><td>{html.escape(difference.field)}</td>'
                        f'<td class="side">{_cell(difference.left)}</td>'
                        f'<td class="side">{_cell(difference.right)}</td></tr>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>corsprobe diff</title>"
            f"<style>{_CSS}</style></head><body><h1>corsprobe diff: {left} vs {right}</h1>"
            f"<p>{html.escape(summary)}</p><table><tr><th>name</th><th>field</th><th>{left}</th><th>{right}</th></tr>"
            + "".join(rows) + "</table></body></html>\n")


def _cell(value: str | None) -> str:
    return "<i>(absent)</i>" if value is None else html.escape(value)
