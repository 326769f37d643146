"""GitHub Actions workflow commands: exact annotation lines, @actions/core escaping, which
rows get annotated, the summary line, and the step summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from corsprobe.model import Expectation, Probe, Result, Verdict
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.github import escape_data, escape_property, render, step_summary
from corsprobe.output.render.markdown import render as markdown_render
from corsprobe.output.secrets import MASK, Masker
from tests.formats import rows

_COMMAND = re.compile(r"::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*")


def _unescape_data(text: str) -> str:
    """What the runner does with a message (actions/runner ActionCommand.UnescapeValue)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def test_failed_expectation_annotation_has_the_documented_form() -> None:
    line = render([rows.blocked_failing()], RenderOptions()).splitlines()[0]
    assert line == (
        "::error file=scenarios/x.toml,line=20,title=CORS blocked%3A app%2C updates%3A items::"
        "Expected allowed, but the verdict is blocked.%0A"
        "Method 'PUT' is not listed in Access-Control-Allow-Methods 'GET, POST' of the preflight response "
        "(the match is case-sensitive; '*' does not count with credentials).%0A"
        "Fix 1/2 (preflight): Add 'PUT' to Access-Control-Allow-Methods of the preflight (OPTIONS) response "
        "(it is 'GET, POST').%0A"
        "Fix 2/2 (preflight): Add 'Content-Type' to Access-Control-Allow-Headers of the preflight (OPTIONS) "
        "response (the header is absent).%0A"
        "After this, the actual response still needs checking (a browser sends it only after the preflight passes)."
    )


def test_percent_in_title_and_warning_in_message() -> None:
    line = render([rows.allowed_failing()], RenderOptions()).splitlines()[0]
    head, message = line.split("::")[1:]
    assert head == "error file=scenarios/y.toml,line=3,title=CORS allowed%3A 100%25 evil reads me"
    assert _unescape_data(message).splitlines() == [
        "Expected blocked, but the verdict is allowed.",
        "A browser lets the page read this response (status 200).",
        "Fix: Stop allowing origin 'https://evil.example': answer only origins from an allow-list "
        "instead of reflecting the Origin header.",
        "Warning: Access-Control-Allow-Origin matches the request's origin and the response has no 'Vary: Origin'; "
        "if the server chooses the value per request, caches may serve it to other origins.",
    ]


@pytest.mark.parametrize(("case_id", "make", "expected"), [
    ("allowed", rows.allowed, None),
    ("blocked-as-expected", rows.blocked_as_expected, None),
    ("blocked-without-expectation", rows.blocked_unexpected, None),
    ("unchecked", rows.unchecked, None),
    ("blocked-failing", rows.blocked_failing, "::error file=scenarios/x.toml,line=20,title="),
    ("error-without-source", rows.error_row, "::error title=CORS error%3A GET http%3A//127.0.0.1%3A9/down::"
     "The server could not be reached: connection refused.%0AFix: "),
    ("warnings-only", rows.with_warnings, "::warning title=CORS warning%3A public feed::Access-Control-"),
])
def test_which_rows_are_annotated(case_id: str, make: Callable[[], Result], expected: str | None) -> None:
    lines = render([make()], RenderOptions()).splitlines()
    assert lines[-1].startswith("corsprobe: 1 probe: ")
    if expected is None:
        assert lines[:-1] == []
        return
    (annotation,) = lines[:-1]
    assert annotation.startswith(expected)
    assert _COMMAND.fullmatch(annotation)


def test_expected_error_is_not_annotated() -> None:
    result = replace(rows.error_row(), expect=Expectation(Verdict.ERROR))
    assert render([result], RenderOptions()).splitlines()[:-1] == []


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100%", "100%25", "100%25"),
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("a,b", "a,b", "a%2Cb"),
    ("a:b", "a:b", "a%3Ab"),
    ("%0A", "%250A", "%250A"),
    ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
], ids=["percent", "newline", "crlf", "comma", "colon", "escaped-looking", "command-looking"])
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
    assert _unescape_data(data) == raw and _unescape_property(prop) == raw


def test_hostile_name_and_source_stay_one_line_and_round_trip() -> None:
    name = "x,y: 50%\n::error::injected"
    result = replace(rows.blocked_failing(), probe=replace(rows.blocked_failing().probe, name=name),
                     source="dir,with:odd/x.toml:7")
    lines = render([result], RenderOptions()).splitlines()
    assert len(lines) == 2 and not lines[1].startswith("::")
    assert _COMMAND.fullmatch(lines[0])
    properties = dict(p.split("=", 1) for p in lines[0].split("::")[1].split(" ", 1)[1].split(","))
    assert {k: _unescape_property(v) for k, v in properties.items()} == {
        "file": "dir,with:odd/x.toml", "line": "7", "title": f"CORS blocked: {name}"}


def test_summary_line_and_order() -> None:
    lines = render(rows.every_kind(), RenderOptions()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == [
        "::error", "::error", "::error", "::warning"]
    assert lines[-1] == ("corsprobe: 8 probes: 3 allowed, 3 blocked, 1 error, 1 unchecked; "
                         "expectations: 2 met, 2 failed, 1 not evaluated")


def test_step_summary_is_the_markdown_report() -> None:
    results = rows.every_kind()
    options = RenderOptions(verbose=True)
    assert step_summary(results, options) == markdown_render(results, options)
    assert step_summary(results, options).startswith("### corsprobe: CORS verdicts\n")


def test_declared_secret_in_url_is_masked_before_escaping() -> None:
    secret = "tok,en:50%"
    probe = Probe(url=f"https://api.example.com/x?k={secret}", origin=rows.APP)
    result = replace(rows.error_row(), probe=probe)
    out = render([result], RenderOptions(masker=Masker.of([secret])))
    assert escape_property(secret) not in out and secret not in out
    assert escape_property(MASK) in out
