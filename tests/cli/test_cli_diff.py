"""`corsprobe diff` says what matters: a side that failed entirely is one line (exit 3), error rows are
not field-diffed, status codes are compared, --ignore-header, and the summary's grammar."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from corsprobe.model import Credentials, Exchange, HttpRequest, HttpResponse, Outcome, Probe, Result, Stage, Verdict
from corsprobe.output.diff import compare
from corsprobe.output.render.diff_formats import summary_line
from tests.support.rawserver import RawServer, Received, response

APP = "https://app.example.com"


def _server(preflight_status: int, max_age: str = "600") -> RawServer:
    def handle(request: Received) -> bytes:
        cors = [("Access-Control-Allow-Origin", APP), ("Vary", "Origin")]
        if request.method == "OPTIONS":
            return response(preflight_status, [*cors, ("Access-Control-Allow-Methods", "GET, PUT"),
                                               ("Access-Control-Allow-Headers", "Content-Type"),
                                               ("Access-Control-Max-Age", max_age)])
        return response(200, cors, b"{}")
    return RawServer(handle)


@pytest.fixture
def pair() -> Iterator[tuple[RawServer, RawServer]]:
    with _server(204) as left, _server(204, max_age="60") as right:
        yield left, right


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "smoke.toml"
    path.write_text(f'''
[defaults]
origin = "{APP}"

[[probe]]
name = "read"
path = "/items"
expect = "allowed"

[[probe]]
name = "update"
path = "/items/1"
method = "PUT"
headers = {{ "Content-Type" = "application/json" }}
expect = "allowed"
''', encoding="utf-8")
    return path


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_unreachable_side_is_one_line_and_exit_3(tmp_path: Path, pair: tuple[RawServer, RawServer]) -> None:
    dead = _closed_port()
    result = CliRunner().invoke(main, ["diff", str(_scenario(tmp_path)), "--base-url", pair[0].origin,
                                       "--base-url", dead, "--timeout", "2"])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"corsprobe: {dead}: every row failed: network_error")


def test_status_codes_are_compared(tmp_path: Path) -> None:
    with _server(204) as ok, _server(405) as refused:
        result = CliRunner().invoke(main, ["diff", str(_scenario(tmp_path)), "--base-url", ok.origin,
                                           "--base-url", refused.origin, "--format", "json"])
    assert result.exit_code == 1, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)["rows"]}
    fields = {d["field"]: (d["left"], d["right"]) for d in rows["update"]["differences"]}
    assert fields["preflight status"] == ("204", "405")
    assert not rows["read"]["differs"]


def test_ignore_header_leaves_it_out(tmp_path: Path, pair: tuple[RawServer, RawServer]) -> None:
    args = ["diff", str(_scenario(tmp_path)), "--base-url", pair[0].origin, "--base-url", pair[1].origin]
    differing = CliRunner().invoke(main, args)
    assert differing.exit_code == 1 and "Access-Control-Max-Age" in differing.stdout
    assert "1 differs between" in differing.stdout
    ignored = CliRunner().invoke(main, [*args, "--ignore-header", "access-control-max-age"])
    assert ignored.exit_code == 0, ignored.output
    assert "agree" in ignored.stdout


def _result(name: str, verdict: Verdict, preflight: bool, status: int | None = None) -> Result:
    probe = Probe(url="https://api.example.com/x", origin=APP, method="PUT", credentials=Credentials.OMIT, name=name)
    exchanges = ()
    if status is not None:
        request = HttpRequest(Stage.PREFLIGHT, "OPTIONS", probe.url, ())
        exchanges = (Exchange(request, HttpResponse(status, ())),)
    return Result(probe, Outcome(verdict, preflight_needed=preflight), exchanges)


def test_an_error_row_is_compared_by_verdict_and_reason_only() -> None:
    # An error row never got to judge a preflight: "preflight: not needed" would be a false difference.
    diff = compare([_result("put", Verdict.ALLOWED, True, 204)], [_result("put", Verdict.ERROR, False)], "a", "b")
    [row] = diff.changed
    assert [d.field for d in row.differences] == ["verdict"]


@pytest.mark.parametrize(("changed", "text"), [(1, "1 differs between"), (2, "2 differ between")])
def test_summary_grammar(changed: int, text: str) -> None:
    left = [_result(f"r{i}", Verdict.ALLOWED, True, 204) for i in range(3)]
    right = [_result(f"r{i}", Verdict.BLOCKED if i < changed else Verdict.ALLOWED, True, 204) for i in range(3)]
    assert text in summary_line(compare(left, right, "a", "b"))


@pytest.mark.parametrize("width", [40, 80, 120])
def test_diff_table_fits_the_width(tmp_path: Path, width: int) -> None:
    with _server(204) as ok, _server(405, max_age="60") as refused:
        result = CliRunner(env={"COLUMNS": str(width)}).invoke(main, [
            "diff", str(_scenario(tmp_path)), "--base-url", ok.origin, "--base-url", refused.origin])
    assert result.exit_code == 1, result.output
    assert "preflight status" in result.stdout
    assert max(map(len, result.stdout.splitlines())) <= width


def test_diff_html_shows_both_sides_in_columns(tmp_path: Path) -> None:
    report = tmp_path / "diff.html"
    with _server(204) as ok, _server(405) as refused:
        result = CliRunner().invoke(main, ["diff", str(_scenario(tmp_path)), "--base-url", ok.origin,
                                           "--base-url", refused.origin, "--format", "html",
                                           "--report-html", str(report)])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and report.read_text() == result.stdout
    assert f"<th>{ok.origin}</th><th>{refused.origin}</th>" in result.stdout
    assert '<td class="side">204</td><td class="side">405</td>' in result.stdout
