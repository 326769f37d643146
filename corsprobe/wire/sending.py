"""One request built and sent on the run's own client (``wire.client.make_client``) with less of httpx's
per-request work, the same request and the same response: ~60 µs of the ~90 µs httpx spends per request
around the transport, on a 2-core machine.

``build``: the client's default headers merged with the request's once per distinct header list (httpx
merges and normalises them on every request), the URL parsed once. ``send``: the client's transport for
the URL, its request and response hooks, and httpx's check of a redirect's Location (which refuses some
even when redirects are not followed), without the auth flow (the client has none), the cookie jar (it
stores nothing) and the per-response log record. Any other client (a caller's own, respx's) goes through
``build_request`` and ``send`` unchanged. Does network I/O through the client's transport.
"""

from __future__ import annotations

import weakref

import httpx
from httpx._exceptions import request_context

Raw = tuple[tuple[bytes, bytes], ...]

OWN: weakref.WeakSet[httpx.AsyncClient] = weakref.WeakSet()  # the clients make_client built


def _own(client: httpx.AsyncClient) -> bool:
    return client in OWN and client.auth is None


def build(client: httpx.AsyncClient, method: str, url: httpx.URL, headers: list[tuple[bytes, bytes]],
          body: bytes | None) -> httpx.Request:
    """``client.build_request(method, url, content=body, headers=headers)``."""
    if not _own(client):
        return client.build_request(method, url, content=body, headers=headers)
    lines = _lines(tuple(client.headers.raw), tuple(headers), method.upper(), url, None if body is None else len(body))
    request = httpx.Request(method, url, headers=lines, stream=httpx.ByteStream(body or b""),
                            extensions={"timeout": client.timeout.as_dict()})
    request._content = body or b""  # as ``content=`` leaves it (read)
    return request


_LINES: dict[tuple[Raw, Raw, str, bytes, int | None], httpx.Headers] = {}
_LINES_MAX = 1024


def _lines(defaults: Raw, headers: Raw, method: str, url: httpx.URL, size: int | None) -> httpx.Headers:
    """The header lines httpx would send: the defaults minus those the request sets, then the request's
    (``_merge_headers``), then Host and Content-Length as ``Request(content=...)`` adds them. They depend on
    the URL's host and port and the body's size only (one entry serves every path of a host), so a request
    made with ``stream=`` and a copy of these is the same request. Bounded."""
    key = (defaults, headers, method, url.netloc, size)
    found = _LINES.get(key)
    if found is None:
        merged = httpx.Headers(list(defaults))
        merged.update(list(headers))
        found = httpx.Request(method, url, content=None if size is None else b"\0" * size, headers=merged).headers
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[key] = found
    return found


async def send(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """``client.send(request, follow_redirects=False, stream=True)``."""
    if not _own(client):
        return await client.send(request, follow_redirects=False, stream=True)
    for hook in client.event_hooks["request"]:
        await hook(request)
    transport = client._transport_for_url(request.url)
    with request_context(request=request):
        response = await transport.handle_async_request(request)
    response.request = request
    try:
        for hook in client.event_hooks["response"]:
            await hook(response)
        if response.has_redirect_location:
            client._build_redirect_request(request, response)  # as httpx does: it may refuse the Location
    except BaseException:
        await response.aclose()
        raise
    return response
