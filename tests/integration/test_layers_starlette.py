"""Issue 7 against real FastAPI/Starlette (uvicorn) and flask-cors (werkzeug) servers: each common mistake gives
the right layer and every problem, and the printed layer fix, applied to the real server's configuration,
turns the row ALLOWED on re-probe (the real proof). Real sockets on 127.0.0.1, ephemeral ports.

``apply`` reads the printed config text itself (``CORSMiddleware(allow_origins=[..., 'x'])`` appends,
``CORS(app, supports_credentials=True)`` sets), so a template that cannot be applied fails here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask, make_response
from flask_cors import CORS
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.layers.base import ProblemCode
from corsprobe.model import Credentials, Expectation, Job, Probe, Result, Verdict
from corsprobe.output.view import Row
from corsprobe.runner import RunPolicy, run_probe
from tests.support.servers import run_asgi, run_wsgi

pytestmark = pytest.mark.anyio
PAGE = "http://localhost:8080"


def fastapi_app(config: dict[str, Any], *, options_first: bool = False, wrap: bool = False) -> Any:
    app = FastAPI()

    @app.get("/api/items")
    async def items() -> JSONResponse:
        return JSONResponse({"ok": True}, headers={"X-Request-Id": "r-1"})

    @app.put("/api/items")
    async def put_items() -> JSONResponse:
        return JSONResponse({"ok": True})

    @app.get("/api/crash")
    async def crash() -> JSONResponse:
        raise RuntimeError("a route that raises (expected by the test)")

    if wrap:
        return CORSMiddleware(app, **config)
    app.add_middleware(CORSMiddleware, **config)
    if options_first:  # added after CORSMiddleware, so outside it: answers OPTIONS before CORS sees them
        @app.middleware("http")
        async def no_options(request: Request, call_next: Callable[..., Any]) -> Response:
            if request.method == "OPTIONS":
                return Response("Method Not Allowed", status_code=405)
            response: Response = await call_next(request)
            return response
    return app


def flask_app(config: dict[str, Any]) -> Flask:
    app = Flask("issue7")

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> Any:
        response = make_response({"ok": True})
        response.headers["X-Request-Id"] = "r-1"
        return response

    CORS(app, **config)
    return app


def apply(config: dict[str, Any], text: str) -> dict[str, Any]:
    """Apply one printed fix (``CORSMiddleware(k=[..., v])`` / ``CORS(app, k=v)``) to keyword arguments."""
    call = re.search(r"(CORSMiddleware|CORS)\((.*?)\)(?::|$| \(| instead| or)", text)
    assert call is not None, text
    parsed = ast.parse(f"f({call.group(2).replace('app, ', '', 1)})", mode="eval").body
    assert isinstance(parsed, ast.Call)
    updated = dict(config)
    for keyword in parsed.keywords:
        assert keyword.arg is not None
        node = keyword.value
        if isinstance(node, ast.List) and node.elts and isinstance(node.elts[0], ast.Constant) \
                and node.elts[0].value is Ellipsis:
            added = [ast.literal_eval(e) for e in node.elts[1:]]
            updated[keyword.arg] = [*updated.get(keyword.arg, []), *added]
        elif not (isinstance(node, ast.Constant) and node.value is Ellipsis):
            updated[keyword.arg] = ast.literal_eval(node)
    return updated


@dataclass(frozen=True)
class Case:
    name: str
    config: dict[str, Any]
    probe: Probe
    layer: str
    problems: tuple[ProblemCode, ...]
    expect: Expectation | None = None


def _probe(path: str = "/api/items", method: str = "GET", headers: tuple[tuple[str, str], ...] = (),
           credentials: bool = False) -> Probe:
    return Probe(path, PAGE, method, headers, Credentials.INCLUDE if credentials else Credentials.OMIT,
                 send_unsafe=True)


TUTORIAL = {"allow_origins": [PAGE], "allow_credentials": True, "allow_methods": ["GET", "PUT"],
            "allow_headers": ["X-Token"]}
STARLETTE_CASES = [
    Case("unlisted origin", {**TUTORIAL, "allow_origins": ["http://localhost:3000"]}, _probe(credentials=True),
         "starlette", (ProblemCode.ORIGIN_NOT_ALLOWED,)),
    Case("trailing slash", {**TUTORIAL, "allow_origins": [PAGE + "/"]},
         _probe(method="PUT", headers=(("X-Token", "1"),), credentials=True),
         "starlette", (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.PREFLIGHT_STATUS)),
    Case("missing allow_credentials", {**TUTORIAL, "allow_credentials": False}, _probe(credentials=True),
         "starlette", (ProblemCode.CREDENTIALS_NOT_ALLOWED,)),
    Case("method and header not allowed", {**TUTORIAL, "allow_methods": ["GET"], "allow_headers": []},
         _probe(method="PUT", headers=(("X-Token", "1"),), credentials=True),
         "starlette", (ProblemCode.METHOD_NOT_ALLOWED, ProblemCode.HEADER_NOT_ALLOWED, ProblemCode.PREFLIGHT_STATUS)),
    Case("header not exposed", TUTORIAL, _probe(credentials=True), "starlette", (ProblemCode.HEADER_NOT_EXPOSED,),
         Expectation(Verdict.ALLOWED, readable=("X-Request-Id",))),
]
FLASK_CASES = [
    Case("unlisted origin", {"origins": ["http://localhost:3000"]}, _probe(method="PUT", headers=(("X-Token", "1"),)),
         "flask-cors", (ProblemCode.ORIGIN_NOT_ALLOWED,)),
    Case("missing supports_credentials", {"origins": [PAGE]}, _probe(method="PUT", credentials=True),
         "flask-cors", (ProblemCode.CREDENTIALS_NOT_ALLOWED,)),
    Case("header not allowed", {"origins": [PAGE], "allow_headers": ["X-Other"]},
         _probe(method="PUT", headers=(("X-Token", "1"),)), "flask-cors", (ProblemCode.HEADER_NOT_ALLOWED,)),
    Case("header not exposed", {"origins": [PAGE]}, _probe(), "flask-cors", (ProblemCode.HEADER_NOT_EXPOSED,),
         Expectation(Verdict.ALLOWED, readable=("X-Request-Id",))),
]


async def _run(client: httpx.AsyncClient, origin: str, case: Case) -> Result:
    probe = Probe(origin + case.probe.url, case.probe.origin, case.probe.method, case.probe.headers,
                  case.probe.credentials, send_unsafe=True)
    return await run_probe(client, Job(probe, case.expect), RunPolicy(CHROMIUM, extra_probes=True))


def _allowed(result: Result) -> bool:
    return result.outcome.verdict is Verdict.ALLOWED and result.passed is not False


async def _diagnose_then_fix(client: httpx.AsyncClient, case: Case, serve: Callable[[dict[str, Any]], Any]) -> None:
    with serve(case.config) as server:
        result = await _run(client, server.origin, case)
    row = Row.of(result)
    assert not _allowed(result), case.name
    assert (row.server().layer, row.server().named) == (case.layer, False), row.server()
    fixes = row.fixes()
    assert tuple(f.problem for f in fixes) == case.problems, [f.change for f in fixes]
    config = case.config
    for fix in fixes:
        if fix.problem is ProblemCode.PREFLIGHT_STATUS and case.layer == "starlette":
            assert fix.config is not None and fix.config.startswith("nothing of its own")
            continue
        assert fix.layer == case.layer and fix.config is not None, fix
        config = apply(config, fix.config)
    with serve(config) as server:
        again = await _run(client, server.origin, case)
    assert _allowed(again), (case.name, config, Row.of(again).fix_lines())


@pytest.mark.parametrize("case", STARLETTE_CASES, ids=[c.name for c in STARLETTE_CASES])
async def test_fastapi_mistake_is_diagnosed_and_the_printed_fix_makes_it_allowed(
        client: httpx.AsyncClient, case: Case) -> None:
    await _diagnose_then_fix(client, case, lambda config: run_asgi(fastapi_app(config)))


@pytest.mark.parametrize("case", FLASK_CASES, ids=[c.name for c in FLASK_CASES])
async def test_flask_cors_mistake_is_diagnosed_and_the_printed_fix_makes_it_allowed(
        client: httpx.AsyncClient, case: Case) -> None:
    await _diagnose_then_fix(client, case, lambda config: run_wsgi(flask_app(config)))


async def test_trailing_slash_explains_the_exact_serialized_origin(client: httpx.AsyncClient) -> None:
    case = STARLETTE_CASES[1]
    with run_asgi(fastapi_app(case.config)) as server:
        row = Row.of(await _run(client, server.origin, case))
    first = row.fixes()[0]
    assert "compare the serialized origin exactly, so list 'http://localhost:8080'" in first.change
    assert "no trailing slash" in first.change
    assert row.diagnosis().actual_unseen and any("actual response still needs checking" in x for x in row.fix_lines())
    assert "Disallowed CORS origin" in row.result.exchanges[0].response.body  # type: ignore[union-attr]


async def test_route_that_raises_gets_its_500_outside_the_middleware(client: httpx.AsyncClient) -> None:
    case = Case("500", TUTORIAL, _probe("/api/crash"), "starlette", (ProblemCode.ERROR_SKIPS_LAYER,
                                                                       ProblemCode.ORIGIN_NOT_ALLOWED))
    with run_asgi(fastapi_app(TUTORIAL)) as server:
        result = await _run(client, server.origin, case)
    row = Row.of(result)
    assert row.result.outcome.verdict is Verdict.BLOCKED and row.actual_status == 500
    assert [x.purpose.value for x in result.extra] == ["options_comparison"]
    assert row.server().layer == "starlette"
    fix = row.fixes()[0]
    assert fix.problem is ProblemCode.ERROR_SKIPS_LAYER and fix.config is not None
    assert "ServerErrorMiddleware, outside CORSMiddleware" in fix.config
    assert "app = CORSMiddleware(app" in fix.config
    with run_asgi(fastapi_app(TUTORIAL, wrap=True)) as server:  # the printed fix: wrap the whole app
        again = await _run(client, server.origin, case)
    assert again.outcome.verdict is Verdict.ALLOWED and Row.of(again).actual_status == 500


async def test_options_answered_before_the_middleware(client: httpx.AsyncClient) -> None:
    case = Case("options", TUTORIAL, _probe(method="PUT", headers=(("X-Token", "1"),)), "starlette", ())
    with run_asgi(fastapi_app(TUTORIAL, options_first=True)) as server:
        result = await _run(client, server.origin, case)
    row = Row.of(result)
    assert [x.purpose.value for x in result.extra] == ["get_comparison"]
    codes = [f.problem for f in row.fixes()]
    assert codes[0] is ProblemCode.PREFLIGHT_SKIPS_LAYER and ProblemCode.PREFLIGHT_STATUS in codes
    assert row.server().layer == "starlette"
    assert "nothing before it may answer or reject OPTIONS" in (row.fixes()[0].config or "")
    with run_asgi(fastapi_app(TUTORIAL)) as server:  # the fix: nothing answers OPTIONS before CORSMiddleware
        assert _allowed(await _run(client, server.origin, case))


@pytest.mark.parametrize("serve", ["fastapi", "flask"])
async def test_any_origin_with_credentials_is_a_warning_with_the_layers_fix(
        client: httpx.AsyncClient, serve: str) -> None:
    if serve == "fastapi":
        config: dict[str, Any] = {**TUTORIAL, "allow_origins": ["*"]}
        start: Callable[[dict[str, Any]], Any] = lambda c: run_asgi(fastapi_app(c))  # noqa: E731
    else:
        config = {"supports_credentials": True}  # flask-cors's default origins='*' reflects every origin
        start = lambda c: run_wsgi(flask_app(c))  # noqa: E731
    case = Case("any", config, _probe(credentials=True), "", ())
    with start(config) as server:
        result = await _run(client, server.origin, case)
    assert result.outcome.verdict is Verdict.ALLOWED
    assert "any_origin_with_credentials" in {w.reason.value for w in result.outcome.warnings}
    canary = result.extra[-1].exchange
    assert canary.request.method == "OPTIONS" and canary.request.header("cookie") is None
    (fix,) = Row.of(result).fixes()
    assert fix.problem is ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS and fix.config is not None
    fixed = apply(config, fix.config)
    with start(fixed) as server:
        again = await _run(client, server.origin, case)
    assert again.outcome.verdict is Verdict.ALLOWED
    assert "any_origin_with_credentials" not in {w.reason.value for w in again.outcome.warnings}


async def test_https_to_a_plain_http_port_says_use_http(client: httpx.AsyncClient) -> None:
    with run_asgi(fastapi_app(TUTORIAL)) as server:
        url = f"https://127.0.0.1:{server.port}/api/items"
        result = await run_probe(client, Probe(url, PAGE), RunPolicy(CHROMIUM, extra_probes=True))
    assert result.outcome.verdict is Verdict.ERROR and result.extra == ()
    (fix,) = Row.of(result).fixes()
    assert fix.problem is ProblemCode.PLAIN_HTTP_PORT
    assert f"this port speaks plain http (the tls handshake got 'wrong version number'): use http://127.0.0.1:" \
           f"{server.port}/api/items" in fix.change.lower()


def test_verbose_check_shows_the_starlette_400_body() -> None:
    """-v shows the body that explains a failure: CORSMiddleware's 400 'Disallowed CORS origin'."""
    from click.testing import CliRunner

    from corsprobe.cli import main

    with run_asgi(fastapi_app(TUTORIAL)) as server:
        result = CliRunner().invoke(main, ["check", f"{server.origin}/api/items", "--origin", "https://other.example",
                                           "-X", "PUT", "-v", "--layout", "table", "--no-extra-probes"])
    assert result.exit_code == 0, result.output
    assert "< 400 Bad Request" in result.stdout
    assert "< (body, first 22 bytes) Disallowed CORS origin" in result.stdout
