"""Fixtures for the audit tests: the hand-rolled lab, started once per module on an ephemeral port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.audit.lab import Lab


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running
