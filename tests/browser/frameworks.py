"""Framework cases: the API is Starlette's CORSMiddleware (under uvicorn) or Flask with
flask-cors (under werkzeug), each in several configurations, every one on its own port.

``FrameworkServers(servers)`` starts them (bounded, in threads), records what each received
and registers them with the scripted Servers so both passes can read the evidence. Test-only;
does socket I/O.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from flask import Flask, make_response, request
from flask_cors import CORS  # type: ignore[import-untyped]
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.browser.grammar import Case, Request
from tests.browser.servers import Servers
from tests.support.rawserver import Received
from tests.support.servers import run_asgi, run_wsgi

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
RESPONSE_HEADERS = {"X-Foo": "1", "X-Bar": "2", "Cache-Control": "no-store"}

REQUESTS: dict[str, Request] = {
    "get": Request("GET"), "get-cred": Request("GET", credentials="include"),
    "head": Request("HEAD"), "get-xa": Request("GET", (("X-A", "1"),)),
    "put-xa": Request("PUT", (("X-A", "1"),), "x"),
    "put-xa-cred": Request("PUT", (("X-A", "1"),), "x", "include"),
    "patch-lower": Request("patch", (), "x"), "patch-upper": Request("PATCH", (), "x"),
    "delete-auth": Request("DELETE", (("Authorization", "Bearer t"),)),
    "post-json": Request("POST", (("Content-Type", "application/json"),), "{}"),
    "post-json-cred": Request("POST", (("Content-Type", "application/json"),), "{}", "include"),
}


def starlette_configs(page: str) -> dict[str, dict[str, Any]]:
    return {
        "st-list": {"allow_origins": [page], "allow_methods": ["GET", "PUT", "DELETE"],
                    "allow_headers": ["X-A"]},
        "st-star": {"allow_origins": ["*"], "allow_methods": ["*"], "allow_headers": ["*"]},
        "st-star-cred": {"allow_origins": ["*"], "allow_credentials": True, "allow_methods": ["*"],
                         "allow_headers": ["*"]},
        "st-regex-cred": {"allow_origin_regex": r"http://localhost:\d+", "allow_credentials": True,
                          "allow_methods": ["GET", "PUT", "PATCH"], "allow_headers": ["X-A", "Authorization"],
                          "expose_headers": ["X-Foo"]},
        "st-other": {"allow_origins": ["http://other.example"], "allow_methods": ["*"]},
        "st-defaults": {"allow_origins": [page]},
        "st-expose-cred": {"allow_origins": [page], "allow_credentials": True, "allow_methods": ["*"],
                           "allow_headers": ["*"], "expose_headers": ["X-Foo", "X-Bar"]},
    }


def flask_configs(page: str) -> dict[str, dict[str, Any]]:
    return {
        "fl-default": {},
        "fl-list-cred": {"origins": [page], "supports_credentials": True,
                         "methods": ["GET", "PUT", "PATCH"], "allow_headers": ["X-A"],
                         "expose_headers": ["X-Foo"]},
        "fl-regex": {"origins": [r"http://localhost:\d+"], "methods": ["GET", "DELETE"]},
        "fl-other": {"origins": ["http://other.example"]},
        "fl-send-wildcard": {"origins": "*", "send_wildcard": True},
        "fl-star-cred": {"origins": "*", "supports_credentials": True},
    }


class _AsgiRecorder:
    """Outermost ASGI layer: logs each request as it reached the server."""

    def __init__(self, app: ASGIApp, log: list[Received]) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = 0

        async def counting() -> Message:
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            return message

        await self.app(scope, counting, send)
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
        self.log.append(Received(scope["method"], scope["path"], headers, b"x" * size))


def starlette_app(config: dict[str, Any], log: list[Received]) -> ASGIApp:
    async def endpoint(req: StarletteRequest) -> Response:
        await req.body()
        return PlainTextResponse("ok", headers=RESPONSE_HEADERS)

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=METHODS)],
                    middleware=[Middleware(CORSMiddleware, **config)])
    return _AsgiRecorder(app, log)


def flask_app(config: dict[str, Any], log: list[Received]) -> Any:
    app = Flask(__name__)
    CORS(app, **config)

    @app.route("/<path:path>", methods=METHODS)
    def endpoint(path: str) -> Any:
        request.get_data()
        return make_response("ok", 200, RESPONSE_HEADERS)

    inner = app.wsgi_app

    def recorder(environ: dict[str, Any], start_response: Any) -> Any:
        headers = [(k[5:].replace("_", "-").lower(), str(v)) for k, v in environ.items()
                   if k.startswith("HTTP_")]
        if environ.get("CONTENT_TYPE"):
            headers.append(("content-type", environ["CONTENT_TYPE"]))
        size = int(environ.get("CONTENT_LENGTH") or 0)
        log.append(Received(environ["REQUEST_METHOD"], environ["PATH_INFO"], tuple(headers), b"x" * size))
        return inner(environ, start_response)

    app.wsgi_app = recorder  # type: ignore[method-assign]
    return app


def framework_cases() -> list[Case]:
    """Every configuration x every request; the case's start names the framework server."""
    names = [*starlette_configs(""), *flask_configs("")]
    return [Case(f"framework-{name}", request_name, request, start=name)
            for name in names for request_name, request in REQUESTS.items()]


class FrameworkServers:
    """``with FrameworkServers(servers):`` runs every configuration and registers it by name."""

    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self._stack = ExitStack()

    def __enter__(self) -> FrameworkServers:
        page = self.servers.page_origin
        werkzeug_log = logging.getLogger("werkzeug")
        level = werkzeug_log.level
        werkzeug_log.setLevel(logging.ERROR)
        self._stack.callback(werkzeug_log.setLevel, level)
        try:
            for name, config in starlette_configs(page).items():
                log: list[Received] = []
                running = self._stack.enter_context(run_asgi(starlette_app(config, log)))
                self._register(name, running.origin, log)
            for name, config in flask_configs(page).items():
                log = []
                running = self._stack.enter_context(run_wsgi(flask_app(config, log)))
                self._register(name, running.origin, log)
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stack.close()

    def _register(self, name: str, origin: str, log: list[Received]) -> None:
        self.servers.external[name] = (origin, log)
