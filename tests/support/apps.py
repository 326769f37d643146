"""Small real APIs behind real CORS middleware: a Starlette app under CORSMiddleware and a
Flask app under flask-cors, each in named configurations, with a recorder that logs every
request as it arrived at the server's edge and every request that reached a route. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, make_response, request
from flask_cors import CORS
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

PAGE = "http://localhost:8080"
ITEM_HEADERS = {"X-Request-Id": "req-1", "X-Trace": "t-1"}

STARLETTE_CONFIGS: dict[str, dict[str, Any]] = {
    "exact": {"allow_origins": [PAGE], "allow_credentials": True,
              "allow_methods": ["GET", "PUT"], "allow_headers": ["X-Token"]},
    "wildcard": {"allow_origins": ["*"], "allow_methods": ["*"], "allow_headers": ["*"]},
    "wildcard_credentials": {"allow_origins": ["*"], "allow_credentials": True,
                             "allow_methods": ["*"], "allow_headers": ["*"]},
    "regex": {"allow_origin_regex": r"https://[a-z]+\.example\.org", "allow_methods": ["GET", "DELETE"]},
    "strict": {"allow_origins": [PAGE], "allow_methods": ["GET"]},
    "expose": {"allow_origins": [PAGE], "allow_methods": ["GET"], "expose_headers": ["X-Request-Id"]},
}

FLASK_CONFIGS: dict[str, dict[str, Any]] = {
    # flask-cors defaults: every origin reflected, every method, requested headers echoed.
    "default": {},
    "exact": {"origins": [PAGE], "supports_credentials": True, "methods": ["GET", "PUT", "PATCH"],
              "allow_headers": ["X-Token"], "expose_headers": ["X-Request-Id"]},
}


@dataclass(frozen=True)
class Seen:
    """One request as the server's edge received it (header names lower-cased)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    query: str = ""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name.lower()), None)

    def names(self) -> set[str]:
        return {k for k, _ in self.headers}


@dataclass
class Log:
    """Every request at the edge (``seen``) and every request a route handled (``reached``)."""

    seen: list[Seen] = field(default_factory=list)
    reached: list[tuple[str, str]] = field(default_factory=list)

    def seen_at(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def preflights(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "OPTIONS"]


class RecordRequests:
    """ASGI middleware that logs each HTTP request before anything else sees it."""

    def __init__(self, app: ASGIApp, log: Log) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
            query = scope["query_string"].decode("latin-1")
            self.log.seen.append(Seen(scope["method"], scope["path"], headers, query))
        await self.app(scope, receive, send)


def starlette_app(config: str | None, log: Log) -> Starlette:
    """The Starlette API; ``config`` names an entry of STARLETTE_CONFIGS (None: no CORS)."""

    async def items(req: Request) -> JSONResponse:
        log.reached.append((req.method, req.url.path))
        return JSONResponse({"method": req.method}, headers=ITEM_HEADERS)

    async def error(req: Request) -> PlainTextResponse:
        log.reached.append((req.method, req.url.path))
        return PlainTextResponse("boom", status_code=500)

    async def crash(req: Request) -> PlainTextResponse:
        log.reached.append((req.method, req.url.path))
        raise RuntimeError("unhandled error in a route (expected by the test)")

    async def redirect(req: Request) -> RedirectResponse:
        log.reached.append((req.method, req.url.path))
        return RedirectResponse("/api/items", status_code=302)

    routes = [
        Route("/api/items", items, methods=["GET", "PUT", "DELETE", "POST"]),
        Route("/api/error", error, methods=["GET"]),
        Route("/api/crash", crash, methods=["GET"]),
        Route("/api/redirect", redirect, methods=["GET"]),
    ]
    middleware = [Middleware(RecordRequests, log=log)]
    if config is not None:
        middleware.append(Middleware(CORSMiddleware, **STARLETTE_CONFIGS[config]))
    return Starlette(routes=routes, middleware=middleware)


def flask_app(config: str, log: Log) -> Callable[..., Iterable[bytes]]:
    """The Flask API under flask-cors ``config`` (a FLASK_CONFIGS key), wrapped by a recorder."""
    app = Flask(f"corsprobe-test-{config}")

    @app.route("/api/items", methods=["GET", "PUT", "PATCH", "DELETE", "POST"])
    def items() -> Response:
        log.reached.append((request.method, request.path))
        response = make_response({"method": request.method})
        response.headers.update(ITEM_HEADERS)
        return response

    CORS(app, **FLASK_CONFIGS[config])
    inner = app.wsgi_app

    def recorded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen = Seen(environ["REQUEST_METHOD"], environ["PATH_INFO"], _wsgi_headers(environ),
                    environ.get("QUERY_STRING", ""))
        log.seen.append(seen)
        return inner(environ, start_response)

    return recorded


def _wsgi_headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    pairs = [(k[5:].replace("_", "-").lower(), str(v)) for k, v in environ.items() if k.startswith("HTTP_")]
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            pairs.append((key.replace("_", "-").lower(), str(environ[key])))
    return tuple(pairs)
