"""JUnit XML: the structure CI systems read (checked by a small validator that is itself
tested), one suite per scenario file, and which rows become failures, errors and skips.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace

import pytest

from corsprobe.model import Probe, Result
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.junit import render, split_source
from tests.formats import rows

_CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err"}
_OUTCOMES = {"failure": "failures", "error": "errors", "skipped": "skipped"}


def junit_problems(text: str) -> list[str]:
    """Everything that breaks the de-facto JUnit schema (Jenkins/GitLab/Surefire readers)."""
    if not text.startswith("<?xml "):
        return ["no XML declaration"]
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as error:
        return [f"not well-formed: {error}"]
    if root.tag != "testsuites":
        return [f"root is <{root.tag}>"]
    problems: list[str] = []
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root:
        if suite.tag != "testsuite":
            problems.append(f"<{suite.tag}> under <testsuites>")
            continue
        counts = dict.fromkeys(totals, 0)
        for case in suite:
            if case.tag != "testcase":
                problems.append(f"<{case.tag}> under <testsuite>")
                continue
            counts["tests"] += 1
            problems += _case_problems(case, counts)
        for name, count in counts.items():
            problems += _count_problem(suite, name, count)
            totals[name] += count
        if not suite.get("name"):
            problems.append("testsuite without name")
        problems += _float_problem(suite)
    for name, count in totals.items():
        problems += _count_problem(root, name, count)
    return problems


def _case_problems(case: ET.Element, counts: dict[str, int]) -> list[str]:
    problems = [f"testcase without {a}" for a in ("name", "classname") if not case.get(a)]
    if case.get("line") is not None and not case.get("line", "").isdigit():
        problems.append(f"line={case.get('line')!r}")
    problems += _float_problem(case)
    outcomes = [child for child in case if child.tag in _OUTCOMES]
    if len(outcomes) > 1:
        problems.append(f"testcase {case.get('name')!r} has {len(outcomes)} outcomes")
    for child in case:
        if child.tag not in _CASE_CHILDREN:
            problems.append(f"<{child.tag}> under <testcase>")
        if child.tag in ("failure", "error"):
            problems += [f"<{child.tag}> without {a}" for a in ("message", "type") if child.get(a) is None]
        if child.tag in _OUTCOMES:
            counts[_OUTCOMES[child.tag]] += 1
    return problems


def _count_problem(element: ET.Element, name: str, count: int) -> list[str]:
    value = element.get(name)
    if value is None or not value.isdigit() or int(value) != count:
        return [f"<{element.tag}> {name}={value!r}, children say {count}"]
    return []


def _float_problem(element: ET.Element) -> list[str]:
    try:
        float(element.get("time", "0"))
    except ValueError:
        return [f"<{element.tag}> time={element.get('time')!r}"]
    return []


def _cases(text: str) -> dict[str, ET.Element]:
    return {c.get("name", ""): c for c in ET.fromstring(text.encode("utf-8")).iter("testcase")}


@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_every_kind_of_row_is_valid_junit(verbose: bool) -> None:
    text = render(rows.every_kind(), RenderOptions(verbose=verbose))
    assert junit_problems(text) == []
    root = ET.fromstring(text.encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == \
        ("8", "2", "1", "1")


@pytest.mark.parametrize(("case_id", "broken", "problem"), [
    ("no-declaration", '<testsuites tests="0" failures="0" errors="0" skipped="0"/>', "no XML declaration"),
    ("wrong-root", '<?xml version="1.0"?><testsuite name="x"/>', "root is <testsuite>"),
    ("count-off", '<?xml version="1.0"?><testsuites tests="2" failures="0" errors="0" skipped="0">'
     '<testsuite name="s" tests="2" failures="0" errors="0" skipped="0"><testcase name="a" classname="c"/>'
     "</testsuite></testsuites>", "tests='2', children say 1"),
    ("failure-without-type", '<?xml version="1.0"?><testsuites tests="1" failures="1" errors="0" skipped="0">'
     '<testsuite name="s" tests="1" failures="1" errors="0" skipped="0"><testcase name="a" classname="c">'
     '<failure message="m"/></testcase></testsuite></testsuites>', "<failure> without type"),
    ("stray-child", '<?xml version="1.0"?><testsuites tests="1" failures="0" errors="0" skipped="0">'
     '<testsuite name="s" tests="1" failures="0" errors="0" skipped="0"><testcase name="a" classname="c">'
     "<note/></testcase></testsuite></testsuites>", "<note> under <testcase>"),
    ("two-outcomes", '<?xml version="1.0"?><testsuites tests="1" failures="1" errors="1" skipped="0">'
     '<testsuite name="s" tests="1" failures="1" errors="1" skipped="0"><testcase name="a" classname="c">'
     '<failure message="m" type="t"/><error message="m" type="t"/></testcase></testsuite></testsuites>',
     "has 2 outcomes"),
])
def test_validator_rejects(case_id: str, broken: str, problem: str) -> None:
    assert any(problem in p for p in junit_problems(broken)), junit_problems(broken)


def test_one_suite_per_scenario_file_and_check_rows_in_corsprobe() -> None:
    root = ET.fromstring(render(rows.every_kind(), RenderOptions()).encode("utf-8"))
    suites = {s.get("name"): [c.get("name") for c in s] for s in root}
    assert suites == {
        "scenarios/x.toml": ["app reads items", "evil origin is blocked", "app, updates: items"],
        "scenarios/y.toml": ["100% evil reads me", "simple post"],
        "corsprobe": ["GET http://127.0.0.1:9/down", "public feed", "GET https://api.example.com/private"],
    }


def test_testcase_classname_is_the_file_stem_and_output_names_the_line() -> None:
    case = _cases(render([rows.blocked_as_expected()], RenderOptions()))["evil origin is blocked"]
    assert (case.get("classname"), case.get("file"), case.get("line")) == ("x", None, None)
    assert "scenario: scenarios/x.toml:12" in (case.findtext("system-out") or "")
    check = _cases(render([rows.error_row()], RenderOptions()))["GET http://127.0.0.1:9/down"]
    assert (check.get("classname"), check.get("file"), check.get("line")) == ("check", None, None)


@pytest.mark.parametrize(("case_id", "make", "tag", "message", "type_"), [
    ("blocked-failing", rows.blocked_failing, "failure", "Expected allowed, but the verdict is blocked.",
     "method_disallowed_by_preflight_response"),
    ("allowed-failing", rows.allowed_failing, "failure", "Expected blocked, but the verdict is allowed.",
     "allowed"),
    ("error", rows.error_row, "error", "The server could not be reached: connection refused.", "network_error"),
    ("unchecked", rows.unchecked, "skipped", "POST can change server state", None),
    ("allowed", rows.allowed, None, None, None),
    ("blocked-as-expected", rows.blocked_as_expected, None, None, None),
    ("blocked-without-expectation", rows.blocked_unexpected, None, None, None),
    ("warnings-only", rows.with_warnings, None, None, None),
])
def test_row_outcome(case_id: str, make: Callable[[], Result], tag: str | None, message: str | None,
                     type_: str | None) -> None:
    (case,) = _cases(render([make()], RenderOptions())).values()
    outcomes = [c for c in case if c.tag in _OUTCOMES]
    if tag is None:
        assert outcomes == []
        return
    (element,) = outcomes
    assert element.tag == tag
    assert message is not None and element.get("message", "").startswith(message)
    assert element.get("type") == type_


def test_failure_text_has_explanation_and_fix() -> None:
    (case,) = _cases(render([rows.blocked_failing()], RenderOptions())).values()
    text = case.findtext("failure") or ""
    assert "Method 'PUT' is not listed in Access-Control-Allow-Methods 'GET, POST'" in text
    assert "Fix 1/2 (preflight): Add 'PUT' to Access-Control-Allow-Methods of the preflight (OPTIONS) response" in text
    assert "Fix 2/2 (preflight): Add 'Content-Type' to Access-Control-Allow-Headers" in text


def test_passing_blocked_row_reports_verdict_and_explanation_in_system_out() -> None:
    (case,) = _cases(render([rows.blocked_unexpected()], RenderOptions())).values()
    out = case.findtext("system-out") or ""
    assert out.startswith("verdict: blocked [allow_origin_mismatch]")
    assert "which is not the page's origin 'https://evil.example'" in out
    (warned,) = _cases(render([rows.with_warnings()], RenderOptions())).values()
    assert "warning [reflected_origin_without_vary]" in (warned.findtext("system-out") or "")


def test_markup_and_control_characters_survive_as_text() -> None:
    name = 'a <b> & "c"\x1b[31m\x00 ]]>'
    result = replace(rows.blocked_unexpected(), probe=Probe(url="https://api.example.com/", origin=rows.EVIL,
                                                            name=name))
    text = render([result], RenderOptions(verbose=True))
    assert junit_problems(text) == []
    assert list(_cases(text)) == ['a <b> & "c"\ufffd[31m\ufffd ]]>']


def test_empty_run_is_valid() -> None:
    text = render([], RenderOptions())
    assert junit_problems(text) == []
    assert ET.fromstring(text.encode("utf-8")).get("tests") == "0"


@pytest.mark.parametrize(("source", "expected"), [
    ("scenarios/x.toml:12", ("scenarios/x.toml", 12)),
    ("C:\\work\\x.toml:7", ("C:\\work\\x.toml", 7)),
    ("scenarios/x.toml", ("scenarios/x.toml", None)),
    ("weird:name.toml", ("weird:name.toml", None)),
    (None, (None, None)),
], ids=["path-line", "windows-drive", "no-line", "colon-in-name", "none"])
def test_split_source(source: str | None, expected: tuple[str | None, int | None]) -> None:
    assert split_source(source) == expected
