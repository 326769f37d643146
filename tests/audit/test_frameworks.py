"""The audit against real CORS layers: Starlette's CORSMiddleware (regex mistakes, ['*'] with credentials, a
correct list) under uvicorn, and flask-cors under Werkzeug, on 127.0.0.1 ephemeral ports. Fixes name the
layer's own setting."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_cors import CORS
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from corsprobe.audit.codes import Severity
from corsprobe.audit.model import Audit, Target
from corsprobe.audit.runner import audit_all
from tests.audit.lab import ADMIN, APP
from tests.support.servers import Running, run_asgi, run_wsgi

STARLETTE: dict[str, dict[str, Any]] = {
    "/dot-regex": {"allow_origin_regex": r"https://app.example.com", "allow_credentials": True},
    "/suffix-regex": {"allow_origin_regex": r"https://.*example\.com", "allow_credentials": True},
    "/star-credentials": {"allow_origins": ["*"], "allow_credentials": True},
    "/headers-star": {"allow_origins": [APP, ADMIN], "allow_headers": ["*"], "allow_credentials": True},
    "/list": {"allow_origins": [APP, ADMIN], "allow_credentials": True, "allow_methods": ["GET", "POST"]},
}
EXPECTED = {
    "/dot-regex": [("unescaped_dot", "critical")],
    "/suffix-regex": [("suffix_match", "critical")],
    "/star-credentials": [("reflect_any_origin", "critical")],
    "/headers-star": [("acah_reflected", "low")],
    "/list": [],
}
SAFE = {"GET", "HEAD", "OPTIONS"}


def _starlette(seen: list[tuple[str, list[str]]]) -> Starlette:
    async def items(request: Request) -> JSONResponse:
        return JSONResponse({"items": []})

    def inner() -> Starlette:
        return Starlette(routes=[Route("/items", items, methods=["GET", "POST"])])

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append((scope["method"], [k.decode().lower() for k, _ in scope["headers"]]))
        await outer(scope, receive, send)

    outer = Starlette(routes=[Mount(path, app=CORSMiddleware(inner(), **config)) for path, config in STARLETTE.items()])
    return app  # type: ignore[return-value]


@pytest.fixture(scope="module")
def starlette_server() -> Iterator[tuple[Running, list[tuple[str, list[str]]]]]:
    seen: list[tuple[str, list[str]]] = []
    with run_asgi(_starlette(seen)) as running:
        yield running, seen


@pytest.fixture(scope="module")
def starlette_audits(starlette_server: tuple[Running, list[tuple[str, list[str]]]]) -> dict[str, Audit]:
    running, _seen = starlette_server
    targets = [Target(running.url(f"{path}/items"), (APP,), methods=("GET", "POST")) for path in STARLETTE]
    return dict(zip(STARLETTE, asyncio.run(audit_all(targets)), strict=True))


@pytest.mark.parametrize("path", list(STARLETTE))
def test_starlette_configurations(starlette_audits: dict[str, Audit], path: str) -> None:
    audit = starlette_audits[path]
    assert audit.error is None
    found = [(f.code.value, f.severity.value) for f in audit.findings if f.severity is not Severity.INFO]
    assert found == EXPECTED[path]
    assert audit.layer == "starlette"


def test_starlette_fixes_name_the_middleware_setting(starlette_audits: dict[str, Audit]) -> None:
    star = starlette_audits["/star-credentials"].findings[0]
    assert "allow_origins=['*']" in star.fix and "allow_credentials=True" in star.fix
    assert "allow_origin_regex" in starlette_audits["/dot-regex"].findings[0].fix
    assert "allow_headers=['*']" in starlette_audits["/headers-star"].findings[0].fix


def test_starlette_saw_only_safe_requests(starlette_server: tuple[Running, list[tuple[str, list[str]]]],
                                          starlette_audits: dict[str, Audit]) -> None:
    _running, seen = starlette_server
    assert seen and {method for method, _ in seen} <= SAFE
    assert not any({"cookie", "authorization"} & set(names) for _, names in seen)


def _flask(seen: list[tuple[str, list[str]]], **config: Any) -> Flask:
    app = Flask(__name__)
    CORS(app, **config)

    @app.before_request
    def log() -> None:
        from flask import request

        seen.append((request.method, [k.lower() for k in request.headers.keys()]))  # noqa: SIM118

    @app.get("/items")
    def items() -> dict[str, list[str]]:
        return {"items": []}

    return app


@pytest.mark.parametrize(("config", "expected"), [
    ({"supports_credentials": True}, [("reflect_any_origin", "critical")]),
    ({"origins": [APP, ADMIN], "supports_credentials": True}, []),
    # The defaults reflect every origin, without credentials: readable by anyone, public data only.
    ({}, [("reflect_any_origin", "low")]),
], ids=["credentials-default-origins", "list", "defaults"])
def test_flask_cors(config: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    seen: list[tuple[str, list[str]]] = []
    with run_wsgi(_flask(seen, **config)) as running:
        [audit] = asyncio.run(audit_all([Target(running.url("/items"), (APP,), methods=("GET", "POST"))]))
    assert audit.error is None
    assert [(f.code.value, f.severity.value) for f in audit.findings if f.severity is not Severity.INFO] == expected
    assert seen and {method for method, _ in seen} <= SAFE
    assert not any({"cookie", "authorization"} & set(names) for _, names in seen)
    if expected:
        assert audit.layer == "flask-cors"
        assert "CORS(app" in audit.findings[0].fix or "origins" in audit.findings[0].fix
