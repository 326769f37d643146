"""JUnit XML for CI test reports: one testsuite per scenario file, one testcase per probe.
A failed expectation is a <failure>, a probe that could not be completed an <error>, an
unchecked row <skipped>. Pure; every string is masked before it goes into the tree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from corsprobe.model import Result, Verdict
from corsprobe.output.render import RenderOptions
from corsprobe.output.view import Row, exchange_lines

SUITE = "corsprobe"
CHECK_CLASS = "check"
_COUNTS = ("tests", "failures", "errors", "skipped")
# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the file).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(results: Sequence[Result], options: RenderOptions) -> str:
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(split_source(result.source)[0] or SUITE, []).append(result)
    root = ET.Element("testsuites", name=SUITE)
    totals: Counter[str] = Counter()
    for name, members in groups.items():
        suite = ET.SubElement(root, "testsuite", _attrs(options, name=name))
        counts = Counter(_testcase(suite, Row.of(r), options) for r in members)
        counts["tests"] = len(members)
        _set_counts(suite, counts)
        suite.set("time", f"{sum(r.duration or 0.0 for r in members):.3f}")
        totals += counts
    _set_counts(root, totals)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def split_source(source: str | None) -> tuple[str | None, int | None]:
    """``'scenarios/x.toml:12'`` -> ``('scenarios/x.toml', 12)``; no line when there is none."""
    if not source:
        return None, None
    path, sep, line = source.rpartition(":")
    if sep and path and line.isdigit():
        return path, int(line)
    return source, None


def _testcase(suite: ET.Element, row: Row, options: RenderOptions) -> str:
    """Append the testcase; return the counter it adds to ('passed', 'failures', 'errors', 'skipped')."""
    result = row.result
    path, _line = split_source(result.source)
    # Only the attributes of the common JUnit schema (as pytest's xunit2); the scenario's
    # file:line goes into the texts (and into --format github annotations).
    duration = row.result.duration
    attrs = {"classname": PurePath(path).stem if path else CHECK_CLASS, "name": row.name,
             "time": f"{duration:.3f}" if duration is not None else "0"}
    case = ET.SubElement(suite, "testcase", _attrs(options, **attrs))
    verdict, failure = result.outcome.verdict, row.failure
    code = failure.reason.value if failure is not None else verdict.value
    kind = "passed"
    if result.passed is True:
        pass
    elif verdict is Verdict.ERROR:
        kind = "errors"
        _child(case, "error", options, message=row.explanation(), type=code, text=_story(row))
    elif result.passed is False:
        kind = "failures"
        _child(case, "failure", options, message=row.expectation_note() or "", type=code, text=_story(row))
    elif verdict is Verdict.UNCHECKED:
        kind = "skipped"
        _child(case, "skipped", options, message=row.explanation())
    _child(case, "system-out", options, text=_system_out(row, options))
    return kind


def _story(row: Row) -> str:
    """Why the row failed and what the server must change, and where the probe is written."""
    lines = [line for line in (row.expectation_note(), row.explanation()) if line]
    if row.result.source:
        lines.append(f"Scenario: {row.result.source}")
    lines += [line[0].upper() + line[1:] for line in row.fix_block()]
    return "\n".join(lines)


def _system_out(row: Row, options: RenderOptions) -> str:
    result = row.result
    code = f" [{row.failure.reason.value}]" if row.failure is not None else ""
    lines = [f"verdict: {result.outcome.verdict.value}{code}", f"origin: {result.probe.origin}",
             row.explanation()]
    if result.source:
        lines.insert(0, f"scenario: {result.source}")
    if result.expect is not None:
        state = {True: "met", False: "FAILED", None: "not evaluated"}[result.passed]
        lines.append(f"expectation: {result.expect.verdict.value} ({state})")
    lines += row.fix_block()
    lines += [f"warning [{w.reason.value}]: {text}" for w, text in row.warnings()]
    protocols = row.protocols()
    if protocols:
        lines.append(f"protocol: {protocols}")
    if options.verbose:
        lines += exchange_lines(result.exchanges, options.masker, result.extra)
    return "\n".join(lines)


def _child(parent: ET.Element, tag: str, options: RenderOptions, text: str | None = None,
           **attrs: str) -> None:
    element = ET.SubElement(parent, tag, _attrs(options, **attrs))
    if text is not None:
        element.text = _clean(options, text)


def _attrs(options: RenderOptions, **attrs: str) -> dict[str, str]:
    return {name: _clean(options, value) for name, value in attrs.items()}


def _clean(options: RenderOptions, text: str) -> str:
    return _NOT_XML.sub("\ufffd", options.masker.text(text))


def _set_counts(element: ET.Element, counts: Counter[str]) -> None:
    for name in _COUNTS:
        element.set(name, str(counts[name]))
    element.set("time", "0")
