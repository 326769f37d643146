"""Markdown for PR comments and the GitHub step summary: a findings table, fixes, a summary. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.audit.codes import DESCRIPTIONS
from corsprobe.audit.model import Audit
from corsprobe.audit.render import label, summary_text
from corsprobe.output.secrets import Masker


def render(audits: Sequence[Audit], masker: Masker) -> str:
    lines = ["## corsprobe audit", "", summary_text(audits), ""]
    findings = [(a, f) for a in audits for f in a.findings]
    if findings:
        lines += ["| # | URL | code | severity | origin | credentials | why |", "|---|---|---|---|---|---|---|"]
        for number, (audit, item) in enumerate(findings, 1):
            cells = [str(number), masker.text(label(audit)), f"`{item.code.value}`", item.severity.value,
                     f"`{item.origin}`", "yes" if item.credentials else "no", DESCRIPTIONS[item.code]]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines += ["", "### Fixes", ""]
        for number, (_audit, item) in enumerate(findings, 1):
            lines.append(f"{number}. **{item.code.value}** — {_cell(masker.text(item.explanation))} "
                         f"Fix: {_cell(masker.text(item.fix))}")
        lines.append("")
    for audit in audits:
        if audit.error is not None:
            lines.append(f"- could not audit {masker.text(label(audit))}: {_cell(masker.text(audit.error))}")
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
