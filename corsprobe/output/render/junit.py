"""JUnit XML for CI test reports: one testsuite per scenario file, one testcase per probe.
A failed expectation is a <failure>, a probe that could not be completed an <error>, an
unchecked row <skipped>. Pure; every string is masked before it goes into the tree.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import TextIO

from corsprobe.model import Result, Verdict
from corsprobe.output.render import RenderOptions
from corsprobe.output.report import Tally
from corsprobe.output.view import Row, exchange_lines

SUITE = "corsprobe"
CHECK_CLASS = "check"
_COUNTS = ("tests", "failures", "errors", "skipped")
# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the file).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(results: Sequence[Result], options: RenderOptions) -> str:
    stream = Stream(options, io.StringIO())
    parts = [stream.begin(), *(stream.row(r) for r in results), *stream.end(Tally.of(results))]
    return "".join(parts)


class Stream:
    """JUnit written row by row: each testcase goes to ``spool`` as it comes (a scratch file the shell
    owns), since the counts of each testsuite and of the whole come first in the XML; ``end`` yields
    the document, one testsuite per scenario file in order of first appearance, as ``render`` did."""

    def __init__(self, options: RenderOptions, spool: TextIO) -> None:
        self.options = options
        self.spool = spool
        self.suites: dict[str, _Suite] = {}
        self.last: _Suite | None = None

    def begin(self) -> str:
        return ""

    def row(self, result: Result) -> str:
        name = split_source(result.source)[0] or SUITE
        suite = self.suites.setdefault(name, _Suite())
        case = ET.Element("testcase")
        kind = _testcase(case, Row.of(result), self.options)
        ET.indent(case, level=2)
        text = ET.tostring(case, encoding="unicode")
        # Consecutive testcases of one suite are one stretch of the spool, joined by their indentation.
        joined = self.last is suite
        text = ("\n    " if joined else "") + text
        suite.add(kind, result.duration, self.spool.tell(), len(text), joined)
        self.spool.write(text)
        self.last = suite
        return ""

    def end(self, tally: Tally) -> Iterator[str]:
        totals: Counter[str] = Counter()
        for suite in self.suites.values():
            totals += suite.counts
        head = '<?xml version="1.0" encoding="UTF-8"?>\n'
        root = ET.Element("testsuites", name=SUITE)
        _set_counts(root, totals)
        if not self.suites:
            yield head + ET.tostring(root, encoding="unicode") + "\n"
            return
        yield head + _open_tag(root)
        for name, suite in self.suites.items():
            element = ET.Element("testsuite", _attrs(self.options, name=name))
            _set_counts(element, suite.counts)
            element.set("time", f"{suite.time:.3f}")
            yield "\n  " + _open_tag(element)
            for start, length in suite.parts:
                self.spool.seek(start)
                yield "\n    "
                while length > 0:
                    chunk = self.spool.read(min(length, _CHUNK))
                    if not chunk:
                        break
                    length -= len(chunk)
                    yield chunk
            yield "\n  </testsuite>"
        yield "\n</testsuites>\n"


_CHUNK = 1 << 16


class _Suite:
    """One testsuite's counts and where its testcases are in the spool."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.time = 0.0
        self.parts: list[tuple[int, int]] = []

    def add(self, kind: str, duration: float | None, start: int, length: int, joined: bool) -> None:
        self.counts[kind] += 1
        self.counts["tests"] += 1
        self.time += duration or 0.0
        if joined:
            self.parts[-1] = (self.parts[-1][0], self.parts[-1][1] + length)
        else:
            self.parts.append((start, length))


def _open_tag(element: ET.Element) -> str:
    """``<tag attr="...">``: ElementTree's own escaping, without the close."""
    element.text = _MARK
    text = ET.tostring(element, encoding="unicode")
    return text[:text.index(">" + _MARK) + 1]


_MARK = "\ue000corsprobe\ue000"


def split_source(source: str | None) -> tuple[str | None, int | None]:
    """``'scenarios/x.toml:12'`` -> ``('scenarios/x.toml', 12)``; no line when there is none."""
    if not source:
        return None, None
    path, sep, line = source.rpartition(":")
    if sep and path and line.isdigit():
        return path, int(line)
    return source, None


def _testcase(case: ET.Element, row: Row, options: RenderOptions) -> str:
    """Fill in the testcase; return the counter it adds to ('passed', 'failures', 'errors', 'skipped')."""
    result = row.result
    path, _line = split_source(result.source)
    # Only the attributes of the common JUnit schema (as pytest's xunit2); the scenario's
    # file:line goes into the texts (and into --format github annotations).
    duration = row.result.duration
    attrs = {"classname": PurePath(path).stem if path else CHECK_CLASS, "name": row.name,
             "time": f"{duration:.3f}" if duration is not None else "0"}
    for name, value in _attrs(options, **attrs).items():
        case.set(name, value)
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
