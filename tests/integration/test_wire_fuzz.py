"""Generated malformed answers from a real socket: whatever bytes a server sends (status lines, header
lines, line ends, framing, bodies, mixed and broken), a probe ends as a verdict or an explained error row,
within the timeout, never as corsprobe's own failure (``probe_failed``: an exception the wire did not
explain) or a traceback. Half the answers are garbage built from pieces, half a good answer with a few
changes. Hypothesis, derandomized (the same 250 answers on every run) and bounded.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.support.faultserver import FaultServer

ORIGIN = "http://localhost:8080"
TIMEOUT = 1.0


class _Answer:
    """What the server sends next (every request gets it, then the connection closes)."""

    data = b""


def _send_answer(conn: socket.socket, request: bytes | None, stop: threading.Event) -> bool:
    conn.sendall(_Answer.data)
    return False


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(_send_answer) as running:
        yield running


STATUS = st.sampled_from([b"HTTP/1.1 200 OK", b"HTTP/1.1 204 No Content", b"HTTP/1.0 200", b"HTTP/1.1 abc",
                          b"HTTP/1.1 99999 Big", b"HTTP/2 200", b"HTTP/1.1", b"HTP/1.1 200 OK", b"http/1.1 200 ok",
                          b"\r\nHTTP/1.1 200 OK", b"HTTP/1.1 302 Found", b"HTTP/1.1 -1 x", b"ICY 200 OK", b""])
NAMES = st.sampled_from([b"Access-Control-Allow-Origin", b"access-control-allow-origin",
                         b"Access-Control-Allow-Headers", b"Access-Control-Allow-Methods", b"Content-Length",
                         b"Transfer-Encoding", b"Location",
                         b"Content-Encoding", b"Vary", b"Set-Cookie", b"X Bad", b"", b"\x00", b"\xff\xfe",
                         b"Access-Control-Allow-Credentials"])
VALUES = st.sampled_from([b"*", ORIGIN.encode(), b"x-token", b"GET, PUT", b"0", b"2", b"-1", b"99999999999999999999",
                          b"chunked", b"gzip", b"deflate", b"true", b"", b" ", b"a\x00b", b"a\rb", b"\xc3\xa9",
                          b"http://user:pw@evil.example/", b"javascript:alert(1)", b"//", b"null"]) | st.binary(
    max_size=12)
SEPARATORS = st.sampled_from([b": ", b":", b" : ", b"", b":\t", b"\t:"])
LINE_ENDS = st.sampled_from([b"\r\n", b"\n", b"\r", b"\r\r\n"])
BODIES = st.sampled_from([b"", b"ok", b"0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\n", b"\x1f\x8b\x08garbage",
                          b"FFFFFFFFFFFFFFFFFF\r\n"]) | st.binary(max_size=64)


@st.composite
def answers(draw: st.DrawFn) -> bytes:
    end = draw(LINE_ENDS)
    lines = [draw(STATUS)]
    for _ in range(draw(st.integers(0, 6))):
        lines.append(draw(NAMES) + draw(SEPARATORS) + draw(VALUES))
    if draw(st.booleans()):
        lines.append(b" folded" if draw(st.booleans()) else draw(st.binary(max_size=16)))
    head = end.join(lines) + (end + end if draw(st.integers(0, 5)) else b"")
    return head + draw(BODIES)


GOOD = [b"HTTP/1.1 200 OK", b"Access-Control-Allow-Origin: *", b"Access-Control-Allow-Headers: x-token",
        b"Access-Control-Allow-Methods: GET", b"Content-Length: 2"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A good answer (allowed) with a few changes: most answers in the wild are nearly right."""
    lines = list(GOOD)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        change = draw(st.sampled_from(["insert", "drop", "duplicate", "separator", "space"]))
        if change == "insert":
            lines.insert(at, draw(NAMES) + draw(SEPARATORS) + draw(VALUES))
        elif lines and change == "drop":
            lines.pop(min(at, len(lines) - 1))
        elif lines and change == "duplicate":
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif lines and change == "separator":
            index = min(at, len(lines) - 1)
            lines[index] = lines[index].replace(b": ", draw(SEPARATORS), 1)
        elif lines:
            index = min(at, len(lines) - 1)
            lines[index] = b" " + lines[index]
    end = draw(LINE_ENDS)
    return end.join(lines) + end + end + draw(st.sampled_from([b"ok", b"", b"okay", b"o"]))


@settings(max_examples=250, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(answer=answers() | mutated(), preflighted=st.booleans())
def test_any_answer_ends_as_a_verdict_or_an_explained_error(server: FaultServer, answer: bytes,
                                                            preflighted: bool) -> None:
    _Answer.data = answer
    headers = (("X-Token", "1"),) if preflighted else ()
    probe = Probe(server.url("/r"), ORIGIN, headers=headers)

    async def go() -> tuple[Verdict, Reason | None, str]:
        async with make_client(ClientOptions(timeout=TIMEOUT)) as client:
            result = await run_probe(client, probe, RunPolicy(CHROMIUM), ClientOptions(timeout=TIMEOUT))
        failure = result.outcome.failure
        return result.outcome.verdict, failure.reason if failure else None, failure.detail if failure else ""

    started = time.monotonic()
    verdict, reason, detail = asyncio.run(go())
    assert time.monotonic() - started < TIMEOUT + 2
    assert reason is not Reason.PROBE_FAILED, (answer, detail)
    if verdict is Verdict.ERROR:
        assert detail.strip() and not detail.rstrip().endswith(":"), (answer, detail)  # the cause in words
