"""How much of a response body is read: a preflight's not at all (a little is drained so the
connection can be reused; a longer body closes the connection instead), an actual response's
up to ``max_body`` bytes, then the connection is closed rather than read on.

The verdict needs only the head; reading some of the actual body finds the failures that fail
fetch() too (a short or corrupt body). Memory per exchange stays bounded, and the cap counts
DECODED bytes: a gzip/deflate body is inflated here with zlib's ``max_length`` (httpx's decoders
inflate each 64 KiB read whole, so a decompression bomb would reach ~66 MB per read). Which codings are
undone is ``wire.encodings.layers`` (Chromium's rules; an unknown coding or identity: the raw body).
Does I/O on ``response``.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import AsyncGenerator, AsyncIterable
from dataclasses import dataclass

import httpx

from corsprobe.wire import encodings

DEFAULT_MAX_BODY = 1024 * 1024
DRAIN_LIMIT = 16 * 1024
DRAIN_SECONDS = 0.05
EXCERPT = 1024  # first bytes kept as evidence (a non-2xx preflight's body fingerprints the server)


@dataclass(frozen=True, slots=True)
class BodyRead:
    """How many bytes were read, whether reading stopped before the end, the first EXCERPT bytes,
    and the error that ended the body early (preflights only; an actual's error propagates)."""

    size: int
    truncated: bool
    head: bytes = b""
    error: str | None = None


class _Inflate:
    """One gzip or deflate layer that yields at most ``limit`` bytes per feed (zlib ``max_length``).
    deflate is zlib-wrapped or raw, as httpx's and Chromium's decoders both accept."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inflate.decompress(data, limit)
        except zlib.error:
            if self._gzip or not self._first:
                raise
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate without the zlib header
            out = self._inflate.decompress(data, limit)
        self._first = False
        return out


async def _decoded(response: httpx.Response, limit: int) -> AsyncGenerator[bytes, None]:
    """The body's bytes decoded as its Content-Encoding says, never more than ``limit + 1`` in all
    (enough to know the cap was passed); a corrupt coding raises ``httpx.DecodingError``."""
    # FilterSourceStream::GetContentEncodingTypes (wire.encodings): unknown or identity -> the raw body.
    codings = response.headers.get_list("content-encoding")
    layers = [_Inflate(c) for c in encodings.layers(codings)]
    first = b"" if codings and encodings.zstd_alone(codings) else None  # a zstd body's first bytes
    budget = limit + 1
    try:
        async for raw in _raw(response):
            data = raw
            if first is not None and len(first) < 4:
                first += raw[:4 - len(first)]
                if len(first) == 4 and encodings.not_zstd(first):
                    raise httpx.DecodingError("not zstd data (no frame magic number)", request=response.request)
            try:
                for layer in layers:
                    data = layer.feed(data, budget)
            except zlib.error as error:
                raise httpx.DecodingError(f"{error}", request=response.request) from error
            if data:
                budget -= len(data)
                yield data[:len(data) + budget] if budget < 0 else data
            if budget <= 0:
                return
        if first and len(first) < 4:  # the body ended inside a frame's magic number
            raise httpx.DecodingError("not zstd data (shorter than a frame)", request=response.request)
    except httpx.RequestError as error:  # as aiter_raw's request_context: the error names its request
        with contextlib.suppress(RuntimeError):
            error.request = response.request
        raise


def _raw(response: httpx.Response) -> AsyncIterable[bytes]:
    """``response.aiter_raw()`` (every chunk as received) without its re-chunking layer: the stream
    itself, marked consumed as aiter_raw marks it. One that aiter_raw would refuse goes through it."""
    if response.is_stream_consumed or response.is_closed or not isinstance(response.stream, httpx.AsyncByteStream):
        return response.aiter_raw()
    response.is_stream_consumed = True
    return response.stream


async def drain_preflight(response: httpx.Response) -> BodyRead:
    """Read at most DRAIN_LIMIT bytes for DRAIN_SECONDS, errors kept, not raised (a browser never
    reads a preflight's body); an unfinished body makes ``aclose`` close the connection instead
    of returning it to the pool."""
    head = bytearray()
    seen, finished = 0, False
    # No body to wait for (a 204, 304 or Content-Length: 0): read its end without arming a timer.
    empty = response.status_code in (204, 304) or response.headers.get("content-length") == "0"
    try:
        with contextlib.suppress(TimeoutError):
            async with (asyncio.timeout(None if empty else DRAIN_SECONDS),
                        contextlib.aclosing(_decoded(response, DRAIN_LIMIT)) as body):
                async for chunk in body:
                    seen += len(chunk)
                    head += chunk[:max(EXCERPT - len(head), 0)]
                    if seen > DRAIN_LIMIT:
                        break
                else:
                    finished = True
    except httpx.HTTPError as error:
        return BodyRead(seen, True, bytes(head), str(error) or type(error).__name__)
    finally:
        await response.aclose()
    return BodyRead(seen, not finished, bytes(head))


async def read_actual(response: httpx.Response, max_body: int) -> BodyRead:
    """Read (and decode) at most ``max_body`` bytes; errors propagate (they fail fetch() too)."""
    head = bytearray()
    size = 0
    try:
        async with contextlib.aclosing(_decoded(response, max_body)) as body:
            async for chunk in body:
                size += len(chunk)
                head += chunk[:max(EXCERPT - len(head), 0)]
                if size > max_body:
                    return BodyRead(size, True, bytes(head))
        return BodyRead(size, False, bytes(head))
    finally:
        await response.aclose()
