"""The table format: a warning several rows share is printed once, naming the rows; every line fits the
width (columns dropped or shortened by priority, the reason wrapped at word boundaries); colours tell the truth."""

from __future__ import annotations

import dataclasses
import re

import pytest

from corsprobe.model import Probe, Result
from corsprobe.output.render import RenderOptions
from corsprobe.output.render.table import render
from corsprobe.output.view import Row
from tests.formats import rows


def test_shared_warning_printed_once_with_row_numbers() -> None:
    results = [rows.with_warnings(), rows.allowed(), rows.with_warnings()]
    text = render(results, RenderOptions(width=1000))
    (_, warning), *_ = Row.of(rows.with_warnings()).warnings()
    assert text.count(warning) == 1
    assert f"warning for #1, #3: {warning}" in text


def test_single_row_warning_stays_under_its_row() -> None:
    text = render([rows.with_warnings()], RenderOptions(width=1000))
    (_, warning), *_ = Row.of(rows.with_warnings()).warnings()
    assert f"  warning: {warning}" in text


def _long(result: Result, n: int) -> Result:
    probe: Probe = dataclasses.replace(result.probe, name=f"row {n} " + "with a long descriptive name " * 3,
                                       url=result.probe.url + "/" + "segment/" * 20)
    return dataclasses.replace(result, probe=probe)


@pytest.mark.parametrize("width", [20, 40, 60, 80, 100, 120, 160, 250])
@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
@pytest.mark.parametrize("layout", ["table", "steps"])
def test_no_line_is_wider_than_the_width(width: int, verbose: bool, layout: str) -> None:
    results = [_long(r, n) for n, r in enumerate(rows.every_kind() * 5)]
    text = render(results, RenderOptions(width=width, verbose=verbose, layout=layout))
    widest = max(text.splitlines(), key=len)
    assert len(widest) <= width, widest


@pytest.mark.parametrize("width", [80, 120])
def test_each_row_keeps_its_verdict_and_reason_at_any_width(width: int) -> None:
    results = rows.every_kind()
    text = " ".join(render(results, RenderOptions(width=width)).split())
    for result in results:
        assert result.outcome.verdict.value.upper() in text
        if result.outcome.failure is not None:
            assert f"[{result.outcome.failure.reason.value}]" in text


def test_wide_terminal_keeps_every_column_and_the_reason_beside_the_row() -> None:
    text = render([rows.allowed()], RenderOptions(width=250))
    header = text.splitlines()[0].split()
    assert header == ["#", "name", "origin", "method", "creds", "preflight", "actual", "verdict", "expect", "reason"]


def test_a_failed_expectation_is_red_and_a_met_one_green() -> None:
    text = render([rows.allowed(), rows.allowed_failing()], RenderOptions(color=True, width=250))
    red, green = "\x1b[1;31m", "\x1b[32m"
    failing_line = next(line for line in text.splitlines() if line.startswith("2 "))
    assert f"{red}ALLOWED" in failing_line and f"{red}blocked FAIL" in failing_line
    passing_line = next(line for line in text.splitlines() if line.startswith("1 "))
    assert f"{green}ALLOWED" in passing_line and f"{green}allowed ok" in passing_line
    assert re.search(re.escape(red) + r"\s*FAILED:", text)


def test_warnings_are_yellow_and_errors_are_not() -> None:
    text = render([rows.with_warnings(), rows.error_row()], RenderOptions(color=True, width=250))
    assert "\x1b[33m  warning:" in text
    error_line = next(line for line in text.splitlines() if "ERROR" in line)
    assert "\x1b[35mERROR" in error_line
