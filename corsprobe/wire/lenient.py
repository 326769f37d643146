"""An httpcore network backend whose HTTP/1.x streams hand h11 each response head as Chromium
reads it (corsprobe.wire.head), so that what Chromium accepts and h11 refuses is judged, and what
Chromium refuses fails with Chromium's net error.

``wrap(backend)`` wraps any ``httpcore.AsyncNetworkBackend``; every stream it opens (TCP, Unix
socket, and again after ``start_tls``: a CONNECT tunnel, https) is a ``LenientStream``. After each
request is written, the bytes read up to the end of the response head (and of any 1xx heads
before it) are replaced by the strict head; body bytes pass through untouched. A stream that
negotiated h2 by ALPN is returned unwrapped. The parsed ``Head`` of the last response is
``stream.get_extra_info(HEAD_INFO)``; httpcore puts the stream in
``response.extensions["network_stream"]``.
"""

from __future__ import annotations

import re
import ssl
import typing

import httpcore

from corsprobe.wire.chunks import ChunkedReader, ChunkRefusal
from corsprobe.wire.head import Head, Refusal, read_head

HEAD_INFO = "corsprobe.head"
_READ = 64 * 1024
_CHUNKED = b"\r\nTransfer-Encoding: chunked\r\n"  # as head._wire writes it
_REQUEST_LINE = re.compile(rb"(?P<method>[!#$%&'*+.^_`|~0-9A-Za-z-]+) (?P<target>[^ ]+) HTTP/1\.[01]\r\n")
# The URL's port as a request line names it: absolute form (to a proxy) or CONNECT's authority.
_TARGET_PORT = re.compile(rb"(?:(?P<scheme>https?)://)?(?:\[[^\]]*\]|[^/:?#]*)(?::(?P<port>[0-9]+))?", re.I)


class MalformedHead(httpcore.RemoteProtocolError):
    """Chromium refuses this response head; ``refusal`` says with which net error and where."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.text)
        self.refusal = refusal


class MalformedBody(httpcore.RemoteProtocolError):
    """Chromium refuses this chunked body (``wire.chunks``); ``refusal`` says where and why."""

    def __init__(self, refusal: ChunkRefusal) -> None:
        super().__init__(refusal.text)
        self.refusal = refusal


def wrap(backend: httpcore.AsyncNetworkBackend | None = None) -> httpcore.AsyncNetworkBackend:
    """``backend`` (default: httpcore's AutoBackend) with Chromium's reading of response heads."""
    return LenientBackend(backend or httpcore.AnyIOBackend())


class LenientBackend(httpcore.AsyncNetworkBackend):
    """Opens connections with the inner backend and wraps each stream."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        stream = await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return LenientStream(stream, port=port)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        return LenientStream(await self.inner.connect_unix_socket(path, timeout, socket_options), port=None)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class LenientStream(httpcore.AsyncNetworkStream):
    """One connection: requests out as written; each response head in as Chromium reads it."""

    def __init__(self, inner: httpcore.AsyncNetworkStream, port: int | None, tls: bool = False) -> None:
        self.inner = inner
        self._port = port
        self._tls = tls
        self._expect_head = False  # set by a request; cleared once its final (non-1xx) head is read
        self._seen_status_line = False  # HttpStreamParser::has_seen_status_line_ (per request)
        self._pending = bytearray()  # bytes of a head not yet complete
        self._out = bytearray()  # bytes ready for h11
        self._closed = False
        self._tunnel_port: int | None = None  # the port a CONNECT asked for: the TLS inside is to it
        self.head: Head | None = None
        self._method = b""  # of the request being answered
        self._body_left: int | None = None  # bytes of the final response's body still to come, when its framing says
        self._extra = False  # bytes came after the end of a response's body: the connection is not reused
        self._chunks: ChunkedReader | None = None  # the final response's chunked body, read as Chromium reads it

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # Only an HTTP/1.x request is answered by a head (not a SOCKS handshake, not a request body).
        request = _REQUEST_LINE.match(buffer)
        if request is not None and not self._pending and not self._out:
            self._url_port(request.group("method"), request.group("target"))
            if not self._expect_head:
                self._seen_status_line = False
                self.head = None
            self._expect_head = True
            self._method, self._body_left, self._chunks = request.group("method").upper(), None, None
        await self.inner.write(buffer, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        while not self._out and self._expect_head and not self._closed:
            chunk = await self.inner.read(_READ, timeout)
            self._closed = not chunk
            self._pending += chunk
            self._take_heads()
        if self._out:  # all at once: h11 refuses a head that arrives in parts over 100 KiB
            data = bytes(self._out)
            self._out.clear()
            return data
        if self._closed:
            return b""
        if self._chunks is not None:
            return await self._read_chunks(max_bytes, timeout)
        data = await self.inner.read(max_bytes, timeout)
        self._count_body(len(data))
        return data

    async def _read_chunks(self, max_bytes: int, timeout: float | None) -> bytes:
        """The chunked body re-framed as Chromium reads it; never an empty read but at the connection's end.
        A refusal is raised once the bytes before it were given (a preflight's head is judged, its body never
        read, as by Chromium)."""
        chunks = self._chunks
        assert chunks is not None
        while chunks.refusal is None:
            data = await self.inner.read(max_bytes, timeout)
            if not data:
                return b""
            framed = chunks.feed(data)
            self._extra = self._extra or chunks.extra
            if framed or chunks.done:
                return framed  # a refusal after these bytes comes with the next read
        raise MalformedBody(chunks.refusal)

    def _count_body(self, size: int) -> None:
        if self._body_left is not None:
            self._body_left -= size
            self._extra = self._extra or self._body_left < 0

    def _take_heads(self) -> None:
        """Move every complete head in ``_pending`` to ``_out``, rewritten (1xx heads and the final one)."""
        while self._expect_head and (self._pending or self._closed):
            if not self._pending:  # closed with nothing: h11 reports the empty reply
                self._expect_head = False
                return
            default = self._port == (443 if self._tls else 80)  # HttpStreamParser: the URL's port
            found = read_head(bytes(self._pending), self._closed, tls=self._tls, default_port=default,
                              seen_status_line=self._seen_status_line)
            if found is None:
                return
            if isinstance(found, Refusal):
                self._pending.clear()
                self._expect_head = False
                raise MalformedHead(found)
            self.head = found
            self._seen_status_line = True
            # A 101 is one more 1xx to Chromium (no Upgrade was asked for: HttpStreamParser::
            # DoReadHeadersComplete reads the next head); h11 would take it as a switch it never proposed.
            if found.status != 101:
                self._out += found.wire
            del self._pending[:found.size]
            if not found.informational:
                self._expect_head = False
                self._body_left = _body_length(found, self._method)
                if self._body_left is None and _CHUNKED in found.wire:  # the head h11 gets says chunked
                    self._chunks = ChunkedReader()
                    self._out += self._chunks.feed(bytes(self._pending))  # a refusal waits for the next read
                else:
                    self._count_body(len(self._pending))
                    self._out += self._pending
                self._pending.clear()

    def _url_port(self, method: bytes, target: bytes) -> None:
        """The port of the URL asked for, when the request line says it (through a proxy)."""
        if target.startswith(b"/") or target == b"*":
            return  # origin form: the URL's port is the connection's
        named = _TARGET_PORT.match(target)
        if named is None:
            return
        if method.upper() == b"CONNECT":
            self._tunnel_port = int(named.group("port") or 443)
            return
        scheme = (named.group("scheme") or b"http").lower()
        self._port = int(named.group("port") or (443 if scheme == b"https" else 80))

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        secured = await self.inner.start_tls(ssl_context, server_hostname, timeout)
        ssl_object = secured.get_extra_info("ssl_object")
        if ssl_object is not None and ssl_object.selected_alpn_protocol() == "h2":
            return secured  # HTTP/2 frames are not HTTP/1.x heads
        return LenientStream(secured, port=self._tunnel_port or self._port, tls=True)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == HEAD_INFO:
            return self.head
        if info == "is_readable" and self._extra:
            # HttpStreamParser::CanReuseConnection: extra data after the body -> not reused; httpcore
            # closes an idle connection that is readable instead of sending on it.
            return True
        return self.inner.get_extra_info(info)


def _body_length(head: Head, method: bytes) -> int | None:
    """How long the body is by the head's framing, when it says (HttpStreamParser::CalculateResponseBodySize)."""
    if method == b"HEAD" or head.status in (204, 205, 304):
        return 0
    names = {name.lower() for name, _ in head.headers}
    lengths = {value.strip() for name, value in head.headers if name.lower() == "content-length"}
    if "transfer-encoding" in names or len(lengths) != 1:
        return None
    value = lengths.pop()
    return int(value) if value.isdigit() else None


def head_of(extensions: typing.Mapping[str, typing.Any]) -> Head | None:
    """The Chromium reading of a response's head, from its httpx/httpcore ``extensions``."""
    stream = extensions.get("network_stream")
    if not isinstance(stream, LenientStream):
        return None
    return stream.head
