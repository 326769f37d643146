"""`--browser all` end to end against a raw server: every engine's verdict per row, and the
rows where they disagree (cases known to differ, verified in tests/browser)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer, Received, response


def _no_preflight_api(request: Received) -> bytes:
    """The actual response allows ORIGIN; a preflight gets a 404 without CORS headers."""
    if request.method == "OPTIONS":
        return response(404, [])
    return response(200, [("Access-Control-Allow-Origin", request.header("origin") or "")], b"{}")


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_no_preflight_api) as server:
        yield server


def _run(cli: CliRunner, api: RawServer, *args: str) -> tuple[int, str]:
    result = cli.invoke(main, ["check", api.url("/items"), "--origin", ORIGIN, "--browser", "all",
                               "--layout", "table", *args])
    return result.exit_code, result.stdout


def test_client_hint_is_simple_only_in_chromium(cli: CliRunner, api: RawServer) -> None:
    """`DPR` is safelisted by Chromium alone (pf-need-dpr): Firefox and WebKit preflight it."""
    code, out = _run(cli, api, "-H", "DPR: 2", "--format", "json")
    assert code == 0
    row = json.loads(out)["results"][0]
    engines = row["browsers"]
    assert list(engines) == ["chromium", "firefox", "webkit"]
    assert [engines[n]["verdict"] for n in engines] == ["allowed", "blocked", "blocked"]
    # WebKit reports a preflight's bad status before its CORS check (D10).
    assert engines["firefox"]["reason"] == "preflight_missing_allow_origin_header"
    assert engines["webkit"]["reason"] == "preflight_invalid_status"
    assert engines["chromium"]["requests"] == [["actual", "GET"]]
    assert engines["webkit"]["requests"] == [["preflight", "OPTIONS"]]
    assert row["verdict"] == "allowed"  # the row's own fields are Chromium's
    differ = row["browsers_differ"]
    assert differ.startswith("allowed in Chromium; blocked in Firefox: [preflight_missing_allow_origin_header] ")
    assert "; blocked in WebKit: [preflight_invalid_status] " in differ
    # Chromium sent one GET, Firefox and WebKit one OPTIONS each: every engine walked its own requests.
    browser = [r for r in api.log if "extra probe" not in (r.header("user-agent") or "")]  # not comparison probes
    assert sorted(r.method for r in browser) == ["GET", "OPTIONS", "OPTIONS"]


def test_range_unit_in_capitals_is_simple_only_in_webkit(cli: CliRunner, api: RawServer) -> None:
    """WebKit matches the Range unit ignoring case (pf-need-range-upper): no preflight."""
    code, out = _run(cli, api, "-H", "Range: BYTES=0-")
    assert code == 0
    assert "engines differ:\n    blocked in Chromium and Firefox: [preflight_missing_allow_origin_header]" in out
    assert "\n    allowed in WebKit\n" in out
    assert "engines (chromium, firefox, webkit) differ on 1 of 1 rows" in out


def test_expectation_must_hold_in_every_engine(cli: CliRunner, api: RawServer) -> None:
    code, out = _run(cli, api, "-H", "DPR: 2", "--expect", "allowed")
    assert code == 1
    assert "FAILED: In Firefox and WebKit: Expected allowed, but the verdict is blocked." in " ".join(out.split())


def test_engines_that_agree_show_no_difference(cli: CliRunner, api: RawServer) -> None:
    code, out = _run(cli, api, "--format", "json")
    row = json.loads(out)["results"][0]
    assert code == 0 and row["browsers_differ"] is None
    assert {e["verdict"] for e in row["browsers"].values()} == {"allowed"}


def test_single_engine_rows_have_no_browsers_field(cli: CliRunner, api: RawServer) -> None:
    result = cli.invoke(main, ["check", api.url("/items"), "--origin", ORIGIN, "--browser", "webkit",
                               "--format", "json"])
    row = json.loads(result.stdout)["results"][0]
    assert "browsers" not in row and row["browser"] == "webkit"


def test_markdown_lists_each_engine_group(cli: CliRunner, api: RawServer) -> None:
    code, out = _run(cli, api, "-H", "Range: BYTES=0-", "--format", "markdown")
    assert code == 0
    assert "  - Engines differ:\n    - blocked in Chromium and Firefox: [preflight_missing_allow_origin_header]" in out
    assert "\n    - allowed in WebKit" in out


def test_an_expectation_failing_everywhere_names_no_engine(cli: CliRunner, api: RawServer) -> None:
    code, out = _run(cli, api, "--expect", "blocked")
    assert code == 1
    assert "FAILED: Expected blocked, but the verdict is allowed." in out and "In Chromium" not in out


def test_an_expectation_failing_in_two_engines_names_both(cli: CliRunner, api: RawServer) -> None:
    code, out = _run(cli, api, "-H", "DPR: 2", "--expect", "allowed", "--format", "json")
    row = json.loads(out)["results"][0]
    assert code == 1 and row["passed"] is False
    assert row["expectation_note"].startswith("In Firefox and WebKit: Expected allowed")
    assert [e["passed"] for e in row["browsers"].values()] == [True, False, False]


def test_each_row_runs_under_every_engine_before_the_next_row(cli: CliRunner, api: RawServer,
                                                               tmp_path: Path) -> None:
    """`--browser all` streams: row 1 is done under Chromium, Firefox and WebKit before row 2 starts (at
    --concurrency 1), and the JSON-lines report holds each row with its three engines."""
    scenario = tmp_path / "two.toml"
    scenario.write_text(f'base_url = "{api.url("")}"\n[defaults]\norigin = "{ORIGIN}"\nheaders = {{ DPR = "2" }}\n'
                        '[[probe]]\nname = "one"\npath = "/one"\n[[probe]]\nname = "two"\npath = "/two"\n')
    lines = tmp_path / "rows.jsonl"
    result = cli.invoke(main, ["run", str(scenario), "--browser", "all", "--concurrency", "1", "--no-extra-probes",
                               "--format", "json", "--report-jsonl", str(lines)])
    assert result.exit_code == 0, result.output
    # Chromium: GET (DPR is safelisted); Firefox and WebKit: a preflight (refused: no further request).
    assert [(r.method, r.path) for r in api.log] == [("GET", "/one"), ("OPTIONS", "/one"), ("OPTIONS", "/one"),
                                                     ("GET", "/two"), ("OPTIONS", "/two"), ("OPTIONS", "/two")]
    rows = [json.loads(line) for line in lines.read_text().splitlines()][:-1]
    assert [(r["name"], list(r["browsers"])) for r in rows] == [
        ("one", ["chromium", "firefox", "webkit"]), ("two", ["chromium", "firefox", "webkit"])]
