"""HTTP/2 servers for the protocol tests, on 127.0.0.1 with an ephemeral port, TLS from the test CA:

- ``Edge``: an ASGI API whose HTTP/2 and HTTP/1.1 paths answer CORS differently, like a CDN edge;
- ``run_hypercorn``: an ASGI app under hypercorn (ALPN h2 and http/1.1, or http/1.1 only), in its
  own event loop on a thread, stopped by its shutdown trigger with a bounded wait;
- ``RawH2Server``: a server that answers every stream with a fixed header block written by the h2
  library with validation and normalisation off (upper-case names, control characters, a
  non-numeric ``:status``: what a broken server or edge may send), on a thread.

Test-only; does socket I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import h2.config
import h2.connection
import h2.events
from hypercorn.asyncio import serve
from hypercorn.config import Config

from tests.support.servers import Running

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


class Edge:
    """An ASGI API behind a 'CDN edge': over HTTP/2 it answers CORS (``h2_cors``) or not, over
    HTTP/1.1 the other way round; every request's protocol is logged."""

    def __init__(self, h2_cors: bool = True) -> None:
        self.h2_cors = h2_cors
        self.seen: list[tuple[str, str]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.seen.append((scope["method"], scope["http_version"]))
        for _ in range(100):  # read the request to its end first (hypercorn's h2 needs it), bounded
            if not (await receive()).get("more_body"):
                break
        cors = (scope["http_version"] == "2") == self.h2_cors
        origin = dict(scope["headers"]).get(b"origin", b"")
        headers = [(b"content-type", b"text/plain"), (b"x-dup", b"one"), (b"vary", b"Origin"), (b"x-dup", b"two")]
        if cors:
            headers += [(b"access-control-allow-origin", origin), (b"access-control-allow-methods", b"PUT")]
        status = 204 if scope["method"] == "OPTIONS" else 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if status == 204 else b"ok"})


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextmanager
def run_hypercorn(app: Any, certfile: str, keyfile: str, *,
                  alpn: Sequence[str] = ("h2", "http/1.1")) -> Iterator[Running]:
    """Serve ``app`` over TLS with hypercorn; ``alpn`` is what the server accepts, in its order."""
    sock = _listening_socket()
    port = int(sock.getsockname()[1])
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns (and closes) the listening socket
    config.certfile, config.keyfile = certfile, keyfile
    config.alpn_protocols = list(alpn)
    config.loglevel = "WARNING"
    config.accesslog = None
    config.graceful_timeout = 1.0
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failure: list[BaseException] = []

    def main() -> None:
        try:
            loop.run_until_complete(serve(app, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]
        except BaseException as error:  # reported to the test below
            failure.append(error)
        finally:
            loop.close()

    thread = threading.Thread(target=main, name="hypercorn-test", daemon=True)
    thread.start()
    try:
        _wait_until_accepting(port, thread)
        yield Running("https", "127.0.0.1", port)
    finally:
        if not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("hypercorn did not stop within the time limit")
    if failure:
        raise RuntimeError(f"hypercorn failed: {failure[0]!r}")


def _wait_until_accepting(port: int, thread: threading.Thread) -> None:
    # The socket listens before hypercorn runs; a TLS handshake tells that hypercorn answers.
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    loop_deadline = START_TIMEOUT / 0.05
    for _ in range(int(loop_deadline)):
        if not thread.is_alive():
            raise RuntimeError("hypercorn exited while starting")
        try:
            with (socket.create_connection(("127.0.0.1", port), timeout=0.5) as raw,
                  context.wrap_socket(raw, server_hostname="127.0.0.1")):
                return
        except (OSError, ssl.SSLError):
            threading.Event().wait(0.05)
    raise RuntimeError("hypercorn did not start within the time limit")


class RawH2Server:
    """Answers every HTTP/2 stream with ``fields`` (pseudo-headers included, sent as given) and an
    empty body; ``requests`` collects each stream's request headers. Use as a context manager."""

    def __init__(self, context: ssl.SSLContext, fields: Sequence[tuple[bytes, bytes]]) -> None:
        self.context, self.fields = context, list(fields)
        self.requests: list[list[tuple[bytes, bytes]]] = []
        self._sock = _listening_socket()
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="raw-h2-test", daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> RawH2Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=STOP_TIMEOUT)
        self._sock.close()
        if self._thread.is_alive():
            raise RuntimeError("the raw h2 server did not stop within the time limit")

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _ = self._sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._one, args=(raw,), name="raw-h2-connection", daemon=True).start()

    def _one(self, raw: socket.socket) -> None:
        # A test server: whatever a client sends (HTTP/1.1 on an h2 port, a reset), the connection just ends.
        with contextlib.suppress(Exception), raw:
            raw.settimeout(5.0)
            with self.context.wrap_socket(raw, server_side=True) as tls:
                self._connection(tls)

    def _connection(self, tls: ssl.SSLSocket) -> None:
        config = h2.config.H2Configuration(client_side=False, header_encoding=None, validate_outbound_headers=False,
                                           normalize_outbound_headers=False, validate_inbound_headers=False)
        conn = h2.connection.H2Connection(config=config)
        # Literal strings, not Huffman: hpack's Huffman encoder is quadratic (300 KB of fields: 6 s).
        conn.encoder.encode = functools.partial(conn.encoder.encode, huffman=False)  # type: ignore[method-assign]
        conn.initiate_connection()
        tls.sendall(conn.data_to_send())
        for _ in range(100):  # bounded: a probe's connection carries a few streams
            data = tls.recv(65536)
            if not data:
                return
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived) and event.stream_id is not None:
                    self.requests.append([(bytes(n), bytes(v)) for n, v in event.headers or ()])
                    conn.send_headers(event.stream_id, self.fields, end_stream=True)
                elif isinstance(event, h2.events.ConnectionTerminated):
                    tls.sendall(conn.data_to_send())
                    return
            tls.sendall(conn.data_to_send())


class HelloCatcher:
    """Accepts TCP connections, keeps the first TLS record of each (the ClientHello) and closes the
    connection without answering. Use as a context manager; ``hellos`` holds the records."""

    def __init__(self) -> None:
        self.hellos: list[bytes] = []
        self._sock = _listening_socket()
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="hello-catcher-test", daemon=True)

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def __enter__(self) -> HelloCatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=STOP_TIMEOUT)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _ = self._sock.accept()
            except TimeoutError:
                continue
            with contextlib.suppress(OSError), raw:
                raw.settimeout(5.0)
                record = b""
                while len(record) < 5 or len(record) < 5 + int.from_bytes(record[3:5], "big"):
                    chunk = raw.recv(65536)
                    if not chunk or len(record) > 65536:
                        break
                    record += chunk
                self.hellos.append(record)
