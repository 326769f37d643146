"""Fixtures for the layer tests: real Express, Django and nginx servers (tests/support/processes.py) and a
runner client. A server that cannot run here skips its tests, unless CORSPROBE_LAYER_TESTS=require (CI),
where it fails them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx
import pytest

from corsprobe.runner import ClientOptions, make_client
from tests.support import processes


def need(reason: str | None) -> None:
    """Skip (or, in CI, fail) when ``reason`` says why a server cannot run."""
    if reason is None:
        return
    if os.environ.get("CORSPROBE_LAYER_TESTS") == "require":
        pytest.fail(f"layer tests required but: {reason}")
    pytest.skip(reason)


@pytest.fixture
def needs_express() -> None:
    need(processes.express_available())


@pytest.fixture
def needs_nginx() -> None:
    need(None if processes.nginx_binary() else "nginx is not installed (apt-get install nginx-light)")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(ClientOptions(timeout=5.0)) as made:
        yield made
