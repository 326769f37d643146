"""A raw-socket HTTP/1.1 server for answers no framework gives.

Each received request is logged; the response is whatever bytes the handler returns, so
duplicate header lines, odd casing, stray whitespace and redirecting preflights are exact.
Listens on 127.0.0.1 with an ephemeral port; one thread per connection; every connection is
closed after one response. Test-only.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MAX_HEAD_BYTES = 65536
READ_TIMEOUT = 10.0


@dataclass(frozen=True)
class Received:
    """One request as the server read it."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Handler = Callable[[Received], bytes]


def response(status: int, headers: Iterable[tuple[str, str]] = (), body: bytes = b"",
             reason: str = "X") -> bytes:
    """Build a response with exactly these header lines (Content-Length added if absent)."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    header_list = list(headers)
    if not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in header_list):
        header_list.append(("Content-Length", str(len(body))))
    header_list.append(("Connection", "close"))
    lines += [f"{k}: {v}" for k, v in header_list]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class RawServer:
    """Start with ``with RawServer(handler) as server:``; ``server.url(path)`` builds URLs."""

    handler: Handler
    host: str = "127.0.0.1"
    log: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        outer = self

        class _Conn(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request)

        class _Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

        self._server = _Server((self.host, 0), _Conn)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"{self.origin}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def requests_to(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(READ_TIMEOUT)
        try:
            received = _read_request(conn)
            if received is None:
                return
            with self._lock:
                self.log.append(received)
            payload = self.handler(received)
            if payload:
                conn.sendall(payload)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


def _read_request(conn: socket.socket) -> Received | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEAD_BYTES:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = ([*lines[0].split(" ", 2), "", ""])[:3]
    headers = tuple(
        (name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in lines[1:])
    )
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0") or 0)
    body = rest
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Received(method, target, headers, body[:length])
