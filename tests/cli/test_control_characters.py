"""A server's bytes never drive the reader's terminal: control characters in a status line, a header value
or a quoted value (an escape sequence that would recolour or clear the screen) are shown as ``\\xNN`` in
every text format, corsprobe's own colours still work, and JSON keeps the exact value (JSON escapes it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from corsprobe.output.view import visible
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer, Received, response

ODD_ORIGIN = "http://a\x1b[31m.example"


def _odd(request: Received) -> bytes:
    return response(200, [("Access-Control-Allow-Origin", ODD_ORIGIN), ("X-Odd", "a\x01b\x1b[2Jc\x7fd\x9be")],
                    b"ok", reason="O\x1b]0;title\x07K")


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_odd) as server:
        yield server


@pytest.mark.parametrize("fmt", ["table", "markdown", "github", "html", "junit"])
@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_no_text_format_passes_a_control_character_through(cli: CliRunner, api: RawServer, fmt: str,
                                                           verbose: list[str]) -> None:
    result = cli.invoke(main, ["check", api.url("/x"), "--origin", ORIGIN, "--format", fmt, *verbose])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert not any(ch in out for ch in "\x01\x07\x1b\x7f\x9b"), repr(out)
    if fmt != "github":  # (annotations for failed expectations only)
        assert "a\\x1b[31m.example" in out  # still shown, visibly


def test_json_keeps_the_value_and_colours_still_work(cli: CliRunner, api: RawServer) -> None:
    result = cli.invoke(main, ["check", api.url("/x"), "--origin", ORIGIN, "--format", "json", "-v"])
    row = json.loads(result.stdout)["results"][0]
    assert ["Access-Control-Allow-Origin", ODD_ORIGIN] in row["actual"]["response_headers"]
    coloured = cli.invoke(main, ["check", api.url("/x"), "--origin", ORIGIN, "--layout", "table",
                                 "--color", "always"]).stdout
    assert "\x1b[31mBLOCKED" in coloured and "\x1b[31m.example" not in coloured


@pytest.mark.parametrize(("text", "shown"), [
    ("a\tb", "a\tb"), ("\x00\x1f\x7f\x80\x9f\xa0é", "\\x00\\x1f\\x7f\\x80\\x9f\xa0é"), ("\r\n", "\\x0d\\x0a"),
    ("plain", "plain")])
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown
