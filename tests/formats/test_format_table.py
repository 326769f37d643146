"""The table format: a warning several rows share is printed once, naming the rows."""

from __future__ import annotations

from corsprobe.output.render import RenderOptions
from corsprobe.output.render.table import render
from corsprobe.output.view import Row
from tests.formats import rows


def test_shared_warning_printed_once_with_row_numbers() -> None:
    results = [rows.with_warnings(), rows.allowed(), rows.with_warnings()]
    text = render(results, RenderOptions())
    (_, warning), *_ = Row.of(rows.with_warnings()).warnings()
    assert text.count(warning) == 1
    assert f"warning for #1, #3: {warning}" in text


def test_single_row_warning_stays_under_its_row() -> None:
    text = render([rows.with_warnings()], RenderOptions())
    (_, warning), *_ = Row.of(rows.with_warnings()).warnings()
    assert f"  warning: {warning}" in text
