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


@dataclass(frozen=True, slots=True)
class BodyRead:
    """How many bytes were read and whether reading stopped at the cap before the end."""

    size: int
    truncated: bool


async def drain_preflight(response: httpx.Response) -> str | None:
    """Read at most DRAIN_LIMIT raw bytes for DRAIN_SECONDS, ignoring errors (a browser never reads
    a preflight's body); an unfinished body makes ``aclose`` close the connection instead of
    returning it to the pool. Returns the error that ended the body early, if one was met."""
    finished = False
    try:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DRAIN_SECONDS):
                seen = 0
                async for chunk in response.aiter_raw():
                    seen += len(chunk)
                    if seen > DRAIN_LIMIT:
                        break
                else:
                    finished = True
    except httpx.HTTPError as error:
        return str(error) or type(error).__name__
    finally:
        if not finished:  # never hand a connection with body bytes still coming back to the pool
            stream = response.extensions.get("network_stream")
            if stream is not None:
                with contextlib.suppress(Exception):
                    await stream.aclose()
        await response.aclose()
    return None


async def read_actual(response: httpx.Response, max_body: int) -> BodyRead:
    """Read (and decode) at most ``max_body`` bytes; errors propagate (they fail fetch() too)."""
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_body:
                return BodyRead(size, truncated=True)
        return BodyRead(size, truncated=False)
    finally:
        await response.aclose()
