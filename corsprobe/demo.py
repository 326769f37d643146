"""The built-in demo API: an asyncio HTTP server on 127.0.0.1 with three CORS policies.

``/good/*`` is a correct allow-list policy, ``/strict/*`` is too strict, ``/loose/*`` is
dangerously loose. Stdlib only (asyncio sockets); used by ``corsprobe demo``. Does I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from importlib import resources

ALLOWED_ORIGINS = frozenset({"https://app.example.com", "http://localhost:8080"})
HEAD_LIMIT = 65536
READ_TIMEOUT = 5.0

Headers = list[tuple[str, str]]
Policy = Callable[[str, Headers], tuple[int, Headers]]


def demo_scenario_text() -> str:
    return (resources.files("corsprobe") / "data" / "demo.toml").read_text(encoding="utf-8")


def _header(headers: Headers, name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def good(method: str, headers: Headers) -> tuple[int, Headers]:
    """Allow-list, credentials, explicit methods and headers, Vary: Origin."""
    origin = _header(headers, "origin")
    out: Headers = [("Vary", "Origin")]
    if origin in ALLOWED_ORIGINS:
        out += [("Access-Control-Allow-Origin", origin or ""),
                ("Access-Control-Allow-Credentials", "true")]
    if method == "OPTIONS":
        out += [("Access-Control-Allow-Methods", "GET, PUT, DELETE"),
                ("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Token"),
                ("Access-Control-Max-Age", "600")]
        return 204, out
    return 200, [*out, ("Access-Control-Expose-Headers", "X-Total-Count"), ("X-Total-Count", "3")]


def strict(method: str, headers: Headers) -> tuple[int, Headers]:
    """Answers with '*' and allows nothing beyond GET: too strict for a credentialed PUT."""
    out: Headers = [("Access-Control-Allow-Origin", "*")]
    if method == "OPTIONS":
        return 204, [*out, ("Access-Control-Allow-Methods", "GET")]
    return 200, out


def loose(method: str, headers: Headers) -> tuple[int, Headers]:
    """Reflects any Origin with credentials: every site can read authenticated data."""
    out: Headers = [("Access-Control-Allow-Origin", _header(headers, "origin") or "*"),
                    ("Access-Control-Allow-Credentials", "true")]
    if method == "OPTIONS":
        requested = _header(headers, "access-control-request-headers")
        out += [("Access-Control-Allow-Methods", "*, GET, PUT, DELETE")]
        if requested:
            out.append(("Access-Control-Allow-Headers", requested))
        return 204, out
    return 200, out


POLICIES: dict[str, Policy] = {"good": good, "strict": strict, "loose": loose}


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        lines = head.decode("latin-1").split("\r\n")
        method, target, *_ = [*lines[0].split(" "), "", ""]
        headers = [(k.strip(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)]
        length = int(_header(headers, "content-length") or 0)
        if length:
            await asyncio.wait_for(reader.readexactly(min(length, HEAD_LIMIT)), READ_TIMEOUT)
        policy = POLICIES.get(target.strip("/").split("/", 1)[0])
        status, out = policy(method, headers) if policy else (404, [])
        body = b"" if method in ("HEAD", "OPTIONS") or status == 204 else b'{"items": [1, 2, 3]}'
        out += [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                ("Connection", "close")]
        reply = f"HTTP/1.1 {status} {'OK' if status < 300 else 'Not Found'}\r\n"
        reply += "".join(f"{k}: {v}\r\n" for k, v in out) + "\r\n"
        writer.write(reply.encode("latin-1") + body)
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError,
            ConnectionError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


@contextlib.asynccontextmanager
async def serve(port: int = 0) -> AsyncIterator[str]:
    """Run the demo API on 127.0.0.1 (``port`` 0: a free one) for the duration of the block; yields its base URL."""
    server = await asyncio.start_server(_handle, "127.0.0.1", port, limit=HEAD_LIMIT)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
