"""``corsprobe explain`` output: what was read from the paste, the usual rows, and the browser's
reason next to the live verdict. Secrets masked by the given Masker. Pure; returns text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

from corsprobe.model import Result
from corsprobe.output.render import RenderOptions, table
from corsprobe.output.render.json_format import VERSION, result_dict
from corsprobe.output.report import summarize
from corsprobe.output.view import Row
from corsprobe.paste.compare import Comparison
from corsprobe.paste.item import Pasted


def parsed_dict(item: Pasted, options: RenderOptions) -> dict[str, Any]:
    mask = options.masker
    return {
        "kind": item.kind.value,
        "url": item.url,
        "origin": item.origin,
        "method": item.method,
        "headers": [[n, mask.header(n, v)] for n, v in item.headers],
        "credentials": item.credentials.value if item.credentials else None,
        "browser_reason": item.browser_reason.value if item.browser_reason else None,
        "browser_text": mask.text(item.browser_text),
        "failed": item.failed,
        "unknown": list(item.unknown),
        "notes": [mask.text(n) for n in item.notes],
    }


def render_json(items: Sequence[Pasted], results: Sequence[Result], comparisons: Sequence[Comparison],
                options: RenderOptions) -> str:
    rows = []
    for result, comparison in zip(results, comparisons, strict=True):
        row = result_dict(Row.of(result), options)
        row["explain"] = {"agreement": comparison.agreement.value, "why": comparison.why}
        rows.append(row)
    document: dict[str, Any] = {"version": VERSION, "parsed": [parsed_dict(i, options) for i in items],
                                "results": rows}
    if results:
        document["summary"] = summarize(results).as_dict()
    return options.masker.text(json.dumps(document, indent=2)) + "\n"


def render_parsed(items: Sequence[Pasted], options: RenderOptions) -> str:
    """--dry-run: one line per request read from the paste, and its notes."""
    cells = [[i, item.kind.value, item.method + ("?" if "method" in item.unknown else ""), item.url,
              item.origin or "?", ", ".join(n for n, _ in item.headers) or "-",
              item.credentials.value if item.credentials else "?",
              item.browser_reason.value if item.browser_reason else "-"]
             for i, item in enumerate(items, 1)]
    text = tabulate(cells, headers=["#", "from", "method", "url", "origin", "headers", "creds", "browser reason"],
                    tablefmt="simple", maxcolwidths=[None, None, None, 50, None, 30, None, None])
    notes = [f"#{i} {note}" for i, item in enumerate(items, 1) for note in item.notes]
    unknown = "? = not in the paste: corsprobe's default is used (method GET, credentials omit)"
    return options.masker.text("\n\n".join([text, *(["\n".join(notes)] if notes else []), unknown])) + "\n"


def render_table(items: Sequence[Pasted], results: Sequence[Result], comparisons: Sequence[Comparison],
                 options: RenderOptions) -> str:
    lines = []
    for i, (item, comparison) in enumerate(zip(items, comparisons, strict=True), 1):
        if item.browser_reason is None and item.failed is None:
            lines.append(f"#{i} {item.kind.value}: {comparison.why}")
        else:
            said = item.browser_reason.value if item.browser_reason else ("failed" if item.failed else "allowed")
            lines.append(f"#{i} {item.kind.value} said {said}: {comparison.agreement.value.upper()} - "
                         f"{comparison.why}")
        lines += [f"   note: {note}" for note in item.notes]
    return table.render(results, options) + "\nbrowser vs live:\n" + options.masker.text("\n".join(lines)) + "\n"
