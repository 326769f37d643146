"""SARIF 2.1.0 for code-scanning upload: one rule per finding code, one result per finding. Pure.

Levels: critical and high are ``error``, medium and low ``warning``, info ``note``; each rule carries
GitHub's ``security-severity`` for its worst case. A result points at the ``[[audit]]`` table's file and
line when the target came from a scenario file, otherwise at the audited URL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from corsprobe import __version__
from corsprobe.audit.codes import CREDENTIALED_SEVERITY, DESCRIPTIONS, FIXED_SEVERITY, Code, Severity
from corsprobe.audit.model import Audit, AuditFinding
from corsprobe.audit.render.json_format import finding as json_finding
from corsprobe.output.render.junit import split_source
from corsprobe.output.secrets import Masker

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "warning",
          Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0",
                     Severity.INFO: "0.0"}
INFORMATION_URI = "https://github.com/corsprobe/corsprobe#audit"


def render(audits: Sequence[Audit], masker: Masker) -> str:
    codes = list(Code)
    results = [_result(audit, item, codes.index(item.code), masker) for audit in audits for item in audit.findings]
    notifications = [{"level": "error", "message": {"text": masker.text(f"could not audit {a.target.url}: {a.error}")}}
                     for a in audits if a.error is not None]
    run: dict[str, object] = {
        "tool": {"driver": {"name": "corsprobe", "version": __version__, "informationUri": INFORMATION_URI,
                            "rules": [_rule(code) for code in codes]}},
        "results": results,
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def _rule(code: Code) -> dict[str, object]:
    worst = CREDENTIALED_SEVERITY.get(code) or FIXED_SEVERITY[code]
    name = "".join(part.capitalize() for part in code.value.split("_"))
    return {
        "id": code.value, "name": name,
        "shortDescription": {"text": DESCRIPTIONS[code]},
        "fullDescription": {"text": DESCRIPTIONS[code] + (
            " (severity with credentials; readable without credentials it is low)" if code in CREDENTIALED_SEVERITY
            else "")},
        "helpUri": INFORMATION_URI,
        "defaultConfiguration": {"level": LEVELS[worst]},
        "properties": {"tags": ["security", "cors"], "security-severity": SECURITY_SEVERITY[worst]},
    }


def _result(audit: Audit, item: AuditFinding, index: int, masker: Masker) -> dict[str, object]:
    path, line = split_source(audit.target.source)
    location: dict[str, object] = {"uri": path} if path else {"uri": masker.text(audit.target.url)}
    physical: dict[str, object] = {"artifactLocation": location}
    if path and line:
        physical["region"] = {"startLine": line}
    key = f"{audit.target.url}|{item.code.value}|{item.origin}"
    return {
        "ruleId": item.code.value, "ruleIndex": index, "level": LEVELS[item.severity],
        "message": {"text": masker.text(f"{audit.target.url}: {item.explanation} Fix: {item.fix}")},
        "locations": [{"physicalLocation": physical,
                       "logicalLocations": [{"name": masker.text(audit.target.url), "kind": "resource"}]}],
        "partialFingerprints": {"corsprobeFinding/v1": hashlib.sha256(key.encode()).hexdigest()[:32]},
        "properties": {"severity": item.severity.value, "security-severity": SECURITY_SEVERITY[item.severity],
                       "url": masker.text(audit.target.url), **json_finding(item, masker)},
    }
