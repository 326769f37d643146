"""Politeness per host: at most ``max_per_host`` exchanges in flight and at most ``rate``
request starts per second to one ``scheme://host:port``. Shared by every worker of a run.

Waits on asyncio only; no network I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from corsprobe.wire.urls import host_key


class HostGate:
    """Acquire ``slot(url)`` around each exchange; unlimited when both limits are None."""

    def __init__(self, rate: float | None = None, max_per_host: int | None = None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.max_per_host = max_per_host
        self._limits: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @property
    def unlimited(self) -> bool:
        return self.max_per_host is None and not self.interval

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        if self.max_per_host is None and not self.interval:
            yield
            return
        key = host_key(url)
        limit = None
        if self.max_per_host is not None:
            limit = self._limits.setdefault(key, asyncio.Semaphore(self.max_per_host))
            await limit.acquire()
        try:
            if self.interval:
                await self._pace(key)
            yield
        finally:
            if limit is not None:
                limit.release()

    async def _pace(self, key: str) -> None:
        """Reserve the next start time for this host, then sleep until it."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self._next_start.get(key, now))
        self._next_start[key] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)
