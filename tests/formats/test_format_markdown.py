"""Markdown for PR comments: summary line, a well-formed GFM table whatever the cells hold,
and details (why, fix, warnings) for the rows that need attention.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from corsprobe.model import Probe, Result
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.markdown import HEADERS, escape_cell, render
from tests.formats import rows

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def _cells(line: str) -> list[str]:
    """Split a GFM table row on unescaped pipes."""
    return [cell.strip() for cell in _UNESCAPED_PIPE.split(line)[1:-1]]


def test_title_summary_and_table() -> None:
    text = render(rows.every_kind(), RenderOptions())
    lines = text.splitlines()
    assert lines[0] == "### corsprobe: CORS verdicts"
    assert lines[2] == ("8 probes: 3 allowed, 3 blocked, 1 error, 1 unchecked; "
                        "expectations: 2 met, 2 failed, 1 not evaluated")
    table = _table_lines(text)
    assert _cells(table[0]) == list(HEADERS)
    assert re.fullmatch(r"\|(---\|)+", table[1]) and table[1].count("---") == len(HEADERS)
    assert len(table) == 2 + 8
    assert all(len(_cells(line)) == len(HEADERS) for line in table)


@pytest.mark.parametrize(("case_id", "make", "expected"), [
    ("allowed", rows.allowed,
     ["1", "app reads items", rows.APP, "GET", "no", "-", "200", "allowed", "allowed (met)", "-"]),
    ("blocked-failing", rows.blocked_failing,
     ["1", "app, updates: items", rows.APP, "PUT", "no", "204 FAIL", "not sent", "blocked",
      "allowed (FAILED)", "method_disallowed_by_preflight_response"]),
    ("allowed-failing-credentials", rows.allowed_failing,
     ["1", "100% evil reads me", rows.EVIL, "GET", "yes", "-", "200", "allowed", "blocked (FAILED)", "-"]),
    ("error", rows.error_row,
     ["1", "GET http://127.0.0.1:9/down", rows.APP, "GET", "no", "-", "error", "error", "-", "network_error"]),
    ("unchecked", rows.unchecked,
     ["1", "simple post", rows.APP, "POST", "no", "-", "not sent", "unchecked", "allowed (not evaluated)", "-"]),
])
def test_row_cells(case_id: str, make: Callable[[], Result], expected: list[str]) -> None:
    table = _table_lines(render([make()], RenderOptions()))
    assert _cells(table[2]) == expected


def test_pipes_newlines_and_html_cannot_break_the_table() -> None:
    name = "a | b\nc\r\nd <script>x</script>"
    result = replace(rows.allowed(), probe=Probe(url="https://api.example.com/", origin=rows.APP, name=name))
    table = _table_lines(render([result], RenderOptions()))
    assert len(table) == 3
    row = _cells(table[2])
    assert len(row) == len(HEADERS)
    assert row[1] == "a \\| b<br>c<br>d &lt;script&gt;x&lt;/script&gt;"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("plain", "plain"),
    ("a|b", "a\\|b"),
    ("one\ntwo", "one<br>two"),
    ("x < y & z", "x &lt; y &amp; z"),
    ("", ""),
], ids=["plain", "pipe", "newline", "html", "empty"])
def test_escape_cell(raw: str, escaped: str) -> None:
    assert escape_cell(raw) == escaped


def test_details_list_failed_blocked_and_warned_rows_only() -> None:
    text = render(rows.every_kind(), RenderOptions())
    details = text.split("#### Details", 1)[1]
    headings = re.findall(r"^- \*\*#(\d+) ", details, flags=re.M)
    assert headings == ["2", "3", "4", "5", "7", "8"]
    assert "  - Failed: Expected allowed, but the verdict is blocked." in details
    assert "  - Fix 1/2 (preflight): Add 'PUT' to Access-Control-Allow-Methods of the preflight (OPTIONS)" in details
    assert "  - Warning (`reflected_origin_without_vary`): Access-Control-Allow-Origin matches the" in details
    assert "<details>" not in details


def test_no_details_section_when_all_is_well() -> None:
    assert "Details" not in render([rows.allowed()], RenderOptions())


def test_verbose_shows_exchanges_in_a_fence_that_backticks_cannot_close() -> None:
    base = rows.allowed()
    (exchange,) = base.exchanges
    assert exchange.response is not None
    response = replace(exchange.response, headers=(("X-Note", "````"),))
    text = render([replace(base, exchanges=(replace(exchange, response=response),))],
                  RenderOptions(verbose=True))
    assert "<details><summary>exchanges of #1</summary>" in text
    assert "`````text\n> GET https://api.example.com/items   (actual)\n" in text
    assert "< X-Note: ````\n`````\n" in text
