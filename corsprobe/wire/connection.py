"""The run's direct connections: httpcore's ``AsyncHTTPConnection`` (the same connect, TLS and ALPN), with
``wire.h2_connection.ChromiumHTTP2`` inside when HTTP/2 is spoken, so that an h2 response's header block
is read as Chromium reads it. HTTP/1.1 is unchanged (httpcore's own connection, under the lenient stream).

Relies on httpcore 1.0's private connection attributes (``_connect``, ``_request_lock``, ``_connection``,
``_origin``, ``_http1``, ``_http2``, ``_keepalive_expiry``, ``_connect_failed``), pinned in
pyproject.toml. Does network I/O through httpcore; used by ``wire.workerpool``.
"""

from __future__ import annotations

import httpcore
from httpcore._async.http11 import AsyncHTTP11Connection


class MalformedH2(httpcore.RemoteProtocolError):
    """Chromium resets this HTTP/2 stream (``net::ERR_HTTP2_PROTOCOL_ERROR``); the text names the field."""


class ChromiumConnection(httpcore.AsyncHTTPConnection):
    """httpcore's connection; an HTTP/2 one is ``ChromiumHTTP2`` (h2 is imported only then, as httpcore does)."""

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self._connection is None:
            try:
                async with self._request_lock:
                    if self._connection is None:
                        stream = await self._connect(request)
                        ssl_object = stream.get_extra_info("ssl_object")
                        negotiated = ssl_object is not None and ssl_object.selected_alpn_protocol() == "h2"
                        if negotiated or (self._http2 and not self._http1):
                            from corsprobe.wire.h2_connection import ChromiumHTTP2

                            self._connection = ChromiumHTTP2(
                                origin=self._origin, stream=stream, keepalive_expiry=self._keepalive_expiry)
                        else:
                            self._connection = AsyncHTTP11Connection(
                                origin=self._origin, stream=stream, keepalive_expiry=self._keepalive_expiry)
            except BaseException:
                self._connect_failed = True
                raise
        return await self._connection.handle_async_request(request)
