"""The JUnit output validates against the JUnit XML schema CI systems read (junit.xsd here),
for every kind of row, plain and verbose, and for a real `corsprobe run --format junit`."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from corsprobe.output.render import RenderOptions
from corsprobe.output.render.junit import render
from tests.formats import rows

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).with_name("junit.xsd")))


@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_every_kind_of_row_validates(verbose: bool) -> None:
    text = render(rows.every_kind(), RenderOptions(verbose=verbose))
    SCHEMA.validate(text)


def test_schema_rejects_what_ci_systems_do_not_read() -> None:
    text = render([rows.blocked_failing()], RenderOptions())
    broken = text.replace("<testcase ", '<testcase file="x.toml" ', 1)
    assert not SCHEMA.is_valid(broken)
    assert not SCHEMA.is_valid(text.replace("<failure ", "<problem ", 1).replace("</failure>", "</problem>"))


def test_failed_row_names_its_scenario_line() -> None:
    text = render([rows.blocked_failing()], RenderOptions())
    assert f"Scenario: {rows.blocked_failing().source}" in text
