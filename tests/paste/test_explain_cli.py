"""``corsprobe explain`` end to end against a scripted loopback server: agree/differ, the usage
errors (exit 2, one line), safety (a pasted PUT is not sent without --send-unsafe; pasted cookies
and Authorization are masked everywhere and never on a preflight), the JSON document."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN, _api
from tests.support.rawserver import RawServer


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_api) as server:
        yield server


def _chrome(url: str, detail: str) -> str:
    return f"Access to fetch at '{url}' from origin '{ORIGIN}' has been blocked by CORS policy: {detail}"


def _json(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(main, ["explain", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def test_chrome_message_agrees_with_the_live_verdict(api: RawServer) -> None:
    url = api.url("/strict/items")
    message = _chrome(url, "Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.")
    text = f"index.html:1 {message}\nindex.html:9  DELETE {url} net::ERR_FAILED"
    document = _json(CliRunner(), text)
    [parsed] = document["parsed"]  # type: ignore[misc]
    assert parsed["kind"] == "chrome-console" and parsed["method"] == "DELETE"
    [row] = document["results"]  # type: ignore[misc]
    assert row["reason"] == "method_disallowed_by_preflight_response"
    assert row["explain"]["agreement"] == "agree"
    assert row["reproduce"]["curl"][0].startswith("curl -i -X 'OPTIONS'")
    assert [r.method for r in api.log] == ["OPTIONS"]


def test_a_fixed_server_differs_and_names_the_unknown_fields(api: RawServer) -> None:
    text = _chrome(api.url("/ok/items"), "No 'Access-Control-Allow-Origin' header is present on the requested "
                                         "resource.")
    result = CliRunner().invoke(main, ["explain", text])
    assert result.exit_code == 0
    assert "DIFFER" in result.stdout
    assert "the server has changed since" in result.stdout and "the method (not in the paste" in result.stdout


def test_firefox_without_origin_is_one_line_exit_2(api: RawServer) -> None:
    text = ("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
            f"{api.url('/x')}. (Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 missing). "
            "Status code: 404.")
    result = CliRunner().invoke(main, ["explain", text])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--origin" in result.stderr
    assert not api.log
    ok = CliRunner().invoke(main, ["explain", text, "--origin", ORIGIN])
    assert ok.exit_code == 0 and "AGREE" in ok.stdout


def test_unrecognised_text_is_one_line_exit_2() -> None:
    result = CliRunner().invoke(main, ["explain", "it does not work, please help"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "expected a Chrome/Edge, Firefox or Safari console CORS error" in result.stderr


def test_text_from_stdin_and_dry_run_sends_nothing(api: RawServer) -> None:
    text = f"curl '{api.url('/ok/items')}' -H 'origin: {ORIGIN}' -H 'x-token: 1'"
    document = json.loads(CliRunner().invoke(main, ["explain", "-", "--dry-run", "--format", "json"],
                                             input=text).stdout)
    assert document == {"version": 1, "parsed": document["parsed"], "results": []}
    assert document["parsed"][0]["headers"] == [["x-token", "********"]]
    assert not api.log


def test_pasted_put_is_not_sent_without_send_unsafe_and_secrets_are_masked(api: RawServer) -> None:
    text = (f"curl '{api.url('/ok/items/1')}' -X 'PUT' -H 'origin: {ORIGIN}' -H 'x-token: 1' "
            "-H 'authorization: Bearer pasted-bearer-value' -b 'sid=pasted-cookie-value'")
    for extra in ([], ["--send-unsafe"]):
        api.log.clear()
        result = CliRunner().invoke(main, ["explain", text, "-v", *extra])
        out = result.stdout + result.stderr
        assert result.exit_code == 0, out
        assert "pasted-bearer-value" not in out and "pasted-cookie-value" not in out
        preflight = api.log[0]
        assert preflight.method == "OPTIONS"
        assert preflight.header("cookie") is None and preflight.header("authorization") is None
        browser = [r for r in api.log if "extra probe" not in (r.header("user-agent") or "")]  # no comparison probes
        assert [r.method for r in browser] == (["OPTIONS", "PUT"] if extra else ["OPTIONS"])
    assert api.log[1].header("cookie") == "sid=pasted-cookie-value"
    assert api.log[1].header("authorization") == "Bearer pasted-bearer-value"
    document = _json(CliRunner(), text, "--send-unsafe")
    assert "pasted-cookie-value" not in json.dumps(document) and "pasted-bearer-value" not in json.dumps(document)
    assert document["parsed"][0]["credentials"] == "include"  # type: ignore[index]


def test_options_fill_what_the_paste_does_not_say(api: RawServer) -> None:
    text = _chrome(api.url("/ok/items"), "It does not have HTTP ok status.")
    document = _json(CliRunner(), text, "-X", "PUT", "-H", "X-Token: 1", "--credentials")
    [row] = document["results"]  # type: ignore[misc]
    assert (row["method"], row["credentials"], row["request_headers"]) == ("PUT", "include", {"X-Token": "********"})


def test_har_file_errors_are_one_line(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "broken.har"  # type: ignore[operator]
    path.write_text("{not json")
    result = CliRunner().invoke(main, ["explain", "--har", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "broken.har" in result.stderr
