"""The transport under the run's one ``httpx.AsyncClient``: one small httpcore pool per worker instead of
one pool shared by all, selected by the ``WORKER`` context variable the runner sets in each worker.

httpcore's pool scans every connection and every waiting request on each request and each close, under
one lock, so its cost grows with the concurrency; a worker sends one exchange at a time, so its own pool
holds a connection or two. A direct pool is ``wire.workerpool`` (no queue, no lock, no scan); a proxy's
is httpcore's own proxy pool. Every pool is built in ``_make_pool`` with the run's
one SSL context, the http1/http2 flags and one network backend (``network_backend()`` by default: the
one place where the backend is chosen and wrapped).
Proxies (``--proxy`` or the environment's, as httpx reads them) get per-worker proxy pools the same way.

Does network I/O (through httpcore); the runner drives it through the client.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpcore
import httpx
from httpx._transports.default import AsyncResponseStream, map_httpcore_exceptions

from corsprobe.wire import lenient
from corsprobe.wire.backend import AsyncioBackend
from corsprobe.wire.workerpool import WorkerPool

WORKER: ContextVar[int | None] = ContextVar("corsprobe_worker", default=None)
WORKER_CONNECTIONS = 4  # a worker's pool: one exchange at a time, a few hosts kept alive (redirects)
KEEPALIVE_EXPIRY = 5.0


Pool = WorkerPool | httpcore.AsyncHTTPProxy | httpcore.AsyncSOCKSProxy


def network_backend() -> httpcore.AsyncNetworkBackend:
    """The network backend of every pool the client builds (direct and proxied): raw asyncio, with
    response heads read as Chromium reads them (``wire.lenient``)."""
    return lenient.wrap(AsyncioBackend())


def feeds_phase(client: httpx.AsyncClient) -> bool:
    """Whether ``client``'s connections run on ``AsyncioBackend`` (maybe wrapped, as by ``lenient``),
    which reports an exchange's phase itself (``deadline.CURRENT``)."""
    transport = client._transport
    backend: object = transport.settings.backend if isinstance(transport, WorkerPools) else None
    for _ in range(8):  # wrappers keep the wrapped backend as ``inner``
        if isinstance(backend, AsyncioBackend):
            return True
        backend = getattr(backend, "inner", None)
    return False


class LazyContext:
    """The run's one SSL context, built on first use: an http-only run never pays the ~40 ms of loading
    the certificate bundle. Shared by every pool of a client."""

    def __init__(self, build: Callable[[], ssl.SSLContext], built: ssl.SSLContext | None = None) -> None:
        self._build = build
        self._context = built

    def get(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = self._build()
        return self._context


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """What every pool of one client shares: TLS trust, protocols, and the size of the pool used
    outside a worker (a caller sharing the client between its own tasks)."""

    ssl_context: LazyContext
    backend: httpcore.AsyncNetworkBackend
    http1: bool = True
    http2: bool = False
    shared_connections: int = 16


class WorkerPools(httpx.AsyncBaseTransport):
    """An httpx transport with one pool per worker, all to one upstream: direct, or one proxy."""

    def __init__(self, settings: PoolSettings, proxy: httpx.Proxy | None = None) -> None:
        if proxy is not None and proxy.url.scheme not in ("http", "https", "socks5", "socks5h"):
            raise ValueError("Proxy protocol must be either 'http', 'https', 'socks5', or 'socks5h', "
                             f"but got {proxy.url.scheme!r}.")
        self.settings = settings
        self.proxy = proxy
        self.pools: dict[int | None, Pool] = {}

    def pool(self) -> Pool:
        """The calling worker's pool (made on first use); outside any worker, the shared one."""
        key = WORKER.get()
        found = self.pools.get(key)
        if found is None:
            found = self.pools[key] = self._make_pool(key is None)
        return found

    def _make_pool(self, shared: bool) -> Pool:
        size = self.settings.shared_connections if shared else WORKER_CONNECTIONS
        proxy = self.proxy
        if proxy is None:
            return WorkerPool(self.settings.ssl_context, self.settings.backend, limit=size,
                              keepalive_expiry=KEEPALIVE_EXPIRY, http1=self.settings.http1, http2=self.settings.http2)
        common: dict[str, Any] = {
            "ssl_context": self.settings.ssl_context.get(), "max_connections": size, "max_keepalive_connections": size,
            "keepalive_expiry": KEEPALIVE_EXPIRY, "http1": self.settings.http1, "http2": self.settings.http2,
            "network_backend": self.settings.backend,
        }
        url = httpcore.URL(scheme=proxy.url.raw_scheme, host=proxy.url.raw_host, port=proxy.url.port,
                           target=proxy.url.raw_path)
        if proxy.url.scheme in ("http", "https"):
            return httpcore.AsyncHTTPProxy(proxy_url=url, proxy_auth=proxy.raw_auth, proxy_headers=proxy.headers.raw,
                                           proxy_ssl_context=proxy.ssl_context, **common)
        return httpcore.AsyncSOCKSProxy(proxy_url=url, proxy_auth=proxy.raw_auth, **common)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """As httpx's own AsyncHTTPTransport does (same exception mapping), on the worker's pool."""
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core = _core_request(request)
        with map_httpcore_exceptions():
            answer = await self.pool().handle_async_request(core)
        return httpx.Response(status_code=answer.status, headers=answer.headers,
                              stream=AsyncResponseStream(answer.stream),  # type: ignore[arg-type]
                              extensions=answer.extensions)

    async def aclose(self) -> None:
        pools, self.pools = list(self.pools.values()), {}
        for pool in pools:
            await pool.aclose()


def _core_request(request: httpx.Request) -> httpcore.Request:
    """``httpcore.Request(method, url, headers=request.headers.raw, content=request.stream, extensions)``
    as httpx's transport makes it, without checking again what httpx checked: the method as ASCII bytes,
    the header lines already bytes pairs, the stream already an async byte stream."""
    core = httpcore.Request.__new__(httpcore.Request)
    core.method = request.method.encode("ascii")
    core.url = _core_url(request.url)
    core.headers = request.headers.raw
    core.stream = request.stream
    core.extensions = request.extensions
    return core


@lru_cache(maxsize=1024)
def _core_url(url: httpx.URL) -> httpcore.URL:
    return httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path)
