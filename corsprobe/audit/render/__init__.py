"""Audit output formats: one module per format, each ``render(audits, masker) -> str``. Pure.

Every renderer masks header values through the Masker before printing them (Authorization, Cookie,
secret-looking names, declared secrets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from importlib import import_module

from corsprobe.audit.codes import Severity
from corsprobe.audit.model import Audit
from corsprobe.output.secrets import Masker

Renderer = Callable[[Sequence[Audit], Masker], str]
FORMATS = ("table", "json", "markdown", "junit", "github", "sarif")
_MODULES = {"table": "table", "json": "json_format", "markdown": "markdown", "junit": "junit",
            "github": "github", "sarif": "sarif"}


def renderer(name: str) -> Renderer:
    """The render function of format ``name`` (imported only when used)."""
    module = import_module(f"corsprobe.audit.render.{_MODULES[name]}")
    render: Renderer = module.render
    return render


def severity_counts(audits: Sequence[Audit]) -> dict[str, int]:
    counts = Counter(f.severity.value for a in audits for f in a.findings)
    return {s.value: counts.get(s.value, 0) for s in reversed(Severity)}


def summary(audits: Sequence[Audit]) -> dict[str, object]:
    return {
        "urls": len(audits),
        "audited": sum(1 for a in audits if a.error is None),
        "errors": sum(1 for a in audits if a.error is not None),
        "requests": sum(a.requests for a in audits),
        "findings": sum(len(a.findings) for a in audits),
        "severities": severity_counts(audits),
    }


def summary_text(audits: Sequence[Audit]) -> str:
    """'3 URLs audited with 96 requests: 2 findings (1 critical, 1 low); 1 URL could not be audited'."""
    data = summary(audits)
    counts = severity_counts(audits)
    urls = int(str(data["audited"]))
    found = int(str(data["findings"]))
    text = f"{urls} URL{'s' if urls != 1 else ''} audited with {data['requests']} requests: "
    text += f"{found} finding{'s' if found != 1 else ''}"
    if found:
        text += " (" + ", ".join(f"{n} {s}" for s, n in counts.items() if n) + ")"
    errors = int(str(data["errors"]))
    if errors:
        text += f"; {errors} URL{'s' if errors != 1 else ''} could not be audited"
    return text


def label(audit: Audit) -> str:
    return audit.target.name or audit.target.url
