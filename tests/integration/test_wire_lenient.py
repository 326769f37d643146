"""`corsprobe check` against real loopback servers whose answers are not strict HTTP/1.1: read as
Chromium reads them (docs/wire-head.md) on one kept-alive connection, over TLS (trustme), through
an HTTP proxy (forwarding and CONNECT); refused with Chromium's net error naming the line."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Probe, Verdict
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.integration.conftest import Tls
from tests.support.faultserver import FaultServer, read_head

PAGE = "http://localhost:8080"
# The preflight: LF-only, a space before a colon, a line without a colon, a fold; kept alive.
PREFLIGHT = (b"HTTP/1.1 204\nAccess-Control-Allow-Origin : *\nbroken line\nAccess-Control-Allow-Methods: GET,\n"
             b" PUT\nAccess-Control-Allow-Headers: x-token\n\n")
# The actual answer on the same connection: no status number, a tab before a colon.
ACTUAL = b"HTTP/1.1 abc\r\nAccess-Control-Allow-Origin\t: *\r\nContent-Length: 2\r\n\r\nok"


def lenient(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.sendall(PREFLIGHT if request is not None and request.startswith(b"OPTIONS") else ACTUAL)
    return True


def check(url: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    command = [sys.executable, "-m", "corsprobe", "check", url, "--origin", PAGE, "-X", "PUT", "-H", "X-Token: a",
               "--send-unsafe", "--timeout", "5", *extra]
    done = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, timeout=60)
    verbose = subprocess.run([*command, "-v"], capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout)["results"][0], verbose.stdout


def assert_read_as_chromium(row: dict[str, Any], verbose: str) -> None:
    assert row["verdict"] == "allowed", row
    assert row["preflight"]["status"] == 204 and row["actual"]["status"] == 200
    assert ["Access-Control-Allow-Methods", "GET, PUT"] in row["preflight"]["response_headers"]
    assert any("whitespace before the colon" in note for note in row["preflight"]["response_read_as"])
    assert "broken line\n" in row["preflight"]["response_received"]
    assert any("has no number" in note for note in row["actual"]["response_read_as"])
    assert "Access-Control-Allow-Origin\t: *\r\n" in row["actual"]["response_received"]
    assert "< (as received) 'Access-Control-Allow-Origin : *\\n'" in verbose
    assert "< (read as Chromium reads it: header line 'broken line' has no colon: skipped" in verbose


def test_plain_http_on_one_kept_alive_connection() -> None:
    with FaultServer(lenient) as server:
        code, row, verbose = check(server.url("/api"))
        assert code == 0
        assert_read_as_chromium(row, verbose)
        assert len(server.requests) == 4  # two runs, preflight and actual each


def test_tls(tls: Tls) -> None:
    with FaultServer(lenient, context=tls.server_context) as server:
        code, row, verbose = check(server.url("/api"), "--cacert", tls.ca_pem)
        assert code == 0
        assert_read_as_chromium(row, verbose)


def test_through_an_http_proxy_forwarding_and_connect(tls: Tls) -> None:
    with FaultServer(lenient) as plain, FaultServer(lenient, context=tls.server_context) as secure, \
            proxy() as (proxy_url, seen):
        for server, extra in ((plain, ()), (secure, ("--cacert", tls.ca_pem))):
            code, row, verbose = check(server.url("/api"), "--proxy", proxy_url, *extra)
            assert code == 0
            assert_read_as_chromium(row, verbose)
    assert any(line.startswith("OPTIONS http://127.0.0.1:") for line in seen)
    assert any(line.startswith("CONNECT 127.0.0.1:") for line in seen)


def test_a_nul_in_a_header_is_refused_naming_the_line() -> None:
    def nul(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-Bad: a\x00b\r\nContent-Length: 0\r\n\r\n")
        return False

    with FaultServer(nul) as server:
        done = subprocess.run([sys.executable, "-m", "corsprobe", "check", server.url("/x"), "--origin", PAGE,
                               "--timeout", "5", "--format", "json"], capture_output=True, text=True, timeout=60)
    row = json.loads(done.stdout)["results"][0]
    assert row["verdict"] == "error" and row["reason"] == "invalid_response", row
    assert "'X-Bad: a\\x00b'" in row["explanation"] and "ERR_INVALID_HTTP_RESPONSE" in row["explanation"]


@contextmanager
def proxy() -> Iterator[tuple[str, list[str]]]:
    """A minimal HTTP proxy on 127.0.0.1: absolute-form requests forwarded, CONNECT tunnelled."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()
    seen: list[str] = []

    def serve(conn: socket.socket) -> None:
        conn.settimeout(10)
        with conn:
            head = read_head(conn)
            if head is None:
                return
            line = head.split(b"\r\n", 1)[0].decode()
            seen.append(line)
            method, target, _ = line.split(" ", 2)
            host, _, port = (target if method == "CONNECT" else target.split("/")[2]).partition(":")
            with socket.create_connection((host, int(port)), timeout=10) as upstream:
                if method == "CONNECT":
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                else:
                    upstream.sendall(head.replace(target.encode(), b"/" + target.split("/", 3)[3].encode(), 1)
                                     + b"\r\n\r\n")
                pipe(conn, upstream)

    def pipe(a: socket.socket, b: socket.socket) -> None:
        def copy(src: socket.socket, dst: socket.socket) -> None:
            try:
                while data := src.recv(65536):
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    with suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
        other = threading.Thread(target=copy, args=(b, a), daemon=True)
        other.start()
        copy(a, b)
        other.join(timeout=10)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


class FirstRequestOnly:
    """A server behaviour: each connection's first request is answered (kept alive: PREFLIGHT to an
    OPTIONS, else ACTUAL), its next one closed without a byte. Connections are kept alive so that a new
    one cannot be taken for a closed one."""

    def __init__(self) -> None:
        self.seen: list[socket.socket] = []

    @property
    def connections(self) -> int:
        return len(self.seen)

    def __call__(self, conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        if any(conn is known for known in self.seen):
            return False
        self.seen.append(conn)
        conn.sendall(PREFLIGHT if request is not None and request.startswith(b"OPTIONS") else ACTUAL)
        return True


@pytest.mark.anyio
async def test_a_request_swallowed_by_a_kept_alive_connection_is_resent() -> None:
    """The server answers the first request of each connection (kept alive) and closes on the
    second without a byte: the actual request is resent on a new connection, as Chromium does
    (HttpNetworkTransaction::ShouldResendRequest), and the row is judged."""
    first_only = FirstRequestOnly()

    with FaultServer(first_only) as server:
        probe = Probe(server.url("/api"), PAGE, "PUT", (("X-Token", "a"),), send_unsafe=True)
        async with make_client(ClientOptions(timeout=5.0)) as client:
            result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    assert result.outcome.verdict is Verdict.ALLOWED, result.outcome
    assert len(server.requests) == 3  # preflight, the swallowed actual, the resent actual


@pytest.mark.anyio
async def test_every_stale_kept_alive_connection_is_tried_before_a_new_one() -> None:
    """Four connections kept alive in one pool, each of which the server closes on its next request:
    a request resent three times would still fail; Chromium resends while the connection was a
    reused one (ShouldResendRequest has no count), so the fifth attempt, on a new connection, is
    answered and the row is judged."""
    first_only = FirstRequestOnly()

    with FaultServer(first_only) as server:
        probe = Probe(server.url("/api"), PAGE, "GET")
        async with make_client(ClientOptions(timeout=5.0)) as client:
            # Outside a run's workers every call shares one pool: four at once open four connections.
            warm = await asyncio.gather(*(run_probe(client, probe, RunPolicy(CHROMIUM)) for _ in range(4)))
            assert all(r.outcome.verdict is Verdict.ALLOWED for r in warm), warm
            result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    assert result.outcome.verdict is Verdict.ALLOWED, result.outcome
    assert first_only.connections == 5 and len(server.requests) == 9  # 4 warm, 4 swallowed, 1 answered


@pytest.mark.anyio
async def test_chunked_answers_read_as_chromium_keep_the_connection() -> None:
    """LF-only chunk framing with an extension and a trailer (Chromium's HttpChunkedDecoder reads it;
    h11 would not) on the preflight and the actual request, three rows on one kept-alive connection."""
    connections: list[socket.socket] = []  # kept alive: a distinct object per connection

    def chunked(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        if all(conn is not seen for seen in connections):
            connections.append(conn)
        status = b"204 No Content" if request is not None and request.startswith(b"OPTIONS") else b"200 OK"
        body = b"" if status.startswith(b"204") else b"2;x=1\nok\n0\nX-Trailer: t\n\n"
        framing = b"" if not body else b"Transfer-Encoding: chunked\r\n"
        conn.sendall(b"HTTP/1.1 " + status + b"\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT"
                     b"\r\nAccess-Control-Allow-Headers: x-token\r\n" + framing + b"\r\n" + body)
        return True

    with FaultServer(chunked) as server:
        probe = Probe(server.url("/api"), PAGE, "PUT", (("X-Token", "a"),), send_unsafe=True)
        async with make_client(ClientOptions(timeout=5.0)) as client:
            results = [await run_probe(client, probe, RunPolicy(CHROMIUM)) for _ in range(3)]
    assert all(r.outcome.verdict is Verdict.ALLOWED for r in results), [r.outcome for r in results]
    assert len(server.requests) == 6 and len(connections) == 1
