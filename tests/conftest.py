"""Shared fixtures for the whole suite: anyio runs async tests on asyncio.

No I/O here; suite-specific fixtures live next to their tests.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
