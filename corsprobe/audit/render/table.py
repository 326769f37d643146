"""The terminal table: one row per finding (URL, code, severity, origin that got through, credentials,
one-line why), then each finding's fix, the URLs without findings, and a summary line. Pure."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from tabulate import tabulate

from corsprobe.audit.codes import DESCRIPTIONS
from corsprobe.audit.model import Audit
from corsprobe.audit.render import label, summary_text
from corsprobe.output.secrets import Masker

WHY_WIDTH = 60


def render(audits: Sequence[Audit], masker: Masker) -> str:
    rows = []
    notes = []
    number = 0
    for audit in audits:
        for item in audit.findings:
            number += 1
            rows.append([number, masker.text(label(audit)), item.code.value, item.severity.value, item.origin,
                         "yes" if item.credentials else "no", textwrap.fill(DESCRIPTIONS[item.code], WHY_WIDTH)])
            notes.append(f"#{number} {item.code.value} ({item.severity.value}): {masker.text(item.explanation)}\n"
                         f"  fix: {masker.text(item.fix)}")
            if item.implied:
                notes.append(f"  implies: {', '.join(c.value for c in item.implied)}")
    parts = []
    if rows:
        parts.append(tabulate(rows, headers=["#", "url", "code", "severity", "origin", "creds", "why"]))
        parts.append("\n".join(notes))
    quiet = [a for a in audits if not a.findings and a.error is None]
    if quiet:
        parts.append("\n".join(f"no findings: {masker.text(label(a))} ({a.requests} requests)" for a in quiet))
    errors = [a for a in audits if a.error is not None]
    if errors:
        parts.append("\n".join(f"could not audit {masker.text(label(a))}: {masker.text(a.error or '')}"
                               for a in errors))
    stops = [a for a in audits if a.stopped]
    if stops:
        parts.append("\n".join(f"{masker.text(label(a))}: stopped after {a.requests} requests, {a.stopped}"
                               for a in stops))
    parts.append(summary_text(audits))
    return "\n\n".join(parts) + "\n"


def exchanges(audits: Sequence[Audit], masker: Masker) -> str:
    """``-v``: every request of every URL (method, Origin, the preflight's asks) and what came back."""
    lines = []
    for audit in audits:
        lines.append(f"{masker.text(label(audit))}: {audit.requests} requests")
        for exchange in audit.exchanges:
            request, response = exchange.request, exchange.response
            asks = [f"{n}: {v}" for n, v in request.headers if n.lower().startswith("access-control-request-")]
            sent = f"  {request.method} Origin: {request.header('origin') or '-'}" + (f" ({'; '.join(asks)})"
                                                                                    if asks else "")
            if response is None:
                lines.append(f"{sent} -> {masker.text(exchange.error or 'no response')}")
                continue
            cors = [f"{n}: {masker.header(n, v)}" for n, v in response.headers
                    if n.lower().startswith("access-control-") or n.lower() == "vary"]
            version = "" if response.http_version == "HTTP/1.1" else f" ({response.http_version})"
            lines.append(f"{sent} -> {response.status}{version}" + (f" [{'; '.join(cors)}]" if cors else ""))
    return "\n".join(lines) + "\n"
