"""The run's direct connections: httpcore's ``AsyncHTTPConnection`` (the same connect, TLS, ALPN and
request handling), whose HTTP/2 connection, once httpcore makes it, becomes ``wire.h2_connection.
ChromiumHTTP2`` so that an h2 response's header block is read as Chromium reads it. HTTP/1.1 is
unchanged (httpcore's own connection, under the lenient stream).

The swap happens where httpcore stores the connection it made (``_connection``), before its first
request is sent; no method of httpcore's is overridden, so respx and other transports' mocks that patch
``AsyncHTTPConnection.handle_async_request`` see these connections as httpcore's. Relies on httpcore
1.0's private ``_connection`` attribute: were it named otherwise, no swap would happen and httpcore's
own reading would stay (tests/integration/test_http2.py and the browser suite's h2 test would fail).
Used by ``wire.workerpool``.
"""

from __future__ import annotations

import sys
from typing import Any

import httpcore

_H2_MODULE = "httpcore._async.http2"


class MalformedH2(httpcore.RemoteProtocolError):
    """Chromium resets this HTTP/2 stream (``net::ERR_HTTP2_PROTOCOL_ERROR``); the text names the field."""


class ChromiumConnection(httpcore.AsyncHTTPConnection):
    """httpcore's connection; the HTTP/2 one it makes reads header blocks as Chromium does."""

    @property
    def _connection(self) -> Any:
        return self.__dict__.get("_inner")

    @_connection.setter
    def _connection(self, inner: Any) -> None:
        made = sys.modules.get(_H2_MODULE)  # imported by httpcore once it makes an HTTP/2 connection
        if made is not None and type(inner) is made.AsyncHTTP2Connection:
            from corsprobe.wire.h2_connection import chromium_reading  # h2 only once it is spoken

            chromium_reading(inner)
        self.__dict__["_inner"] = inner
