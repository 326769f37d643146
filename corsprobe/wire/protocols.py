"""Which HTTP versions a run may speak, and how the connection offers them.

Browsers reach https APIs over HTTP/2 when the server offers it: Chromium's TLS ClientHello
offers ALPN ``h2`` then ``http/1.1`` (the ``HttpNetworkSession`` constructor in
``net/http/http_network_session.cc`` builds ``next_protos_`` in that order, h2 when
``enable_http2``); plain http stays HTTP/1.1 (no browser speaks cleartext h2c).
corsprobe does the same when the optional ``h2`` package is installed (``pip install
'corsprobe[http2]'``); ``--http1.1`` (``http2=False``) offers only ``http/1.1``.

httpcore offers ALPN as ``["http/1.1", "h2"]``; a server that honours the client's order would
then pick HTTP/1.1 where Chromium gets HTTP/2. ``chromium_alpn`` puts Chromium's order back on
the TLS context in the ``start_tls`` trace event, just before the handshake copies it.
"""

from __future__ import annotations

import importlib
import ssl
from collections.abc import Iterable
from typing import Any

INSTALL_HINT = "pip install 'corsprobe[http2]'"
CHROMIUM_ALPN = ["h2", "http/1.1"]


class Http2Unavailable(ImportError):
    """HTTP/2 was asked for explicitly (``--http2``, ``http2=True``) but the h2 package is missing."""

    def __init__(self) -> None:
        super().__init__(f"HTTP/2 needs the h2 package, which is not installed: {INSTALL_HINT} "
                         "(or leave out --http2: https then falls back to HTTP/1.1)")


def h2_installed() -> bool:
    """Whether httpx can speak HTTP/2 here (the ``h2`` package imports)."""
    try:
        importlib.import_module("h2")
    except ImportError:
        return False
    return True


def use_http2(requested: bool | None) -> bool:
    """``None`` (the default): HTTP/2 on https when h2 is installed; ``True``: HTTP/2 or
    ``Http2Unavailable``; ``False``: HTTP/1.1 only."""
    if requested is False:
        return False
    if h2_installed():
        return True
    if requested:
        raise Http2Unavailable
    return False


def fallback_note(requested: bool | None, urls: Iterable[str]) -> str | None:
    """One line when https probes go out over HTTP/1.1 only because h2 is missing (browsers would
    negotiate HTTP/2 where the server offers it, and a CDN may answer that path differently)."""
    if requested is not None or h2_installed():  # first: ``urls`` may be a large run's rows, made on demand
        return None
    if not any(url.lower().startswith("https:") for url in urls):
        return None
    return (f"HTTP/2 is not available (the h2 package is not installed: {INSTALL_HINT}); https probes use "
            "HTTP/1.1, while a browser uses HTTP/2 where the server offers it (--http1.1 silences this)")


async def chromium_alpn(host: str, event: str, info: dict[str, Any]) -> None:
    """In ``connection.start_tls.started`` for ``host`` (not a proxy's own TLS), offer h2 first."""
    if event.endswith("start_tls.started") and info.get("server_hostname") == host:
        context = info.get("ssl_context")
        if isinstance(context, ssl.SSLContext):
            context.set_alpn_protocols(CHROMIUM_ALPN)
