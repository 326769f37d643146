"""Fixtures for CLI tests: a clean colour environment and a scripted raw server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.support.rawserver import RawServer, Received, response

ORIGIN = "http://localhost:8080"


@pytest.fixture(autouse=True)
def _clean_color_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def _api(request: Received) -> bytes:
    """/ok allows ORIGIN with credentials; /strict only allows GET; /star answers '*'."""
    origin = request.header("origin") or ""
    allowed = origin == ORIGIN
    if request.path.startswith("/ok"):
        headers = [("Vary", "Origin")]
        if allowed:
            headers += [("Access-Control-Allow-Origin", origin),
                        ("Access-Control-Allow-Credentials", "true")]
        if request.method == "OPTIONS":
            headers += [("Access-Control-Allow-Methods", "GET, PUT"),
                        ("Access-Control-Allow-Headers", "X-Token, Authorization")]
            return response(204, headers)
        return response(200, [*headers, ("Set-Cookie", "sid=s3cr3t-cookie; Path=/")], b"{}")
    if request.path.startswith("/strict"):
        headers = [("Access-Control-Allow-Origin", origin)]
        if request.method == "OPTIONS":
            return response(204, [*headers, ("Access-Control-Allow-Methods", "GET")])
        return response(200, headers, b"{}")
    if request.path.startswith("/star"):
        return response(200, [("Access-Control-Allow-Origin", "*")], b"{}")
    return response(404, [])


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_api) as server:
        yield server
