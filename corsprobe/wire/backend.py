"""A network backend for httpcore on plain asyncio transports and protocols, instead of anyio's streams.

Same contract as httpcore's ``AnyIOBackend`` (httpcore's own exceptions, raised *from* the OSError or
ssl.SSLError that says what happened, so ``wire.causes`` reads the same chain), at a fraction of the
CPU per read and write: a write is ``transport.write`` (waiting only when the kernel buffer is full), a
read takes the next received chunk, and a timeout is one ``call_later`` instead of a cancel scope.
Reading is paused past READ_HIGH buffered bytes, so memory per connection stays bounded. It tells the
exchange's ``deadline.Phase`` (``deadline.CURRENT``) where it is, so no httpcore trace hook is needed.

Does socket I/O; used only by the pools of ``wire.pools``.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any, NoReturn

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

from corsprobe.wire.deadline import CURRENT

READ_HIGH = 256 * 1024  # pause reading past this many buffered bytes
READ_LOW = 64 * 1024  # and resume below this
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
_TLS_CLOSE = 0.25  # seconds a TLS connection being closed waits for the peer's close_notify


class _Protocol(asyncio.Protocol):
    """Received chunks, end of stream, the error that ended it, and write flow control."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.eof = False
        self.error: BaseException | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.drain: asyncio.Future[None] | None = None
        self.reading_paused = False
        self.writing_paused = False
        self.lost = False
        self.closed: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        if self.size > READ_HIGH and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = self.eof = True
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(None)
        self.error = self.error or exc
        self._wake()
        if self.drain is not None and not self.drain.done():
            self.drain.set_result(None)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        if self.drain is not None and not self.drain.done():
            self.drain.set_result(None)

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def take(self, max_bytes: int) -> bytes:
        chunk = self.chunks.popleft()
        if len(chunk) > max_bytes:
            self.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        self.size -= len(chunk)
        if self.reading_paused and self.size < READ_LOW and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk


async def _wait(future: asyncio.Future[None], timeout: float | None) -> None:
    """Await ``future``; TimeoutError after ``timeout`` seconds (None: no limit)."""
    if timeout is None:
        await future
        return
    def expire() -> None:
        if not future.done():
            future.set_exception(TimeoutError())
    handle = asyncio.get_running_loop().call_later(timeout, expire)
    try:
        await future
    finally:
        handle.cancel()


def _fail(kind: type[Exception], error: BaseException) -> NoReturn:
    """Raise ``kind`` with ``error`` as both its cause and its context: httpcore's pool re-raises
    with ``from None``, which drops the cause, and ``wire.causes`` still finds the context."""
    try:
        raise error
    except BaseException as below:
        raise kind(str(below)) from below


class AsyncioStream(AsyncNetworkStream):
    """One connection (plain or TLS) over an asyncio transport."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol
        tls = transport.get_extra_info("ssl_object")
        self._tls = tls is not None  # asked now: a closed TLS transport has no extra info to give
        self._h2 = tls is not None and tls.selected_alpn_protocol() == "h2"  # the phase tells the runner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if (phase := CURRENT.get()) is not None:
            phase.reading()
            phase.http2 = phase.http2 or self._h2
            timeout = None  # the runner's deadline for the whole exchange ends first: no timer per read
        while not protocol.chunks and not protocol.eof:
            protocol.waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(protocol.waiter, timeout)
            except TimeoutError as error:
                raise httpcore.ReadTimeout(str(error)) from error
            finally:
                protocol.waiter = None
        if protocol.chunks:
            return protocol.take(max_bytes)
        if protocol.error is not None:
            _fail(httpcore.ReadError, protocol.error)
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if (phase := CURRENT.get()) is not None:
            phase.sending()
            phase.http2 = phase.http2 or self._h2
            timeout = None  # as for read
        if protocol.error is not None:
            _fail(httpcore.WriteError, protocol.error)
        if self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(buffer)
        if protocol.writing_paused:
            protocol.drain = asyncio.get_running_loop().create_future()
            try:
                await _wait(protocol.drain, timeout)
            except TimeoutError as error:
                raise httpcore.WriteTimeout(str(error)) from error
            finally:
                protocol.drain = None
            if protocol.error is not None:
                _fail(httpcore.WriteError, protocol.error)

    async def aclose(self) -> None:
        self._transport.close()
        if self._tls and not self._protocol.lost:
            # TLS: close() sends close_notify and waits for the server's; bounded, so that a run's loop never
            # ends with the socket still open (a peer that does not answer is cut off).
            self._protocol.closed = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(asyncio.shield(self._protocol.closed), _TLS_CLOSE)
            except TimeoutError:
                self._transport.abort()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        if (phase := CURRENT.get()) is not None:
            phase.handshaking()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(self._transport, self._protocol, ssl_context,
                                                 server_hostname=server_hostname)
        except TimeoutError as error:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(error)) from error
        except (OSError, ssl.SSLError, EOFError) as error:
            self._transport.close()
            raise httpcore.ConnectError(str(error)) from error
        if transport is None:  # the connection was closed during the handshake
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(transport, asyncio.Transport)
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        if info == "is_readable":  # an idle connection with data or EOF waiting cannot be reused
            return bool(self._protocol.chunks) or self._protocol.eof
        return None


class AsyncioBackend(AsyncNetworkBackend):
    """httpcore's network backend on asyncio's event loop (TCP, Unix sockets, TLS via ``loop.start_tls``)."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[SocketOption] | None = None) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        if (phase := CURRENT.get()) is not None:
            phase.connecting()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(_Protocol, host, port, local_addr=local)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        return _stream(transport, protocol, socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[SocketOption] | None = None) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        if (phase := CURRENT.get()) is not None:
            phase.connecting()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(_Protocol, path)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        return _stream(transport, protocol, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _stream(transport: asyncio.BaseTransport, protocol: _Protocol,
            socket_options: Iterable[SocketOption] | None) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    raw: socket.socket | None = transport.get_extra_info("socket")
    for option in socket_options or ():
        if raw is not None:
            raw.setsockopt(*option)
    return AsyncioStream(transport, protocol)
