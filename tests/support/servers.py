"""Run real servers for integration tests: an ASGI app under uvicorn, a WSGI app under
werkzeug, and a TLS-wrapped RawServer; each on 127.0.0.1 with an ephemeral port, in a
background thread, with bounded start-up and shutdown. Test-only; does socket I/O.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from werkzeug.serving import make_server

from tests.support.rawserver import Handler, RawServer

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Running:
    """Where a started server listens."""

    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"{self.origin}{path}"


@contextmanager
def run_asgi(app: Any, *, ssl_certfile: str | None = None,
             ssl_keyfile: str | None = None) -> Iterator[Running]:
    """Serve ``app`` with uvicorn in a thread; stop it (should_exit) on leaving the block."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", access_log=False,
        loop="asyncio", http="h11", ws="none", ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within the time limit")
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield Running("https" if ssl_certfile else "http", "127.0.0.1", int(port))
    finally:
        server.should_exit = True
        thread.join(timeout=STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("uvicorn did not stop within the time limit")


@contextmanager
def run_wsgi(app: Any) -> Iterator[Running]:
    """Serve a WSGI ``app`` (Flask) with werkzeug's threaded server in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="werkzeug-test",
                              kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Running("http", "127.0.0.1", int(server.server_port))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_TIMEOUT)


class TlsRawServer(RawServer):
    """A RawServer that speaks TLS with the given server context (handshake bounded in time)."""

    def __init__(self, handler: Handler, context: ssl.SSLContext) -> None:
        super().__init__(handler)
        self.context = context
        self.handshake_failures = 0

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5.0)
        try:
            wrapped = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            with self._lock:
                self.handshake_failures += 1
            return
        try:
            super()._serve(wrapped)
        finally:
            wrapped.close()


def dead_port() -> int:
    """A loopback port nobody listens on: bind, read the port, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
