"""One self-contained HTML report: summary counts, filters, and per row the verdict, reason, fix,
warnings, a sequence diagram of the exchanges and the raw header lines (CORS ones highlighted);
for a URL probed with several origins or methods, an origin x method grid coloured by verdict.

Inline CSS and a little inline JS; no external resource, so it works offline and as a CI artifact.
Pure; returns text. Every string is masked before it is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from corsprobe.browser import spec
from corsprobe.model import Exchange, Result, Stage
from corsprobe.output.render import RenderOptions
from corsprobe.output.report import summarize
from corsprobe.output.secrets import Masker
from corsprobe.output.view import Row, protocol_marker, status_line, visible

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#1b1f24;background:#fff}
h1{font-size:1.4em}.counts span{margin-right:1em}.filters{margin:1em 0;display:flex;gap:1em;flex-wrap:wrap}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top}
.v-allowed{background:#dafbe1}.v-blocked{background:#ffebe9}.v-error{background:#fbefff}.v-unchecked{background:#ddf4ff}
.fail{color:#cf222e;font-weight:bold}.ok{color:#1a7f37}.warn{color:#9a6700}
details{border:1px solid #d0d7de;border-radius:6px;margin:.5em 0;padding:.4em .8em}
details.row[hidden]{display:none}summary{cursor:pointer}pre{background:#f6f8fa;padding:.5em;overflow:auto}
mark{background:#fff8c5}svg text{font:12px monospace}.grid td{text-align:center}
"""
_JS = """
function applyFilters(){
  var failed=document.getElementById('f-failed').checked, blocked=document.getElementById('f-blocked').checked,
      error=document.getElementById('f-error').checked, origin=document.getElementById('f-origin').value;
  var rows=document.querySelectorAll('details.row'), shown=0;
  rows.forEach(function(r){
    var keep=(!failed||r.dataset.passed==='false')&&(!blocked||r.dataset.verdict==='blocked')
      &&(!error||r.dataset.verdict==='error')&&(!origin||r.dataset.origin===origin);
    r.hidden=!keep; if(keep){shown++;}
  });
  document.getElementById('shown').textContent=shown+' of '+rows.length+' rows shown';
}
document.querySelectorAll('.filters input,.filters select').forEach(function(e){
  e.addEventListener('change',applyFilters);
});
applyFilters();
"""


def render(results: Sequence[Result], options: RenderOptions) -> str:
    mask = options.masker
    rows = [Row.of(r) for r in results]
    summary = summarize(results)
    origins = sorted({mask.text(r.probe.origin) for r in results})
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width">', "<title>corsprobe report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>corsprobe: CORS verdicts</h1>",
        f'<p class="summary">{_e(summary.describe(every_verdict=True))}</p>',
        '<div class="counts">' + "".join(f'<span class="v-{v}">{_e(v)}: {n}</span>'
                                        for v, n in summary.verdicts.items()) + "</div>",
        '<div class="filters"><label><input type="checkbox" id="f-failed"> failed expectations</label>'
        '<label><input type="checkbox" id="f-blocked"> blocked</label>'
        '<label><input type="checkbox" id="f-error"> error</label>'
        '<label>origin <select id="f-origin"><option value="">any</option>'
        + "".join(f'<option value="{_e(o)}">{_e(o)}</option>' for o in origins)
        + '</select></label> <span id="shown"></span></div>',
        _grids(results, mask),
        *(_row(i, row, mask) for i, row in enumerate(rows, 1)),
        f"<script>{_JS}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _e(text: str) -> str:
    return html.escape(visible(text), quote=True)


def _row(index: int, row: Row, mask: Masker) -> str:
    result = row.result
    probe, outcome = result.probe, result.outcome
    verdict = outcome.verdict.value
    passed = {True: "true", False: "false", None: "none"}[result.passed]
    expect = ""
    if result.expect is not None:
        mark = {True: ('ok', 'met'), False: ('fail', 'FAILED'), None: ('', 'not evaluated')}[result.passed]
        expect = f' <span class="{mark[0]}">expected {_e(result.expect.verdict.value)}: {mark[1]}</span>'
    code = f" <code>{_e(row.failure.reason.value)}</code>" if row.failure is not None else ""
    body = [f'<p>{_e(mask.text(row.explanation()))}</p>']
    note = row.expectation_note()
    if note:
        body.append(f'<p class="fail">FAILED: {_e(mask.text(note))}</p>')
    for line in row.fix_block():
        label, _, text = line.strip().partition(": ")
        css = ' class="config"' if line.startswith("  ") else ""
        body.append(f"<p{css}><b>{_e(mask.text(label))}:</b> {_e(mask.text(text))}</p>")
    body += [f'<p class="warn">warning ({_e(w.reason.value)}): {_e(mask.text(text))}</p>' for w, text in row.warnings()]
    if outcome.actual_checked:
        body.append(f"<p>readable by the script: {_e(', '.join(outcome.readable_headers) or '(none)')}</p>")
    body.append(_diagram(probe.origin, result.exchanges, row, mask))
    body.append(_raw(result.exchanges, mask))
    source = f" <small>{_e(mask.text(str(result.source)))}</small>" if result.source else ""
    opened = " open" if result.passed is False or verdict == "error" else ""
    return (f'<details class="row v-{verdict}"{opened} id="row-{index}" data-verdict="{verdict}" '
            f'data-passed="{passed}" '
            f'data-origin="{_e(mask.text(probe.origin))}"><summary>#{index} <b>{_e(mask.text(row.name))}</b> '
            f"{_e(mask.text(probe.origin))} {_e(row.method_label)} — <b>{verdict.upper()}</b>{code}{expect}{source}"
            "</summary>" + "".join(body) + "</details>")


def _deciding(exchange: Exchange) -> str:
    """The header that decided the exchange, for the arrow's label."""
    response = exchange.response
    if response is None:
        return exchange.error or "no response"
    acao = response.combined("access-control-allow-origin")
    label = f"{protocol_marker(exchange)}{response.status}"
    label += f" · ACAO: {acao}" if acao is not None else " · no ACAO"
    if exchange.request.stage is Stage.PREFLIGHT:
        methods = response.combined("access-control-allow-methods")
        if methods is not None:
            label += f" · ACAM: {methods}"
    return label


def _diagram(origin: str, exchanges: Sequence[Exchange], row: Row, mask: Masker) -> str:
    """A sequence diagram: page and server lifelines, one arrow per request and per response."""
    if not exchanges:
        return "<p><i>nothing was sent</i></p>"
    left, right, step = 110, 590, 34
    height = 40 + step * 2 * len(exchanges)
    server = mask.text(exchanges[0].request.url.split("/", 3)[2] if "//" in exchanges[0].request.url else "server")
    parts = [f'<svg class="sequence" role="img" aria-label="sequence diagram" width="700" height="{height}" '
             f'viewBox="0 0 700 {height}" xmlns="http://www.w3.org/2000/svg">',
             '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto">'
             '<path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
             f'<text x="{left}" y="14" text-anchor="middle">page {_e(mask.text(origin))[:40]}</text>',
             f'<text x="{right}" y="14" text-anchor="middle">server {_e(server)[:40]}</text>',
             f'<line x1="{left}" y1="20" x2="{left}" y2="{height}" stroke="#888" stroke-dasharray="4"/>',
             f'<line x1="{right}" y1="20" x2="{right}" y2="{height}" stroke="#888" stroke-dasharray="4"/>']
    y = 40
    for exchange in exchanges:
        request = exchange.request
        label = f"{request.method} ({request.stage.value})"
        acrm = request.header("access-control-request-method")
        if acrm:
            label += f" ACRM: {acrm}"
        parts.append(_arrow(left, right, y, mask.text(label), "request"))
        y += step
        parts.append(_arrow(right, left, y, mask.text(_deciding(exchange)), "response"))
        y += step
    parts.append("</svg>")
    return "".join(parts)


def _arrow(x1: int, x2: int, y: int, label: str, kind: str) -> str:
    return (f'<g class="arrow {kind}"><line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#333" '
            f'marker-end="url(#arrow)"/><text x="{(x1 + x2) // 2}" y="{y - 5}" text-anchor="middle">'
            f"{_e(label[:80])}</text></g>")


def _raw(exchanges: Sequence[Exchange], mask: Masker) -> str:
    lines: list[str] = []
    for exchange in exchanges:
        request = exchange.request
        lines.append(_e(f"> {request.method} {mask.text(request.url)}   ({request.stage.value})"))
        lines += [_line(">", n, v) for n, v in mask.headers(request.headers)]
        if exchange.response is None:
            lines.append(_e(f"< (no response: {mask.text(exchange.error or '')})"))
            continue
        lines.append(_e(f"< {status_line(exchange.response)}"))
        lines += [_line("<", n, v) for n, v in mask.headers(exchange.response.headers)]
        lines += [_e(f"< (read as Chromium reads it: {note})") for note in exchange.response.read_as]
        lines += [_e(f"< (as received) {line!r}") for line in exchange.response.received]
    return "<pre class=\"raw\">" + "\n".join(mask.text(line) for line in lines) + "</pre>"


def _line(direction: str, name: str, value: str) -> str:
    text = _e(f"{direction} {name}: {value}")
    lower = name.lower()
    cors = lower.startswith("access-control-") or lower in ("origin", "vary")
    return f"<mark>{text}</mark>" if cors else text


def _grids(results: Sequence[Result], mask: Masker) -> str:
    """An origin x method grid for each URL probed with more than one origin or method."""
    by_url: dict[str, list[Result]] = {}
    for result in results:
        by_url.setdefault(result.probe.url, []).append(result)
    grids = []
    for url, group in by_url.items():
        origins = list(dict.fromkeys(r.probe.origin for r in group))
        methods = list(dict.fromkeys(spec.normalize_method(r.probe.method) for r in group))
        if len(origins) < 2 and len(methods) < 2:
            continue
        cell = {(r.probe.origin, spec.normalize_method(r.probe.method)): r.outcome.verdict.value for r in group}
        head = "".join(f"<th>{_e(m)}</th>" for m in methods)
        body = "".join(
            f"<tr><th>{_e(mask.text(o))}</th>" + "".join(
                f'<td class="v-{cell.get((o, m), "")}">{_e(cell.get((o, m), "-"))}</td>' for m in methods) + "</tr>"
            for o in origins)
        grids.append(f'<h2>{_e(mask.text(url))}</h2><table class="grid"><tr><th>origin \\ method</th>{head}</tr>'
                     f"{body}</table>")
    return "\n".join(grids)
