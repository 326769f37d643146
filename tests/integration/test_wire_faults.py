"""Every fault class of a misbehaving server, each from a real loopback socket (FaultServer),
through the runner's own client: each ends as the browser's verdict or an explained error row
within the timeout + 2 s, never a traceback and never a verdict built on partial data.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import trustme

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Probe, Result, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.support.faultserver import (
    ALLOW,
    FaultServer,
    answer,
    head,
    huge_body,
    preflight_then,
    reset,
    reset_now,
    silent,
    trickle,
)
from tests.support.servers import dead_port

pytestmark = pytest.mark.anyio

TIMEOUT = 1.0
MARGIN = 2.0
PAGE = "http://localhost:8080"


def reset_mid_head(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.sendall(b"HTTP/1.1 200 OK\r\nAccess-Con")
    time.sleep(0.05)
    reset(conn)
    return False


def trickled_head(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    trickle(conn, head(), stop)
    return False


def trickled_body(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.sendall(head(length=1000))
    trickle(conn, b"x" * 1000, stop)
    return False


def endless_body(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.sendall(b"HTTP/1.1 200 OK\r\n" + ALLOW + b"Transfer-Encoding: chunked\r\n\r\n")  # 204 has no body
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    deadline = time.monotonic() + 20
    while not stop.is_set() and time.monotonic() < deadline:
        conn.sendall(chunk)
    return False


def redirect(location: bytes) -> Callable[[socket.socket, bytes | None, threading.Event], bool]:
    return answer(head(b"302 Found", b"Location: " + location + b"\r\n"))


@dataclass(frozen=True)
class Fault:
    name: str
    behave: Callable[[socket.socket, bytes | None, threading.Event], bool]
    verdict: Verdict
    reason: Reason | None
    says: str = ""  # a text the row's explanation must contain
    preflight: bool = False  # GET with X-Token: a preflight first
    raw: bool = False


GZIP_CORRUPT = b"\x1f\x8b\x08\x00garbage-not-deflate"
MANY = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))

FAULTS = [
    Fault("reset-on-accept", reset_now, Verdict.ERROR, Reason.NETWORK_ERROR, "reset by peer", raw=True),
    Fault("reset-mid-head", reset_mid_head, Verdict.ERROR, Reason.NETWORK_ERROR,
          "reset by peer after the request was sent"),
    Fault("silent", silent, Verdict.ERROR, Reason.TIMEOUT, "waiting for the response head"),
    Fault("trickled-head", trickled_head, Verdict.ERROR, Reason.TIMEOUT, "waiting for the response head"),
    Fault("trickled-body", trickled_body, Verdict.ERROR, Reason.TIMEOUT, "reading the body"),
    Fault("garbage", answer(b"hello world\r\n\r\n"), Verdict.ERROR, Reason.INVALID_RESPONSE, "malformed response"),
    Fault("empty-reply", lambda c, r, s: False, Verdict.ERROR, Reason.NETWORK_ERROR, "before sending a response head"),
    # Read as Chromium reads them (corsprobe.wire.head; docs/wire-head.md): judged, or refused with its net error.
    Fault("bad-status-line", answer(b"HTTP/1.1 abc OK\r\n" + ALLOW + b"Content-Length: 0\r\n\r\n"), Verdict.ALLOWED,
          None),
    Fault("header-without-colon", answer(head(extra=b"broken\r\n")), Verdict.ALLOWED, None),
    Fault("nul-in-value", answer(head(extra=b"X-A: a\x00b\r\n")), Verdict.ERROR, Reason.INVALID_RESPONSE,
          "'X-A: a\\x00b'"),
    Fault("bare-cr-in-value", answer(head(extra=b"X-A: a\rb\r\n")), Verdict.ALLOWED, None),
    Fault("huge-header", answer(head(extra=b"X-Big: " + b"a" * 300_000 + b"\r\n")), Verdict.ERROR,
          Reason.INVALID_RESPONSE, "ERR_RESPONSE_HEADERS_TOO_BIG"),
    Fault("many-headers", answer(head(extra=MANY)), Verdict.ALLOWED, None),
    Fault("redirect-loop", redirect(b"/loop"), Verdict.BLOCKED, Reason.TOO_MANY_REDIRECTS),
    Fault("non-http-redirect", redirect(b"ftp://127.0.0.1/x"), Verdict.BLOCKED, Reason.CORS_DISABLED_SCHEME),
    Fault("userinfo-redirect", redirect(b"http://probe:PASSWORD@127.0.0.1:9/x"), Verdict.BLOCKED,
          Reason.REDIRECT_CONTAINS_CREDENTIALS),
    Fault("bad-chunking", answer(head(extra=b"Transfer-Encoding: chunked\r\n", length=None) + b"zz\r\nxx\r\n"),
          Verdict.ERROR, Reason.INVALID_RESPONSE, "not hex digits (chunk framing line 'zz')"),
    Fault("corrupt-gzip", answer(head(extra=b"Content-Encoding: gzip\r\n", length=len(GZIP_CORRUPT)) + GZIP_CORRUPT),
          Verdict.ERROR, Reason.INVALID_RESPONSE, "cannot be decoded"),
    Fault("huge-preflight-body", preflight_then(answer(head(length=2) + b"ok")), Verdict.ALLOWED, None,
          preflight=True),
    Fault("endless-preflight-body", endless_body, Verdict.ALLOWED, None, preflight=True),
    Fault("huge-preflight-body-50mb", huge_body(50 * 1024 * 1024), Verdict.ALLOWED, None, preflight=True),
]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def probe_once(url: str, options: ClientOptions, preflight: bool = False) -> tuple[Result, float]:
    headers = (("X-Token", "abc"),) if preflight else ()
    started = time.monotonic()
    async with make_client(options) as client:
        result = await run_probe(client, Probe(url, PAGE, headers=headers), RunPolicy(CHROMIUM))
    return result, time.monotonic() - started


def check(result: Result, elapsed: float, verdict: Verdict, reason: Reason | None, says: str) -> None:
    failure = result.outcome.failure
    shown = (failure.reason, failure.detail) if failure else None
    assert result.outcome.verdict is verdict, shown
    assert (failure.reason if failure else None) is reason, shown
    assert says in (failure.detail if failure else ""), shown
    assert elapsed < TIMEOUT + MARGIN, elapsed
    assert "Traceback" not in (failure.detail if failure else "")


def preflight_behaviour(fault: Fault) -> Callable[[socket.socket, bytes | None, threading.Event], bool]:
    if fault.name in ("endless-preflight-body", "huge-preflight-body-50mb"):
        inner = fault.behave

        def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
            if request is not None and request.startswith(b"OPTIONS"):
                return inner(conn, request, stop)
            conn.sendall(head(length=2) + b"ok")
            return True
        return behave
    return fault.behave


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
async def test_fault(fault: Fault) -> None:
    before = rss_mb()
    with FaultServer(preflight_behaviour(fault), raw=fault.raw) as server:
        result, elapsed = await probe_once(server.url("/start"), ClientOptions(timeout=TIMEOUT), fault.preflight)
    check(result, elapsed, fault.verdict, fault.reason, fault.says)
    assert rss_mb() - before < 100


async def test_refused() -> None:
    result, elapsed = await probe_once(f"http://127.0.0.1:{dead_port()}/", ClientOptions(timeout=TIMEOUT))
    check(result, elapsed, Verdict.ERROR, Reason.NETWORK_ERROR, "connection refused")


async def test_actual_body_read_only_up_to_max_body() -> None:
    with FaultServer(endless_body) as server:
        result, elapsed = await probe_once(server.url(), ClientOptions(timeout=TIMEOUT, max_body=4096))
    check(result, elapsed, Verdict.ALLOWED, None, "")


async def test_userinfo_in_request_url_refused_and_nothing_sent() -> None:
    with FaultServer(answer(head())) as server:
        url = server.url().replace("http://", "http://probe:PASSWORD@")
        result, _ = await probe_once(url, ClientOptions(timeout=TIMEOUT))
        assert server.requests == []
    assert result.outcome.failure is not None
    assert (result.outcome.verdict, result.outcome.failure.reason) == (Verdict.BLOCKED, Reason.INVALID_REQUEST)
    assert "PASSWORD" not in result.outcome.failure.detail
    assert result.exchanges == ()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.mark.parametrize(("case", "names", "trusted", "says"), [
    ("untrusted", ("127.0.0.1",), False, "not trusted"),
    ("wrong-host", ("other.example",), True, "another host name"),
])
async def test_tls_faults(ca: trustme.CA, tmp_path: object, case: str, names: tuple[str, ...], trusted: bool,
                          says: str) -> None:
    from pathlib import Path

    pem = Path(str(tmp_path)) / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    options = ClientOptions(timeout=TIMEOUT, cacert=str(pem) if trusted else None)
    with FaultServer(answer(head()), context=server_context(ca, *names)) as server:
        result, elapsed = await probe_once(server.url(), options)
    check(result, elapsed, Verdict.ERROR, Reason.TLS_ERROR, says)


def plain_http_400(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.recv(4096)  # a ClientHello is not a request: answer as a plain HTTP server does
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    return False


async def test_tls_to_a_plain_port() -> None:
    with FaultServer(plain_http_400, raw=True) as server:
        result, elapsed = await probe_once(server.url(scheme="https"), ClientOptions(timeout=TIMEOUT))
    check(result, elapsed, Verdict.ERROR, Reason.TLS_ERROR, "use http://")


def test_gzip_fixture_is_really_corrupt() -> None:
    with pytest.raises(Exception):  # noqa: B017 - any decompression error
        gzip.decompress(GZIP_CORRUPT)
