"""JUnit XML: one testsuite per audit, one testcase per finding code, a <failure> per code found (its
severity in ``type``; info findings are not failures, their text goes to system-out), an <error> when the
URL could not be audited. Pure; texts masked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from corsprobe.audit.codes import Code, Severity
from corsprobe.audit.model import Audit
from corsprobe.audit.render import label
from corsprobe.output.secrets import Masker


def render(audits: Sequence[Audit], masker: Masker) -> str:
    root = ET.Element("testsuites", name="corsprobe audit")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for audit in audits:
        suite = ET.SubElement(root, "testsuite", name=masker.text(label(audit)))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if audit.error is not None:
            case = ET.SubElement(suite, "testcase", classname="audit", name="audit", time="0")
            ET.SubElement(case, "error", message=masker.text(audit.error), type="audit_error")
            counts["tests"] += 1
            counts["errors"] += 1
        for code in (Code if audit.error is None else ()):
            case = ET.SubElement(suite, "testcase", classname="audit", name=code.value, time="0")
            counts["tests"] += 1
            items = [f for f in audit.findings if f.code is code]
            text = "\n\n".join(f"{f.severity.value}: {f.explanation}\norigin: {f.origin}\ncredentials: "
                               f"{'yes' if f.credentials else 'no'}\nfix: {f.fix}" for f in items)
            if any(f.severity is not Severity.INFO for f in items):
                worst = max((f.severity for f in items), key=lambda s: s.rank)
                failure = ET.SubElement(case, "failure", message=masker.text(items[0].explanation), type=worst.value)
                failure.text = masker.text(text)
                counts["failures"] += 1
            elif items:
                ET.SubElement(case, "system-out").text = masker.text(text)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
