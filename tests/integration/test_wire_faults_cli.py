"""The fault matrix through the CLI: every misbehaving-server class, each a real loopback socket
server (FaultServer), probed by a real ``python -m corsprobe check ... --timeout 2`` subprocess,
once with ``--format json`` and once with ``-v --layout table``. Each must end as the browser's
verdict or an explained error row with a sensible exit status, within the timeout + 2 s, with the
child's peak RSS under 200 MB and no traceback. All runs go at once through a thread pool.

What each class ends as, and the Chromium function or net error behind it, is in the README
("What a misbehaving server ends as").
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme

from tests.support.faultserver import (
    ALLOW,
    Behave,
    FaultServer,
    answer,
    head,
    hold,
    huge_body,
    preflight_then,
    reset,
    reset_now,
    silent,
    trickle,
)
from tests.support.servers import dead_port

TIMEOUT = 2.0
MARGIN = 2.0
MAX_RSS_MB = 200
WORKERS = 3  # runs at once: most wait on a socket, but each start-up costs ~0.3 s of CPU on 2 cores
ROOT = Path(__file__).resolve().parents[2]
PREFLIGHT = ("-H", "X-Token: abc")


def until(stop: threading.Event, seconds: float = 15.0) -> Iterator[None]:
    """Loop ticks until stopped or ``seconds`` pass (every server loop is bounded)."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        yield None


def then_reset(payload: bytes) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(payload)
        time.sleep(0.05)
        reset(conn)
        return False
    return behave


def then_half_close(payload: bytes) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)  # FIN on the write side; keep reading
        hold(stop, 5.0)
        return False
    return behave


def trickled(payload: bytes, prefix: bytes = b"") -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(prefix)
        trickle(conn, payload, stop)
        return False
    return behave


def endless(prefix: bytes, unit: bytes, pause: float = 0.0) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(prefix)
        for _ in until(stop):
            conn.sendall(unit)
            if pause:
                time.sleep(pause)
        return False
    return behave


def lines_one_by_one(count: int) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\n" + ALLOW + b"Content-Length: 0\r\n")
        for index in range(count):
            if stop.is_set():
                return False
            conn.sendall(b"a%d:\r\n" % (index % 10))
        conn.sendall(b"\r\n")
        return False
    return behave


def chain(final: bytes) -> Behave:
    """/r/N redirects to /r/N-1 ... /r/0 answers ``final``."""
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        target = (request or b"").split(b" ")[1]
        count = int(target.rsplit(b"/", 1)[-1]) if target.startswith(b"/r/") else 0
        if count == 0:
            conn.sendall(final)
        else:
            conn.sendall(head(b"302 Found", b"Location: /r/%d\r\n" % (count - 1)))
        return True
    return behave


def redirect(location: bytes) -> Behave:
    def behave(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
        if request is not None and request.split(b" ")[1].startswith(b"/start"):
            conn.sendall(head(b"302 Found", b"Location: " + location + b"\r\n"))
        else:
            conn.sendall(head())
        return True
    return behave


def deflate_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    block = b"\0" * (1 << 20)
    return b"".join(compressor.compress(block) for _ in range(size >> 20)) + compressor.flush()


BOMB = deflate_bomb(1 << 30)  # ~1 MB on the wire, 1 GiB decoded
GZIP_CORRUPT = b"\x1f\x8b\x08\x00garbage-not-deflate"
MANY = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))
CHUNKED = b"Transfer-Encoding: chunked\r\n"


@dataclass(frozen=True)
class Env:
    """Helper endpoints the cases point at."""

    silent_port: int
    dead_port: int


@dataclass(frozen=True)
class Case:
    """One fault: the server's behaviour (from the Env), the CLI arguments, what must come out."""

    name: str
    make: Callable[[Env], Behave] | None  # None: no server (the URL says where)
    verdict: str
    reason: str | None
    says: str = ""  # a text the row's explanation must contain (case-insensitive)
    args: tuple[str, ...] = ()
    path: str = "/start"
    raw: bool = False
    scheme: str | None = None
    tls: str | None = None  # trusted, untrusted, wrong-host, expired, self-signed
    host: str = "127.0.0.1"
    url: str | None = None


def const(behave: Behave) -> Callable[[Env], Behave]:
    return lambda env: behave


def ok(verdict: str = "allowed") -> tuple[str, None]:
    return verdict, None


CASES = [
    # The issue's done-when list.
    Case("refused", None, "error", "network_error", "connection refused", url="dead"),
    Case("reset-on-accept", const(reset_now), "error", "network_error", "reset by peer", raw=True),
    Case("reset-mid-head", const(then_reset(b"HTTP/1.1 200 OK\r\nAccess-Con")), "error", "network_error",
         "reset by peer after the request was sent"),
    Case("silent", const(silent), "error", "timeout", "waiting for the response head"),
    Case("trickled-head", const(trickled(head())), "error", "timeout", "waiting for the response head"),
    Case("trickled-body", const(trickled(b"x" * 1000, head(length=1000))), "error", "timeout", "reading the body"),
    Case("garbage", const(answer(b"hello world\r\n\r\n")), "error", "invalid_response", "malformed response"),
    Case("empty-reply", const(lambda c, r, s: False), "error", "network_error", "ERR_EMPTY_RESPONSE"),
    Case("bad-status-line", const(answer(b"HTTP/1.1 abc OK\r\n" + ALLOW + b"Content-Length: 0\r\n\r\n")), *ok()),
    Case("header-without-colon", const(answer(head(extra=b"broken\r\n"))), *ok()),
    Case("nul-in-value", const(answer(head(extra=b"X-A: a\x00b\r\n"))), "error", "invalid_response",
         "ERR_INVALID_HTTP_RESPONSE"),
    Case("bare-cr-in-value", const(answer(head(extra=b"X-A: a\rb\r\n"))), *ok()),
    Case("huge-header", const(answer(head(extra=b"X-Big: " + b"a" * 300_000 + b"\r\n"))), "error",
         "invalid_response", "ERR_RESPONSE_HEADERS_TOO_BIG"),
    Case("many-headers", const(answer(head(extra=MANY))), *ok()),
    Case("redirect-loop", const(redirect(b"/start")), "blocked", "too_many_redirects"),
    Case("non-http-redirect", const(redirect(b"ftp://127.0.0.1/x")), "blocked", "cors_disabled_scheme"),
    Case("userinfo-redirect", const(redirect(b"http://probe:PASSWORD@127.0.0.1:9/x")), "blocked",
         "redirect_contains_credentials"),
    Case("bad-chunking", const(answer(head(extra=CHUNKED, length=None) + b"zz\r\nxx\r\n")), "error",
         "invalid_response", "not hex digits (chunk framing line 'zz')"),
    Case("corrupt-gzip", const(answer(head(extra=b"Content-Encoding: gzip\r\n", length=len(GZIP_CORRUPT))
                                      + GZIP_CORRUPT)), "error", "invalid_response", "cannot be decoded"),
    Case("huge-preflight-body", const(preflight_then(answer(head(length=2) + b"ok"), huge_body(50 << 20))),
         *ok(), args=PREFLIGHT),
    Case("endless-preflight-body", const(preflight_then(
        answer(head(length=2) + b"ok"),
        endless(b"HTTP/1.1 200 OK\r\n" + ALLOW + CHUNKED + b"\r\n", b"10000\r\n" + b"x" * 0x10000 + b"\r\n"))),
        *ok(), args=PREFLIGHT),
    Case("tls-untrusted", const(answer(head())), "error", "tls_error", "not trusted", tls="untrusted"),
    Case("tls-wrong-host", const(answer(head())), "error", "tls_error", "another host name", tls="wrong-host"),
    Case("tls-to-plain-port", const(answer(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", False)),
         "error", "tls_error", "use http://", raw=True, scheme="https"),
    # Beyond the list.
    Case("endless-100-continue", const(endless(b"", b"HTTP/1.1 100 Continue\r\n\r\n", 0.0005)), "error",
         "timeout", "waiting for the response head"),
    Case("endless-103-early-hints", const(endless(b"", b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n",
                                                  0.0005)), "error", "timeout", "waiting for the response head"),
    # A 101 to a request without Upgrade is one more 1xx to Chromium (the browser suite's net-*-switching-*).
    Case("101-then-answer", const(answer(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n" + head())),
         *ok()),
    Case("101-then-close", const(answer(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", False)),
         "error", "network_error", "ERR_EMPTY_RESPONSE"),
    Case("endless-101", const(endless(b"", b"HTTP/1.1 101 Switching Protocols\r\n\r\n", 0.0005)), "error",
         "timeout", "waiting for the response head"),
    Case("1xx-then-trickle", const(trickled(head(), b"HTTP/1.1 100 Continue\r\n\r\n")), "error", "timeout",
         "waiting for the response head"),
    Case("head-just-under-256k", const(answer(head(extra=b"X-Big: " + b"a" * (256 * 1024 - 300) + b"\r\n"))),
         *ok()),
    Case("head-just-over-256k", const(answer(head(extra=b"X-Big: " + b"a" * (256 * 1024) + b"\r\n"))), "error",
         "invalid_response", "ERR_RESPONSE_HEADERS_TOO_BIG"),
    Case("100k-tiny-header-lines", const(lines_one_by_one(100_000)), "error", "invalid_response",
         "ERR_RESPONSE_HEADERS_TOO_BIG"),
    Case("20k-tiny-header-lines", const(lines_one_by_one(20_000)), *ok()),
    Case("long-status-line", const(answer(b"HTTP/1.1 200 " + b"O" * 200_000 + b"\r\n" + ALLOW
                                          + b"Content-Length: 0\r\n\r\n")), *ok()),
    Case("gzip-bomb", const(answer(head(extra=b"Content-Encoding: gzip\r\n", length=len(BOMB)) + BOMB)), *ok()),
    Case("gzip-bomb-tiny-max-body", const(answer(head(extra=b"Content-Encoding: gzip\r\n", length=len(BOMB))
                                                 + BOMB)), *ok(), args=("--max-body", "0")),
    Case("unknown-encoding-br", const(answer(head(extra=b"Content-Encoding: br\r\n", length=4) + b"\x8b\x00\x80x")),
         *ok()),
    # Chromium decodes zstd (ZstdSourceStream): a body that is no zstd data fails; an unknown coding passes.
    Case("zstd-not-zstd-data", const(answer(head(extra=b"Content-Encoding: zstd\r\n", length=3) + b"abc")),
         "error", "invalid_response", "not zstd data"),
    Case("unknown-encoding", const(answer(head(extra=b"Content-Encoding: xyz\r\n", length=3) + b"abc")), *ok()),
    Case("encoding-not-a-token", const(answer(head(extra=b"Content-Encoding: g zip\r\n", length=3) + b"abc")),
         "error", "invalid_response", "ERR_CONTENT_DECODING_FAILED"),
    Case("content-length-longer-then-close", const(answer(head(length=100) + b"short", keep=False)), "error",
         "invalid_response", "ERR_CONTENT_LENGTH_MISMATCH"),
    Case("content-length-shorter", const(answer(head(length=2) + b"ok-and-more-bytes")), *ok()),
    Case("preflight-content-length-shorter", const(preflight_then(
        answer(head(length=2) + b"ok"),
        answer(b"HTTP/1.1 204 No Content\r\n" + ALLOW + b"\r\nGARBAGE\r\n\r\n"))), *ok(), args=PREFLIGHT),
    # A chunked body as Chromium's HttpChunkedDecoder reads it (corsprobe.wire.chunks): refused at once with
    # ERR_INVALID_CHUNKED_ENCODING where it refuses, read where it reads what h11 would refuse.
    Case("chunk-size-overflow", const(answer(head(extra=CHUNKED, length=None) + b"FFFFFFFFFFFFFFFFFF\r\nxx")),
         "error", "invalid_response", "ERR_INVALID_CHUNKED_ENCODING"),
    *(Case(f"chunk-size-{name}", const(answer(head(extra=CHUNKED, length=None) + body)), "error",
           "invalid_response", "ERR_INVALID_CHUNKED_ENCODING")
      for name, body in [("plus", b"+2\r\nok\r\n0\r\n\r\n"), ("hex-prefix", b"0x2\r\nok\r\n0\r\n\r\n"),
                         ("tab", b"2\t\r\nok\r\n0\r\n\r\n"), ("missing", b"\r\nok\r\n0\r\n\r\n"),
                         ("unterminated-data", b"2\r\nokX\r\n0\r\n\r\n"),
                         ("line-too-long", b"2;" + b"e" * 17000)]),
    Case("chunk-lf-only", const(answer(head(extra=CHUNKED, length=None) + b"2\nok\n0\n\n")), *ok()),
    Case("chunk-size-spaces-leading-zeros", const(answer(head(extra=CHUNKED, length=None)
                                                         + b"0002  \r\nok\r\n0\r\n\r\n")), *ok()),
    Case("chunk-trailer-garbage", const(answer(head(extra=CHUNKED, length=None)
                                               + b"2\r\nok\r\n0\r\n\x01 not a header\r\n\r\n")), *ok()),
    Case("preflight-bad-chunks", const(preflight_then(
        answer(head(length=2) + b"ok"),
        answer(b"HTTP/1.1 200 OK\r\n" + ALLOW + CHUNKED + b"\r\n+zz\r\n"))), *ok(), args=PREFLIGHT),
    Case("chunk-huge-endless", const(endless(head(extra=CHUNKED, length=None) + b"7fffffff\r\n", b"x" * 65536)),
         *ok()),
    Case("chunk-extensions-trailers", const(answer(head(extra=CHUNKED, length=None)
                                                   + b"2;name=value\r\nok\r\n0\r\nX-Trailer: t\r\n\r\n")), *ok()),
    Case("te-and-content-length", const(answer(head(extra=CHUNKED + b"Content-Length: 999\r\n", length=None)
                                               + b"2\r\nok\r\n0\r\n\r\n")), *ok()),
    Case("closes-after-preflight", const(preflight_then(
        answer(head(length=2) + b"ok"),
        answer(b"HTTP/1.1 204 No Content\r\n" + ALLOW + b"\r\n", keep=False))), *ok(), args=PREFLIGHT),
    Case("answers-before-request", const(answer(head(extra=b"Connection: close\r\n"), keep=False)), *ok(),
         raw=True),
    Case("half-close-mid-body", const(then_half_close(head(length=1000) + b"x" * 10)), "error", "invalid_response",
         "ERR_CONTENT_LENGTH_MISMATCH"),
    Case("reset-mid-body", const(then_reset(head(length=1000) + b"x" * 10)), "error", "invalid_response",
         "reset by peer while reading the body"),
    Case("redirects-20", const(chain(head())), *ok(), path="/r/20"),
    Case("redirects-21", const(chain(head())), "blocked", "too_many_redirects", path="/r/21"),
    Case("redirect-to-silent-port", lambda env: redirect(b"http://127.0.0.1:%d/x" % env.silent_port), "error",
         "timeout", "waiting for the response head"),
    Case("redirect-to-refused-port", lambda env: redirect(b"http://127.0.0.1:%d/x" % env.dead_port), "error",
         "network_error", "connection refused"),
    # Chromium's network stack refuses a redirect to a local scheme: net::ERR_UNSAFE_REDIRECT.
    Case("redirect-to-data", const(redirect(b"data:text/plain,hi")), "blocked", "invalid_redirect", "data:"),
    Case("redirect-to-javascript", const(redirect(b"javascript:alert(1)")), "blocked", "cors_disabled_scheme"),
    Case("redirect-relative", const(redirect(b"next")), *ok()),
    Case("redirect-protocol-relative", lambda env: redirect(b"//127.0.0.1:%d/x" % env.silent_port), "error",
         "timeout"),
    Case("redirect-location-spaces", const(redirect(b"/a b c")), *ok()),
    Case("redirect-location-non-ascii", const(redirect("/caf\u00e9".encode())), *ok()),
    Case("redirect-without-location", const(answer(head(b"302 Found"))), *ok()),
    Case("tls-handshake-stall", const(silent), "error", "timeout", "TLS handshake", raw=True, scheme="https"),
    Case("tls-expired", const(answer(head())), "error", "tls_error", "expired", tls="expired"),
    Case("tls-self-signed", const(answer(head())), "error", "tls_error", "self-signed", tls="self-signed"),
    Case("tls-trusted", const(answer(head())), *ok(), tls="trusted"),
    Case("ipv6-loopback", const(answer(head())), *ok(), host="::1"),
    Case("dns-nonexistent", None, "error", "network_error", "DNS", url="http://nonexistent.invalid/"),
]


# Also run -v --layout table for these (the heavy heads and one of each kind of outcome).
VERBOSE = {"huge-header", "many-headers", "garbage", "nul-in-value", "gzip-bomb", "head-just-under-256k",
           "long-status-line", "userinfo-redirect", "silent", "endless-preflight-body", "tls-wrong-host",
           "20k-tiny-header-lines"}


@dataclass
class Run:
    """One finished CLI run."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


@dataclass
class Tls:
    ca: trustme.CA
    pem: str
    contexts: dict[str, ssl.SSLContext] = field(default_factory=dict)


def make_tls(workdir: Path) -> Tls:
    ca = trustme.CA()
    pem = workdir / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    tls = Tls(ca, str(pem))
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    leaves = {"trusted": ca.issue_cert("127.0.0.1"), "untrusted": ca.issue_cert("127.0.0.1"),
              "wrong-host": ca.issue_cert("other.example"),
              "expired": ca.issue_cert("127.0.0.1", not_before=past, not_after=past + datetime.timedelta(days=1))}
    for name, leaf in leaves.items():
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(context)
        tls.contexts[name] = context
    other = trustme.CA()  # a self-signed certificate: the CA's own, served as the leaf
    cert, key = workdir / "self.pem", workdir / "self.key"
    other.cert_pem.write_to_path(str(cert))
    other.private_key_pem.write_to_path(str(key))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    tls.contexts["self-signed"] = context
    return tls


def run_cli(args: list[str], budget: float) -> Run:
    """``python -m corsprobe`` with ``args``; killed past ``budget``. Its peak RSS is VmHWM, polled every
    10 ms (wait4's ru_maxrss would count the forking pytest's own RSS: Linux keeps it across exec)."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NO_COLOR="1", COLUMNS="200", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "corsprobe", *args], stdout=out, stderr=err, cwd=ROOT,
                                 env=env, stdin=subprocess.DEVNULL)
        status, peak = 0, 0
        while time.monotonic() - started < budget:
            peak = max(peak, high_water_kb(child.pid))
            pid, status, _ = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.01)
        else:
            child.kill()
            _, status, _ = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(child.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                   seconds, peak / 1024)


def high_water_kb(pid: int) -> int:
    """The process's peak resident set so far (VmHWM), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def probe(case: Case, env: Env, tls: Tls) -> tuple[Run, Run | None]:
    with ExitStack() as stack:
        if case.make is None:
            url = f"http://127.0.0.1:{env.dead_port}/" if case.url == "dead" else str(case.url)
        else:
            context = tls.contexts.get(case.tls) if case.tls else None
            server = stack.enter_context(FaultServer(case.make(env), raw=case.raw, context=context, host=case.host))
            url = server.url(case.path, scheme=case.scheme)
        common = ["check", url, "--origin", "http://localhost:8080", "--timeout", str(TIMEOUT), *case.args]
        if case.tls in ("trusted", "wrong-host", "expired"):
            common += ["--cacert", tls.pem]
        budget = TIMEOUT + MARGIN + 8
        as_json = run_cli([*common, "--format", "json"], budget)
        table = run_cli([*common, "-v", "--layout", "table"], budget) if case.name in VERBOSE else None
        return as_json, table


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Run | None]]:
    tls = make_tls(tmp_path_factory.mktemp("tls"))
    with FaultServer(silent) as silent_server:
        env = Env(silent_server.port, dead_port())
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {case.name: pool.submit(probe, case, env, tls) for case in CASES}
            return {name: future.result() for name, future in futures.items()}


def ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_fault_through_the_cli(case: Case, runs: dict[str, tuple[Run, Run | None]]) -> None:
    if case.host == "::1" and not ipv6():
        pytest.skip("no IPv6 loopback here")
    as_json, table = runs[case.name]
    for run in (as_json, table) if table else (as_json,):
        assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
        assert run.seconds < TIMEOUT + MARGIN, run.seconds
        assert run.peak_mb < MAX_RSS_MB, run.peak_mb
        assert run.code == (3 if case.verdict == "error" else 0), (run.code, run.stderr[-500:])
    row = json.loads(as_json.stdout)["results"][0]
    shown = (row["verdict"], row["reason"], row["explanation"])
    assert (row["verdict"], row["reason"]) == (case.verdict, case.reason), shown
    assert case.says.lower() in (row["explanation"] or "").lower(), shown
    assert "PASSWORD" not in as_json.stdout + (table.stdout if table else "")
    assert table is None or case.verdict in table.stdout


def test_gzip_fixtures() -> None:
    with pytest.raises(Exception):  # noqa: B017 - any decompression error
        gzip.decompress(GZIP_CORRUPT)
    assert len(BOMB) < 2 << 20
    assert len(zlib.decompressobj(31).decompress(BOMB, 1 << 20)) == 1 << 20


if __name__ == "__main__":  # print the fault table: class, outcome, seconds, peak RSS
    with tempfile.TemporaryDirectory() as tmp, FaultServer(silent) as helper:
        found_tls, found_env = make_tls(Path(tmp)), Env(helper.port, dead_port())
        with ThreadPoolExecutor(max_workers=WORKERS) as executor:
            results = list(executor.map(lambda c: (c, probe(c, found_env, found_tls)), CASES))
    for each, (json_run, table_run) in results:
        try:
            first = json.loads(json_run.stdout)["results"][0]
            outcome = f"{first['verdict']}/{first['reason']}: {(first['explanation'] or '')[:150]}"
        except (ValueError, KeyError, IndexError):
            outcome = f"NO JSON code={json_run.code} {json_run.stderr[-300:]!r}"
        tb = "TRACEBACK " if "Traceback" in json_run.stderr + (table_run.stderr if table_run else "") else ""
        print(f"{each.name:34} {json_run.code} {json_run.seconds:5.2f}s {json_run.peak_mb:6.1f}MB | {tb}{outcome}")
