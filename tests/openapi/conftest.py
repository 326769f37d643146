"""Fixtures for the OpenAPI tests: the shop app under two CORS configurations, served by uvicorn on
127.0.0.1 ephemeral ports (one server per configuration for the module), and the secrets its
security schemes read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.openapi.apps import shop
from tests.support.servers import Running, run_asgi


@pytest.fixture(scope="module")
def partial() -> Iterator[Running]:
    with run_asgi(shop("partial")) as server:
        yield server


@pytest.fixture(scope="module")
def open_api() -> Iterator[Running]:
    with run_asgi(shop("open")) as server:
        yield server


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CORSPROBE_HTTPBEARER", "bearer-s3cret")
    monkeypatch.setenv("CORSPROBE_APIKEYCOOKIE", "cookie-s3cret")
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()
