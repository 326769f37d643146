"""Fixtures for the API and pytest-plugin tests: no proxies from the environment, and a raw
loopback server whose paths allow, block or break CORS in known ways."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.support.rawserver import RawServer, Received, response

APP = "https://app.example.com"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def _api(request: Received) -> bytes:
    """/allow: APP with credentials, PUT and X-Token, exposes X-Total; /blocked: no CORS headers;
    /star: '*' only; /garbage: not HTTP."""
    origin = request.header("origin") or ""
    if request.path == "/allow":
        headers = [("Vary", "Origin")]
        if origin == APP:
            headers += [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
        if request.method == "OPTIONS":
            return response(204, [*headers, ("Access-Control-Allow-Methods", "GET, PUT"),
                                  ("Access-Control-Allow-Headers", "X-Token")])
        return response(200, [*headers, ("Access-Control-Expose-Headers", "X-Total"), ("X-Total", "3")], b"[]")
    if request.path == "/blocked":
        return response(200, [("Content-Type", "application/json")], b"{}")
    if request.path == "/star":
        return response(200, [("Access-Control-Allow-Origin", "*")], b"{}")
    if request.path == "/garbage":
        return b"this is not HTTP\r\n\r\n"
    return response(404)


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_api) as server:
        yield server


@pytest.fixture
def dead_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"
