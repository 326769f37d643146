"""The httpx client the runner is given: no redirects, no cookie jar, environment proxies
honoured, TLS verified by default with one SSL context shared by every client of a run, and
HTTP/2 offered on https as Chromium offers it when h2 is installed (``corsprobe.wire.protocols``).

Builds objects only; the runner drives them.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpcore
import httpx

from corsprobe.wire import lenient
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
    max_connections: int = 16
    http2: bool | None = None


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
    """One client; ``context`` shares an SSL context between clients. Its connections (direct, and
    through the ``--proxy`` or environment proxies) use ``network_backend``, by default httpcore's
    own wrapped so that response heads are read as Chromium reads them (``lenient.wrap``).
    ``Http2Unavailable`` when ``options.http2`` is True and h2 is not installed."""
    limits = httpx.Limits(max_connections=max(options.max_connections, 1))
    http2 = use_http2(options.http2)
    client = httpx.AsyncClient(
        follow_redirects=False, timeout=options.timeout, verify=context or ssl_context(options),
        proxy=options.proxy, trust_env=True, limits=limits, headers={"Accept-Encoding": "gzip, deflate"},
        cookies=_no_cookie_jar(), http1=True, http2=http2,
        event_hooks={"request": [_offer_h2_first]} if http2 else None,
    )
    use_backend(client, network_backend or lenient.wrap())
    return client


def use_backend(client: httpx.AsyncClient, backend: httpcore.AsyncNetworkBackend) -> None:
    """Every httpcore pool of ``client`` (its transport and each proxy mount) opens its connections
    with ``backend``. httpx takes no backend argument; its pools read ``_network_backend`` per new
    connection, so setting it before the first request is enough (tests/unit/test_lenient_stream.py)."""
    transports = [client._transport, *client._mounts.values()]  # httpx has no public seam
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if transport is not None and not isinstance(pool, httpcore.AsyncConnectionPool):
            raise TypeError(f"cannot route {type(transport).__name__} through a network backend")
        if pool is not None:
            pool._network_backend = backend


async def _offer_h2_first(request: httpx.Request) -> None:
    """Request hook (HTTP/2 clients only): wrap the request's trace so that its TLS handshake
    offers ALPN h2 before http/1.1, as Chromium does."""
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
