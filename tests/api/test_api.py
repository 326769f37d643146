"""The Python API against a raw loopback server: probe()/aprobe() verdicts, run_scenarios(),
assertion helpers, an in-process ASGI app through client=, and the guarded public names."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route

import corsprobe
from corsprobe import Reason, ScenarioError, Verdict
from corsprobe.api import assert_allowed, assert_blocked, explain, make_probe
from tests.api.conftest import APP
from tests.support.rawserver import RawServer

PUBLIC = {
    "probe", "aprobe", "run_scenarios", "arun_scenarios", "Result", "Probe", "Outcome", "Verdict",
    "Reason", "Credentials", "Expectation", "ScenarioError", "__version__",
}

# (id, path, probe keyword arguments, verdict, reason)
PROBES: list[tuple[str, str, dict[str, Any], Verdict, Reason | None]] = [
    ("simple-get", "/allow", {}, Verdict.ALLOWED, None),
    ("credentialed-put-preflight", "/allow",
     {"method": "PUT", "headers": {"X-Token": "1"}, "credentials": True, "send_unsafe": True},
     Verdict.ALLOWED, None),
    ("header-not-allowed", "/allow", {"method": "PUT", "headers": [("X-Other", "1")]},
     Verdict.BLOCKED, Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("other-origin", "/allow", {"origin": "https://evil.example"}, Verdict.BLOCKED,
     Reason.MISSING_ALLOW_ORIGIN_HEADER),
    ("no-cors-headers", "/blocked", {}, Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER),
    ("star-with-credentials", "/star", {"credentials": True}, Verdict.BLOCKED,
     Reason.WILDCARD_ORIGIN_NOT_ALLOWED),
    ("star-without-credentials", "/star", {}, Verdict.ALLOWED, None),
    ("not-http", "/garbage", {}, Verdict.ERROR, Reason.INVALID_RESPONSE),
]


@pytest.mark.parametrize(("path", "options", "verdict", "reason"), [row[1:] for row in PROBES],
                         ids=[row[0] for row in PROBES])
def test_probe_verdicts(api: RawServer, path: str, options: dict[str, Any], verdict: Verdict,
                        reason: Reason | None) -> None:
    result = corsprobe.probe(api.url(path), **{"origin": APP, **options})
    assert result.outcome.verdict is verdict, explain(result)
    assert (result.outcome.failure.reason if result.outcome.failure else None) is reason
    assert result.passed is None
    assert api.log and all(r.header("origin") == options.get("origin", APP) for r in api.log)


def test_probe_reports_exchanges_and_readable_headers(api: RawServer) -> None:
    result = corsprobe.probe(api.url("/allow"), origin=APP, method="PUT", headers={"X-Token": "t"},
                             credentials=True, cookie="sid=1", send_unsafe=True)
    assert [e.request.method for e in result.exchanges] == ["OPTIONS", "PUT"]
    assert [r.method for r in api.log] == ["OPTIONS", "PUT"]
    assert api.log[0].header("access-control-request-headers") == "x-token"
    assert api.log[0].header("cookie") is None and api.log[1].header("cookie") == "sid=1"
    assert "x-total" in result.outcome.readable_headers
    assert_allowed(result, readable=["X-Total"])


def test_unreachable_server_is_an_error_not_an_exception(dead_url: str) -> None:
    result = corsprobe.probe(dead_url, origin=APP, timeout=5)
    assert result.outcome.verdict is Verdict.ERROR
    assert result.outcome.failure is not None and result.outcome.failure.reason is Reason.NETWORK_ERROR


def test_headers_as_mapping_or_pairs_make_the_same_probe() -> None:
    pairs = make_probe("http://127.0.0.1/x", origin=APP, headers=[("X-A", "1"), ("X-B", "2")])
    mapping = make_probe("http://127.0.0.1/x", origin=APP, headers={"X-A": "1", "X-B": "2"})
    assert pairs == mapping and pairs.headers == (("X-A", "1"), ("X-B", "2"))


@pytest.mark.parametrize("origin", ["app.example.com", "ftp://app.example.com", ""])
def test_a_malformed_origin_is_a_value_error(origin: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        corsprobe.probe("http://127.0.0.1:9/x", origin=origin)


def test_assertion_messages_show_verdict_reason_why_and_fix(api: RawServer) -> None:
    blocked = corsprobe.probe(api.url("/blocked"), origin=APP)
    with pytest.raises(AssertionError) as failure:
        assert_allowed(blocked)
    text = str(failure.value)
    assert "Expected allowed, but the verdict is blocked." in text
    assert "verdict: blocked (missing_allow_origin_header)" in text
    assert "why: The response has no Access-Control-Allow-Origin header" in text
    assert f"fix (actual): Add 'Access-Control-Allow-Origin: {APP}' to the actual response" in text
    assert_blocked(blocked, "missing_allow_origin_header")
    with pytest.raises(AssertionError, match="Expected reason wildcard_origin_not_allowed, got missing_allow"):
        assert_blocked(blocked, Reason.WILDCARD_ORIGIN_NOT_ALLOWED)
    allowed = corsprobe.probe(api.url("/star"), origin="https://evil.example")
    with pytest.raises(AssertionError, match=r"Stop answering 'Access-Control-Allow-Origin: \*' if 'https://evil\.example'"):
        assert_blocked(allowed)


@pytest.mark.anyio
async def test_sync_probe_inside_a_loop_points_at_aprobe(api: RawServer) -> None:
    with pytest.raises(RuntimeError, match=r"await corsprobe\.aprobe"):
        corsprobe.probe(api.url("/allow"), origin=APP)
    result = await corsprobe.aprobe(api.url("/allow"), origin=APP)
    assert result.outcome.verdict is Verdict.ALLOWED


def _asgi_app() -> Starlette:
    async def items(_request: Any) -> JSONResponse:
        return JSONResponse([])

    cors = Middleware(CORSMiddleware, allow_origins=[APP], allow_methods=["GET"], allow_credentials=True)
    return Starlette(routes=[Route("/items", items, methods=["GET", "PUT"])], middleware=[cors])


def test_an_injected_client_probes_an_asgi_app_in_process() -> None:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=_asgi_app()), follow_redirects=False)
    allowed = corsprobe.probe("https://testserver/items", origin=APP, credentials=True, client=client)
    assert allowed.outcome.verdict is Verdict.ALLOWED, explain(allowed)
    put = corsprobe.probe("https://testserver/items", origin=APP, method="PUT", client=client)
    # Starlette answers a preflight for a method it does not allow with 400, and a browser
    # checks the status before Access-Control-Allow-Methods.
    assert put.outcome.failure is not None
    assert (put.outcome.failure.reason, put.outcome.failure.detail) == (Reason.PREFLIGHT_INVALID_STATUS, "400")


def test_a_client_that_follows_redirects_is_refused() -> None:
    client = httpx.AsyncClient(follow_redirects=True)
    with pytest.raises(ValueError, match="follow_redirects=False"):
        corsprobe.probe("http://127.0.0.1:9/x", origin=APP, client=client)


SCENARIO = """\
base_url = "http://127.0.0.1:9"

[[probe]]
name = "list allowed"
path = "/allow"
origin = "{app}"
credentials = true
expect = "allowed"
expect_readable = ["X-Total"]

[[probe]]
name = "evil blocked"
path = "/allow"
origin = "https://evil.example"
expect = "blocked"

[[probe]]
name = "wrongly expected"
path = "/blocked"
origin = "{app}"
expect = "allowed"

[[probe]]
name = "no expectation"
path = "/star"
origin = "{app}"
"""


def _scenarios(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "api.toml").write_text(SCENARIO.format(app=APP), encoding="utf-8")
    return folder


def test_run_scenarios_on_a_directory(api: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = corsprobe.run_scenarios(_scenarios(tmp_path), base_url=api.origin)
    assert [r.probe.name for r in results] == ["list allowed", "evil blocked", "wrongly expected", "no expectation"]
    assert [r.passed for r in results] == [True, True, False, None]
    assert [r.outcome.verdict for r in results] == [Verdict.ALLOWED, Verdict.BLOCKED, Verdict.BLOCKED,
                                                    Verdict.ALLOWED]
    assert results[0].source == str(tmp_path / "scenarios" / "api.toml") + ":3"
    assert "expected: Expected allowed, but the verdict is blocked." in explain(results[2])


@pytest.mark.anyio
async def test_arun_scenarios_with_only(api: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = [str(_scenarios(tmp_path) / "api.toml")]
    results = await corsprobe.arun_scenarios(files, base_url=api.origin, only=["evil", "wrongly"])
    assert [(r.probe.name, r.passed) for r in results] == [("evil blocked", True), ("wrongly expected", False)]
    assert {r.path for r in api.log} == {"/allow", "/blocked"}


def test_a_bad_scenario_file_raises_scenario_error_with_line(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[probe]]\nurl = "http://127.0.0.1:9/x"\norigin = "https://a.example"\nexpekt = "allowed"\n')
    with pytest.raises(ScenarioError) as error:
        corsprobe.run_scenarios(bad)
    assert (error.value.path, error.value.line) == (str(bad), 4)
    assert "'expekt'; did you mean 'expect'?" in str(error.value)


def test_exported_names_are_the_documented_set() -> None:
    assert set(corsprobe.__all__) == PUBLIC
    assert len(corsprobe.__all__) == len(PUBLIC)
    for name in PUBLIC:
        assert getattr(corsprobe, name) is not None
        assert name in dir(corsprobe)
    assert corsprobe.Result is __import__("corsprobe.model").model.Result
    with pytest.raises(AttributeError):
        _ = corsprobe.no_such_name  # type: ignore[attr-defined]


def test_importing_corsprobe_or_its_plugin_does_not_import_httpx() -> None:
    code = textwrap.dedent("""
        import sys
        import corsprobe, corsprobe.pytest_plugin
        loaded = sorted(m for m in sys.modules if m.startswith(("httpx", "corsprobe")))
        assert loaded == ["corsprobe", "corsprobe.pytest_plugin"], loaded
        corsprobe.Verdict, corsprobe.probe
        assert "httpx" not in sys.modules
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
