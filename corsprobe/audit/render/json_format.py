"""The JSON report (a contract: version 1; later versions only add fields). Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence

from corsprobe.audit.model import Audit, AuditFinding
from corsprobe.audit.render import summary
from corsprobe.output.secrets import Masker

VERSION = 1


def document(audits: Sequence[Audit], masker: Masker) -> dict[str, object]:
    return {"version": VERSION, "audits": [_audit(a, masker) for a in audits], "summary": summary(audits)}


def render(audits: Sequence[Audit], masker: Masker) -> str:
    return json.dumps(document(audits, masker), indent=2) + "\n"


def _audit(audit: Audit, masker: Masker) -> dict[str, object]:
    target = audit.target
    return {
        "url": masker.text(target.url), "name": target.name or None, "source": target.source,
        "app_origins": list(target.app_origins), "methods": list(target.methods),
        "headers": [[n, masker.header(n, v)] for n, v in target.headers],
        "requests": audit.requests, "origins_skipped": audit.skipped_origins, "stopped": audit.stopped,
        "layer": audit.layer, "error": masker.text(audit.error) if audit.error else None,
        "findings": [finding(f, masker) for f in audit.findings],
    }


def finding(item: AuditFinding, masker: Masker) -> dict[str, object]:
    evidence = item.evidence
    return {
        "code": item.code.value, "severity": item.severity.value, "origin": item.origin,
        "credentials": item.credentials,
        "evidence": {
            "method": evidence.method, "url": masker.text(evidence.url), "status": evidence.status,
            "http_version": evidence.http_version,
            "request_headers": [list(pair) for pair in masker.headers(evidence.request_headers)],
            "response_headers": [list(pair) for pair in masker.headers(evidence.response_headers)],
        },
        "explanation": masker.text(item.explanation), "fix": masker.text(item.fix),
        "implied": [code.value for code in item.implied],
    }
