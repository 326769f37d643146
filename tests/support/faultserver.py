"""A loopback socket server whose behaviour per request is a function of the socket: trickle,
stall, reset, send garbage or endless bodies. Test-only; does socket I/O.

``FaultServer(behave)`` listens on 127.0.0.1 (ephemeral port), one daemon thread per connection.
``behave(conn, request)`` gets the request head (None when the behaviour wants the bare socket,
see ``raw=True``) and returns True to keep the connection open for another request. Every
wait is bounded by ``stop`` (set on exit) and by socket timeouts.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Behave = Callable[[socket.socket, "bytes | None", threading.Event], bool]
MAX_HEAD = 65536


@dataclass
class FaultServer:
    behave: Behave
    raw: bool = False  # call behave before reading anything (e.g. reset on accept)
    context: ssl.SSLContext | None = None
    requests: list[bytes] = field(default_factory=list)
    host: str = "127.0.0.1"  # "::1" for an IPv6 loopback server

    def __post_init__(self) -> None:
        self.stop = threading.Event()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._listener = socket.create_server((self.host, 0), family=family, backlog=64)
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.handshake_failures = 0

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, path: str = "/", scheme: str | None = None) -> str:
        scheme = scheme or ("https" if self.context else "http")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{path}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10.0)
        try:
            if self.context is not None:
                try:
                    conn = self.context.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    self.handshake_failures += 1
                    return
            if self.raw:
                self.behave(conn, None, self.stop)
                return
            while not self.stop.is_set():
                head = read_head(conn)
                if head is None:
                    return
                self.requests.append(head)
                if not self.behave(conn, head, self.stop):
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()


def read_head(conn: socket.socket) -> bytes | None:
    """The request head and body (by Content-Length), or None at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head


def reset(conn: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) instead of FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def trickle(conn: socket.socket, data: bytes, stop: threading.Event, every: float = 0.2) -> None:
    """Send ``data`` one byte per ``every`` seconds until done or stopped."""
    for index in range(len(data)):
        if stop.wait(every):
            return
        conn.sendall(data[index:index + 1])


def hold(stop: threading.Event, seconds: float = 30.0) -> None:
    """Keep the connection open, silent, until stopped (bounded)."""
    deadline = time.monotonic() + seconds
    while not stop.wait(0.05) and time.monotonic() < deadline:
        pass


# The behaviours both fault suites (in-process and through the CLI) build on.
ALLOW = (b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-token\r\n"
         b"Access-Control-Allow-Methods: PUT\r\n")


def head(status: bytes = b"200 OK", extra: bytes = b"", length: int | None = 0) -> bytes:
    """A response head that passes CORS for any origin (PUT, X-Token), with ``extra`` lines."""
    framing = b"" if length is None else b"Content-Length: %d\r\n" % length
    return b"HTTP/1.1 " + status + b"\r\n" + ALLOW + extra + framing + b"\r\n"


def answer(payload: bytes, keep: bool = True) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(payload)
        return keep
    return behave


def preflight_then(actual: Behave, preflight: Behave | None = None) -> Behave:
    """An OPTIONS gets ``preflight`` (default: a passing 204), anything else ``actual``."""
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        if request is not None and request.startswith(b"OPTIONS"):
            if preflight is not None:
                return preflight(conn, request, stop)
            conn.sendall(b"HTTP/1.1 204 No Content\r\n" + ALLOW + b"\r\n")
            return True
        return actual(conn, request, stop)
    return behave


def silent(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    hold(stop)
    return False


def reset_now(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    reset(conn)
    return False


def huge_body(size: int) -> Behave:
    """A passing 200 announcing ``size`` bytes of body, and sending them (until stopped)."""
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\n" + ALLOW + b"Content-Length: %d\r\n\r\n" % size)
        block = b"x" * 65536
        for _ in range(size // len(block)):
            if stop.is_set():
                break
            conn.sendall(block)
        return False
    return behave
