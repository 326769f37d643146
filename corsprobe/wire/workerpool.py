"""One worker's direct connections: httpcore ``AsyncHTTPConnection``s kept per origin, without the
request queue, lock and whole-pool scans of httpcore's ``AsyncConnectionPool``.

A request takes an available connection to its origin (an HTTP/1.1 one no request holds, or an HTTP/2
one with room) or opens one, and holds it until its response is closed. At most ``limit`` exchanges are
in flight and at most ``limit`` connections open (an idle connection to another origin is closed to make
room). A connection is dropped once closed or expired (keep-alive time over, or the server closed it).

Does network I/O through httpcore; used by ``wire.pools`` only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import TYPE_CHECKING

import httpcore

from corsprobe.wire.connection import ChromiumConnection

if TYPE_CHECKING:
    from corsprobe.wire.pools import LazyContext

Key = tuple[bytes, bytes, int | None]
_TLS = (b"https", b"wss")  # httpcore uses a connection's SSL context for these schemes only
_ATTEMPTS = 3  # a connection found unusable after all (a race with the server's close) is replaced


class WorkerPool:
    """Connections by origin, for one worker (or for every caller outside the workers)."""

    def __init__(self, ssl_context: LazyContext, backend: httpcore.AsyncNetworkBackend, *, limit: int,
                 keepalive_expiry: float, http1: bool, http2: bool) -> None:
        self.ssl_context = ssl_context
        self.backend = backend
        self.limit = max(limit, 1)
        self.keepalive_expiry = keepalive_expiry
        self.http1, self.http2 = http1, http2
        self.connections: dict[Key, list[httpcore.AsyncHTTPConnection]] = {}
        self.count = 0
        self.busy: dict[httpcore.AsyncHTTPConnection, int] = {}  # connection -> requests using it
        self._slots: asyncio.Semaphore | None = None

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        slots = self._slots = self._slots or asyncio.Semaphore(self.limit)
        await slots.acquire()
        try:
            for attempt in range(_ATTEMPTS):
                connection = await self._connection_for(request.url)
                self.busy[connection] = self.busy.get(connection, 0) + 1
                try:
                    response = await connection.handle_async_request(request)
                except httpcore.ConnectionNotAvailable:  # (HTTP/2 out of streams): another connection
                    self._done_with(connection)
                    if attempt == _ATTEMPTS - 1:
                        raise
                    continue
                except BaseException:
                    self._done_with(connection)
                    if connection.is_closed():
                        await self._forget(connection)
                    raise
                _lighter_lock(getattr(connection, "_connection", None), "_state_lock")
                return httpcore.Response(status=response.status, headers=response.headers,
                                         content=_Returned(response.stream, self, connection),
                                         extensions=response.extensions)
        except BaseException:
            slots.release()
            raise
        raise AssertionError("unreachable")

    async def _connection_for(self, url: httpcore.URL) -> httpcore.AsyncHTTPConnection:
        key = (url.scheme, url.host, url.port)
        found = self.connections.setdefault(key, [])
        for connection in list(found):
            if connection in self.busy:  # taken by a request (an HTTP/2 one may take more)
                if connection.is_available() and "HTTP/2" in connection.info():
                    return connection
            elif connection.is_closed() or (connection.is_idle() and connection.has_expired()):
                await self._forget(connection)
            elif connection.is_available():
                return connection
        if self.count >= self.limit:
            await self._close_an_idle_one()
        connection = ChromiumConnection(
            origin=url.origin, ssl_context=self.ssl_context.get() if url.scheme in _TLS else None,
            keepalive_expiry=self.keepalive_expiry,
            http1=self.http1, http2=self.http2, network_backend=self.backend)
        _lighter_lock(connection, "_request_lock")
        found.append(connection)
        self.count += 1
        return connection

    async def _close_an_idle_one(self) -> None:
        for connections in self.connections.values():
            for connection in connections:
                if connection not in self.busy and connection.is_idle():
                    await self._forget(connection)
                    return

    def _done_with(self, connection: httpcore.AsyncHTTPConnection) -> None:
        left = self.busy.pop(connection, 1) - 1
        if left > 0:
            self.busy[connection] = left

    async def _forget(self, connection: httpcore.AsyncHTTPConnection) -> None:
        for connections in self.connections.values():
            if connection in connections:
                connections.remove(connection)
                self.count -= 1
                break
        await connection.aclose()

    async def returned(self, connection: httpcore.AsyncHTTPConnection) -> None:
        """A response was closed: its connection stays for the next request unless it is closed."""
        assert self._slots is not None
        self._slots.release()
        self._done_with(connection)
        if connection.is_closed():
            await self._forget(connection)

    async def aclose(self) -> None:
        connections = [c for found in self.connections.values() for c in found]
        self.connections, self.count = {}, 0
        for connection in connections:
            await connection.aclose()


def _lighter_lock(holder: object, name: str) -> None:
    """Give an httpcore connection an asyncio.Lock instead of its anyio one: the same exclusion, but an
    uncontended acquire does not yield to the event loop (anyio's does, twice per request). Connections
    of other kinds, or an httpcore that names its locks otherwise, keep theirs."""
    lock = getattr(holder, name, None)
    if lock is not None and type(lock).__name__ == "AsyncLock" and type(lock).__module__.startswith("httpcore"):
        setattr(holder, name, asyncio.Lock())


class _Returned:
    """A response body that gives its connection back to the pool when closed."""

    def __init__(self, stream: Iterable[bytes] | AsyncIterable[bytes], pool: WorkerPool,
                 connection: httpcore.AsyncHTTPConnection) -> None:
        assert isinstance(stream, AsyncIterable), "an async connection's body is async"
        self.stream = stream
        self.pool = pool
        self.connection = connection
        self.done = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            close = getattr(self.stream, "aclose", None)
            if close is not None:
                await close()
        finally:
            await self.pool.returned(self.connection)
