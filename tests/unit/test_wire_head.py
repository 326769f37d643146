"""corsprobe.wire.head: a response head read as Chromium's HTTP/1.x parser reads it, one row per
rule (the Chromium function in each row's comment), and the strict head h11 is given instead."""

from __future__ import annotations

import h11
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corsprobe.wire.head import Head, Refusal, end_of_head, read_head, start_of_status_line

OK = b"HTTP/1.1 200 OK\r\n"
END = b"Content-Length: 0\r\n\r\n"

# (id, received head, status, reason, header lines as Chromium reads them, a note must contain)
READ = [
    # HttpResponseHeaders::Parse: a strict head is read as written, no note.
    ("strict", OK + b"A: 1\r\n" + END, 200, "OK", [("A", "1"), ("Content-Length", "0")], None),
    # HttpUtil::HeadersIterator::GetNext: LWS before the colon is trimmed from the name.
    ("space-before-colon", OK + b"A : 1\r\n" + END, 200, "OK", [("A", "1"), ("Content-Length", "0")],
     "whitespace before the colon"),
    ("tab-before-colon", OK + b"A\t: 1\r\n" + END, 200, "OK", [("A", "1"), ("Content-Length", "0")],
     "whitespace before the colon"),
    # HeadersIterator::GetNext: no colon, an empty name, or a name that is not a token: skipped.
    ("no-colon", OK + b"broken\r\n" + END, 200, "OK", [("Content-Length", "0")], "has no colon"),
    ("empty-name", OK + b": x\r\n" + END, 200, "OK", [("Content-Length", "0")], "has no name"),
    ("not-a-token", OK + b"Bad Name: x\r\n" + END, 200, "OK", [("Content-Length", "0")], "not a token"),
    # HttpUtil::AssembleRawHeaders: a line starting with SP/HTAB continues a continuable line.
    ("obs-fold", OK + b"A: 1,\r\n  2\r\n" + END, 200, "OK", [("A", "1, 2"), ("Content-Length", "0")], "obs-fold"),
    ("obs-fold-tab", OK + b"A:\r\n\t2\r\n" + END, 200, "OK", [("A", "2"), ("Content-Length", "0")], "obs-fold"),
    # AssembleRawHeaders: right after the status line nothing can be continued; HeadersIterator skips it.
    ("fold-first", OK + b" A: 1\r\n" + END, 200, "OK", [("Content-Length", "0")], "has no name"),
    # HttpUtil::LocateEndOfHeaders / AssembleRawHeaders: LF alone ends lines and the head.
    ("lf-only", b"HTTP/1.1 200 OK\nA: 1\nContent-Length: 0\n\n", 200, "OK", [("A", "1"), ("Content-Length", "0")],
     "LF-only"),
    ("blank-line-lf", OK + b"Content-Length: 0\r\n\n", 200, "OK", [("Content-Length", "0")], "LF-only"),
    # AssembleRawHeaders splits on every CR and LF: a bare CR ends a line.
    ("bare-cr", OK + b"A: a\rB: b\r\n" + END, 200, "OK", [("A", "a"), ("B", "b"), ("Content-Length", "0")],
     "bare CR"),
    # HttpUtil::LocateStartOfStatusLine: up to 4 bytes before "http" are skipped.
    ("leading-crlf", b"\r\n" + OK + END, 200, "OK", [("Content-Length", "0")], "2 byte(s) before"),
    ("leading-4", b"xx\r\n" + OK + END, 200, "OK", [("Content-Length", "0")], "4 byte(s) before"),
    # HttpResponseHeaders::ParseStatusLine: no space after the version: 200 OK.
    ("no-status", b"HTTP/1.1\r\n" + END, 200, "OK", [("Content-Length", "0")], "no status code"),
    ("tab-not-space", b"HTTP/1.1\t404 X\r\n" + END, 200, "", [("Content-Length", "0")], "'X' has no number"),
    # ParseStatus: no digits: 200 and no reason; digits are read as a number, however many.
    ("non-numeric", b"HTTP/1.1 abc OK\r\n" + END, 200, "", [("Content-Length", "0")], "has no number"),
    ("leading-zero", b"HTTP/1.1 0200 OK\r\n" + END, 200, "OK", [("Content-Length", "0")], "not 3 digits"),
    ("two-digits", b"HTTP/1.1 99 Low\r\n" + END, 99, "Low", [("Content-Length", "0")], "not 3 digits"),
    ("four-digits", b"HTTP/1.1 2000 Big\r\n" + END, 2000, "Big", [("Content-Length", "0")], "not 3 digits"),
    ("digits-then-text", b"HTTP/1.1 200OK\r\n" + END, 200, "OK", [("Content-Length", "0")], "ParseStatus"),
    ("extra-spaces", b"HTTP/1.1   201   Made  \r\n" + END, 201, "Made", [("Content-Length", "0")], "trims spaces"),
    ("missing-reason", b"HTTP/1.1 204\r\n\r\n", 204, "", [], None),
    # HttpResponseHeaders::ParseVersion: any case, clamped to 0.9/1.0/1.1/2.0.
    ("lowercase", b"http/1.1 200 OK\r\n" + END, 200, "OK", [("Content-Length", "0")], "HttpResponseHeaders::Parse"),
    ("http2", b"HTTP/2 200 OK\r\n" + END, 200, "OK", [("Content-Length", "0")], "read as HTTP/1.0"),
    # ParseResponseHeaders: an invalid Content-Length is no length (the body ends at close).
    ("bad-length", OK + b"Content-Length: abc\r\n\r\n", 200, "OK", [("Content-Length", "abc")],
     "invalid Content-Length"),
    # HttpStreamParser::HandleReadHeaderResult: closed before the blank line: the lines so far (http).
    ("truncated", OK + b"A: 1\r\n", 200, "OK", [("A", "1")], "closed before the blank line"),
]


@pytest.mark.parametrize(("received", "status", "reason", "headers", "note"),
                         [row[1:] for row in READ], ids=[row[0] for row in READ])
def test_read_as_chromium(received: bytes, status: int, reason: str, headers: list[tuple[str, str]],
                          note: str | None) -> None:
    head = read_head(received, closed=True)
    assert isinstance(head, Head), head
    assert (head.status, head.reason, list(head.headers)) == (status, reason, headers)
    assert (note is None) == (not head.notes), head.notes
    assert note is None or any(note in n for n in head.notes), head.notes
    assert "".join(head.raw_lines()).encode("latin-1") == head.received
    _h11_accepts(head)


def _h11_accepts(head: Head) -> None:
    """The rewritten head is strict: h11 parses it, with Chromium's status (when 3 digits)."""
    connection = h11.Connection(h11.CLIENT)
    connection.send(h11.Request(method="GET", target="/", headers=[("Host", "x")]))
    connection.send(h11.EndOfMessage())
    connection.receive_data(head.wire)
    event = connection.next_event()
    assert isinstance(event, h11.InformationalResponse if head.informational else h11.Response), event
    assert event.status_code == (head.status if 100 <= head.status <= 999 else 200)


# (id, received, net error, text the refusal must contain)
REFUSED = [
    # HttpResponseHeaders::TryToCreate: a NUL anywhere in the head.
    ("nul-in-value", OK + b"A: a\x00b\r\n" + END, "ERR_INVALID_HTTP_RESPONSE", "'A: a\\x00b'"),
    ("nul-in-status", b"HTTP/1.1 200 O\x00K\r\n" + END, "ERR_INVALID_HTTP_RESPONSE", "NUL"),
    # HttpStreamParser::ParseResponseHeaders: differing copies of Content-Length / -Disposition / Location.
    ("two-lengths", OK + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n", "MULTIPLE_CONTENT_LENGTH",
     "'Content-Length: 1' / 'Content-Length: 2'"),
    ("length-list", OK + b"Content-Length: 0, 1\r\n\r\n", "MULTIPLE_CONTENT_LENGTH", "2 differing"),
    ("two-locations", OK + b"Location: /a\r\nLocation: /b\r\n" + END, "MULTIPLE_LOCATION", "'Location: /b'"),
    ("two-dispositions", OK + b"Content-Disposition: a\r\nContent-Disposition: b\r\n" + END,
     "MULTIPLE_CONTENT_DISPOSITION", "differing"),
    # ParseResponseHeaders: no status line on a non-default port: not HTTP/0.9.
    ("garbage", b"hello world\r\n\r\n", "ERR_INVALID_HTTP_RESPONSE", "'hello world"),
    ("six-bytes-before", b"\r\n\r\n\r\n" + OK + END, "ERR_INVALID_HTTP_RESPONSE", "no HTTP status line"),
    ("no-version", b"200 OK\r\n" + END, "ERR_INVALID_HTTP_RESPONSE", "'200 OK"),
    # HandleReadHeaderResult: no end within kMaxHeaderBufSize.
    ("huge", OK + b"A: " + b"a" * 300_000 + b"\r\n" + END, "ERR_RESPONSE_HEADERS_TOO_BIG", "256 KiB"),
]


@pytest.mark.parametrize(("received", "error", "says"), [row[1:] for row in REFUSED], ids=[row[0] for row in REFUSED])
def test_refused_as_chromium(received: bytes, error: str, says: str) -> None:
    refusal = read_head(received, closed=False)
    assert isinstance(refusal, Refusal), refusal
    assert error in refusal.error and says in refusal.text, refusal.text


def test_same_length_twice_and_chunked_with_length_are_read() -> None:
    # ParseResponseHeaders: equal copies are fine; with chunked the lengths are not compared.
    same = read_head(OK + b"Content-Length: 2\r\nContent-Length: 2\r\n\r\nok", closed=False)
    assert isinstance(same, Head) and same.wire.count(b"Content-Length: 2") == 1
    chunked = read_head(OK + b"Transfer-Encoding: chunked\r\nContent-Length: 1\r\nContent-Length: 9\r\n\r\n", False)
    assert isinstance(chunked, Head) and b"Transfer-Encoding: chunked" in chunked.wire
    assert b"Content-Length" not in chunked.wire
    # IsChunkEncoded needs HTTP/1.1: an HTTP/1.0 "chunked" body is read as it comes.
    old = read_head(b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", False)
    assert isinstance(old, Head) and b"Transfer-Encoding" not in old.wire


def test_more_bytes_needed_until_the_head_ends() -> None:
    assert read_head(b"", closed=False) is None
    assert read_head(b"HTT", closed=False) is None  # fewer than 8 bytes: HTTP/0.9 is not decided yet
    assert read_head(OK + b"A: 1\r\n", closed=False) is None
    assert isinstance(read_head(b"HTT", closed=True), Refusal)


def test_http09_only_on_a_default_port() -> None:
    # HttpStreamParser::ParseResponseHeaders: HTTP/0.9 on the scheme's port, or Shoutcast over http.
    head = read_head(b"hello world", closed=True, default_port=True)
    assert isinstance(head, Head) and head.size == 0 and head.version == "HTTP/0.9"
    assert isinstance(read_head(b"ICY 200 OK\r\n\r\n", closed=False), Head)
    assert isinstance(read_head(b"ICY 200 OK\r\n\r\n", closed=False, tls=True), Refusal)
    assert isinstance(read_head(b"hello world", closed=True, default_port=True, seen_status_line=True), Refusal)


def test_truncated_head_over_tls_is_refused() -> None:
    refusal = read_head(OK + b"A: 1\r\n", closed=True, tls=True)
    assert isinstance(refusal, Refusal) and refusal.error.endswith("ERR_RESPONSE_HEADERS_TRUNCATED")


@pytest.mark.parametrize(("buffer", "start", "end"), [
    (b"HTTP/1.1 200 OK\r\n\r\n", 0, 19), (b"HTTP/1.1 200 OK\n\n", 0, 17), (b"HTTP/1.1 200 OK\n\r\nbody", 0, 18),
    (b"HTTP/1.1 200 OK\r\r\n", 0, None), (b"xxxxHTTP/1.1", 4, None), (b"xxxxxHTTP", None, None),
])
def test_locate_start_and_end(buffer: bytes, start: int | None, end: int | None) -> None:
    # HttpUtil::LocateStartOfStatusLine and LocateEndOfHeaders
    assert start_of_status_line(buffer) == start
    assert end_of_head(buffer) == end


def test_size_is_where_the_body_starts() -> None:
    head = read_head(b"\r\n" + OK + b"Content-Length: 2\r\n\r\nokNEXT", closed=False)
    assert isinstance(head, Head) and head.size == len(b"\r\n" + OK + b"Content-Length: 2\r\n\r\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"HTTP/1.1 ", b"http/1.0", b"200", b" OK", b"abc", b"\r\n", b"\n", b"\r", b" ",
                                 b"\t", b":", b"A", b"Content-Length", b"Transfer-Encoding", b"chunked", b"2",
                                 b",", b"\x00", b"\x0b", b"\xe9", b"Location", b"100", b"9999", b"0"]), max_size=40),
       st.booleans())
def test_any_bytes_give_a_head_h11_accepts_or_a_refusal(parts: list[bytes], closed: bool) -> None:
    found = read_head(b"".join(parts), closed)
    assert found is None or isinstance(found, Refusal | Head)
    if isinstance(found, Head):
        _h11_accepts(found)
        assert found.size <= len(b"".join(parts))
