"""GitHub Actions workflow commands: one annotation per finding (``::error`` for high and critical,
``::warning`` for medium and low, ``::notice`` for info), pointing at the ``[[audit]]`` table when the
target came from a scenario file, then a summary line. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.audit.codes import Severity
from corsprobe.audit.model import Audit
from corsprobe.audit.render import label, summary_text
from corsprobe.output.render.github import escape_data, escape_property
from corsprobe.output.render.junit import split_source
from corsprobe.output.secrets import Masker

LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "warning",
          Severity.INFO: "notice"}


def render(audits: Sequence[Audit], masker: Masker) -> str:
    lines = []
    for audit in audits:
        path, number = split_source(audit.target.source)
        where = [("file", path), ("line", None if number is None else str(number))]
        for item in audit.findings:
            title = f"CORS {item.severity.value}: {item.code.value} on {label(audit)}"
            props = ",".join(f"{k}={escape_property(masker.text(v))}" for k, v in [*where, ("title", title)] if v)
            message = f"{item.explanation}\nFix: {item.fix}"
            lines.append(f"::{LEVELS[item.severity]} {props}::{escape_data(masker.text(message))}")
        if audit.error is not None:
            props = ",".join(f"{k}={escape_property(v)}" for k, v in where if v)
            text = f"could not audit {label(audit)}: {audit.error}"
            lines.append(f"::error {props}::{escape_data(masker.text(text))}".replace("::error ::", "::error::"))
    lines.append(f"corsprobe audit: {summary_text(audits)}")
    return "\n".join(lines) + "\n"
