"""Shared fixtures for the whole suite: anyio runs async tests on asyncio.

No I/O here; suite-specific fixtures live next to their tests.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk only to loopback: a proxy from the environment must not intercept them."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


_NOT_INSTALLED = "is not installed (set "
_quieted: dict[str, int] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests whose browser is missing are left out quietly (one summary line per reason)
    instead of printing thousands of skip markers; with the gate set to 'require' they run and fail."""
    kept, dropped = [], []
    for item in items:
        reasons = [str(m.kwargs.get("reason", "")) for m in item.iter_markers("skip")]
        reason = next((r for r in reasons if _NOT_INSTALLED in r), None)
        if reason is None:
            kept.append(item)
        else:
            dropped.append(item)
            _quieted[reason] = _quieted.get(reason, 0) + 1
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reason, count in _quieted.items():
        terminalreporter.write_line(f"browser tests not run: {count} ({reason})")
