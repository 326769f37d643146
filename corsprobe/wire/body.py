"""How much of a response body is read: a preflight's not at all (a little is drained so the
connection can be reused; a longer body closes the connection instead), an actual response's
up to ``max_body`` bytes, then the connection is closed rather than read on.

The verdict needs only the head; reading some of the actual body finds the failures that fail
fetch() too (a short or corrupt body). Memory per exchange stays bounded. Does I/O on ``response``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import httpx

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
            async with asyncio.timeout(None if empty else DRAIN_SECONDS):
                async for chunk in response.aiter_bytes():
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
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            head += chunk[:max(EXCERPT - len(head), 0)]
            if size > max_body:
                return BodyRead(size, True, bytes(head))
        return BodyRead(size, False, bytes(head))
    finally:
        await response.aclose()
