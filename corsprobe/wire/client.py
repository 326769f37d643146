"""The httpx client the runner is given: no redirects, no cookie jar, environment proxies
honoured, TLS verified by default with one SSL context, HTTP/2 offered on https as Chromium
offers it when h2 is installed (``corsprobe.wire.protocols``), and under it ``wire.pools``: one small
connection pool per worker (direct, and per proxy), all on one network backend.

Builds objects only; the runner drives them.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpcore
import httpx

from corsprobe.wire import sending
from corsprobe.wire.body import DEFAULT_MAX_BODY
from corsprobe.wire.protocols import chromium_alpn, use_http2

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """Transport settings: the exchange deadline (seconds), TLS trust, proxy, body cap (bytes), and
    HTTP/2 (``None``: on https when h2 is installed; ``True``: required; ``False``: HTTP/1.1 only)."""

    timeout: float = DEFAULT_TIMEOUT
    insecure: bool = False
    cacert: str | None = None
    proxy: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    max_connections: int = 16  # the pool shared by callers outside the runner's workers
    http1: bool = True
    http2: bool | None = None  # None: HTTP/2 on https when h2 is installed


def ssl_context(options: ClientOptions) -> ssl.SSLContext:
    """One context per run (building one costs ~40 ms: the certificate bundle)."""
    if options.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if options.cacert:
        return ssl.create_default_context(cafile=options.cacert)
    return httpx.create_ssl_context()


def make_client(options: ClientOptions, context: ssl.SSLContext | None = None,
                network_backend: httpcore.AsyncNetworkBackend | None = None) -> httpx.AsyncClient:
    """One client for a whole run; ``context`` reuses an SSL context already built.

    ``Http2Unavailable`` when ``options.http2`` is True and h2 is not installed.

    Its transport is ``wire.pools.WorkerPools`` (a pool per worker). Proxies are routed as httpx
    routes them: ``options.proxy`` for every URL, else the environment's (``HTTP(S)_PROXY``,
    ``ALL_PROXY``, ``NO_PROXY``), each a ``WorkerPools`` through that proxy. Every pool's connections
    use ``network_backend``, by default ``wire.pools.network_backend()``: the raw-asyncio backend
    wrapped so that response heads are read as Chromium reads them (``lenient.wrap``).
    """
    from corsprobe.wire.pools import LazyContext, PoolSettings, WorkerPools
    from corsprobe.wire.pools import network_backend as default_backend

    if context is None and (options.insecure or options.cacert):
        context = ssl_context(options)  # a trust the user named is loaded (and refused) at once
    http2 = use_http2(options.http2)
    tls = LazyContext(lambda: ssl_context(options), context)
    settings = PoolSettings(tls, network_backend or default_backend(),
                            options.http1, http2, max(options.max_connections, 1))
    routes: dict[str, str | None] = {"all://": options.proxy} if options.proxy else _environment_proxies()
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {
        pattern: None if url is None else WorkerPools(settings, httpx.Proxy(url)) for pattern, url in routes.items()}
    client = httpx.AsyncClient(
        follow_redirects=False, timeout=options.timeout, transport=WorkerPools(settings), mounts=mounts,
        trust_env=True, headers={"Accept-Encoding": "gzip, deflate"}, cookies=_no_cookie_jar(),
        event_hooks={"request": [_offer_h2_first]} if http2 else None,
    )
    client._cookies = _NoCookies(_no_cookie_jar())  # the setter would copy it into a plain Cookies
    sending.OWN.add(client)
    return client


def backends(client: httpx.AsyncClient) -> list[httpcore.AsyncNetworkBackend]:
    """The network backend of each of ``client``'s transports (direct, then each proxy mount)."""
    from corsprobe.wire.pools import WorkerPools

    transports = [client._transport, *(t for t in client._mounts.values() if t is not None)]
    return [t.settings.backend for t in transports if isinstance(t, WorkerPools)]


def _environment_proxies() -> dict[str, str | None]:
    from httpx._utils import get_environment_proxies

    return get_environment_proxies()


class _NoCookies(httpx.Cookies):
    """The client's cookies: none are stored, so a response's Set-Cookie lines are not even parsed
    (httpx does it for every response: ~0.25 ms each). They stay in the headers, as evidence."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


async def _offer_h2_first(request: httpx.Request) -> None:
    """Request hook (HTTP/2 clients only): wrap the request's trace so that its TLS handshake
    offers ALPN h2 before http/1.1, as Chromium does."""
    if request.url.scheme != "https":  # no TLS of its own to shape; and a trace costs awaited calls per step
        return
    # The host as httpcore names it to TLS (ASCII, IDNA-encoded), so a proxy's own handshake is left alone.
    host, inner = request.url.raw_host.decode("ascii"), request.extensions.get("trace")

    async def trace(event: str, info: dict[str, Any]) -> None:
        await chromium_alpn(host, event, info)
        if inner is not None:
            await inner(event, info)

    request.extensions["trace"] = trace


def _no_cookie_jar() -> CookieJar:
    """A jar that stores nothing: cookies go out only where the engine puts them.
    (A CookieJar, not httpx.Cookies: the client copies the latter into a default jar.)"""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
