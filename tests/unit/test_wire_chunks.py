"""wire.chunks: a chunked body read as Chromium's HttpChunkedDecoder reads it, one row per rule, each fed
whole and byte by byte (the framing must not depend on how the bytes arrive)."""

from __future__ import annotations

import h11
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corsprobe.wire.chunks import ERROR, MAX_LINE, ChunkedReader

# (case, body as received, the data Chromium gives, done, bytes after the end)
READ = [
    ("canonical", b"2\r\nok\r\n0\r\n\r\n", b"ok", True, False),
    ("two chunks", b"2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n", b"ok!!!", True, False),
    ("LF-only framing", b"2\nok\n0\n\n", b"ok", True, False),
    ("an extension", b"2;name=value\r\nok\r\n0\r\n\r\n", b"ok", True, False),
    ("trailing spaces after the size", b"2  \r\nok\r\n0\r\n\r\n", b"ok", True, False),
    ("leading zeros", b"0002\r\nok\r\n0\r\n\r\n", b"ok", True, False),
    ("upper-case hex", b"A\r\n0123456789\r\n0\r\n\r\n", b"0123456789", True, False),
    ("trailer lines ignored", b"2\r\nok\r\n0\r\nX-T: 1\r\nnot a header\r\n\r\n", b"ok", True, False),
    ("bytes after the end dropped", b"2\r\nok\r\n0\r\n\r\nGARBAGE", b"ok", True, True),
    ("not finished", b"2\r\nok\r\n", b"ok", False, False),
    ("data split from its size", b"5\r\nab", b"ab", False, False),
]

# (case, body, why Chromium fails it, data given before the refusal)
REFUSED = [
    ("a plus sign", b"+2\r\nok\r\n0\r\n\r\n", "not hex digits", b""),
    ("0x prefix", b"0x2\r\nok\r\n0\r\n\r\n", "not hex digits", b""),
    ("a minus sign", b"-2\r\nok\r\n0\r\n\r\n", "not hex digits", b""),
    ("a leading space", b" 2\r\nok\r\n0\r\n\r\n", "not hex digits", b""),
    ("a tab after the size", b"2\t\r\nok\r\n0\r\n\r\n", "not hex digits", b""),
    ("not hex", b"zz\r\nxx\r\n", "not hex digits", b""),
    ("over int64", b"8000000000000000\r\n", "over 2^63 - 1", b""),
    ("an empty size line", b"\r\nok\r\n", "empty line where a chunk size was due", b""),
    ("data not followed by an empty line", b"2\r\nokX\r\n0\r\n\r\n", "not followed by an empty line", b"ok"),
    ("a second chunk refused after the first", b"2\r\nok\r\nq\r\n", "not hex digits", b"ok"),
    ("a framing line over 16 KiB", b"2;" + b"e" * MAX_LINE, "longer than 16 KiB", b""),
]


def feed_all(body: bytes, piece: int) -> tuple[bytes, ChunkedReader]:
    reader = ChunkedReader()
    out = b"".join(reader.feed(body[i:i + piece]) for i in range(0, len(body), piece))
    return out, reader


def decoded(framed: bytes) -> bytes:
    """What h11 reads from the canonical bytes (they must be valid chunked framing to it)."""
    connection = h11.Connection(h11.CLIENT)
    connection.send(h11.Request(method="GET", target="/", headers=[("Host", "x")]))
    connection.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed)
    data = b""
    while True:
        event = connection.next_event()
        if isinstance(event, h11.Data):
            data += event.data
        elif event is h11.NEED_DATA or isinstance(event, h11.EndOfMessage):
            return data


@pytest.mark.parametrize("piece", [1 << 20, 1, 3])
@pytest.mark.parametrize(("case", "body", "data", "done", "extra"), READ, ids=[row[0] for row in READ])
def test_read_as_chromium(case: str, body: bytes, data: bytes, done: bool, extra: bool, piece: int) -> None:
    out, reader = feed_all(body, piece)
    assert reader.refusal is None
    assert decoded(out) == data
    assert reader.done is done and reader.extra is extra
    if done:
        assert out.endswith(b"0\r\n\r\n")


@pytest.mark.parametrize("piece", [1 << 20, 1, 3])
@pytest.mark.parametrize(("case", "body", "why", "before"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused_as_chromium(case: str, body: bytes, why: str, before: bytes, piece: int) -> None:
    out, reader = feed_all(body, piece)
    assert reader.refusal is not None, case
    assert why in reader.refusal.text and ERROR in reader.refusal.text
    assert decoded(out) == before
    assert reader.feed(b"2\r\nok\r\n") == b""  # nothing more is read after a refusal


def test_a_refusal_quotes_at_most_80_bytes_of_the_line() -> None:
    reader = ChunkedReader()
    reader.feed(b"g" * 5000 + b"\r\n")
    assert reader.refusal is not None
    assert "'" + "g" * 80 + "'" in reader.refusal.text


def test_a_partial_line_is_held_to_16_kib() -> None:
    reader = ChunkedReader()
    assert reader.feed(b"2;" + b"e" * (MAX_LINE - 2)) == b"" and reader.refusal is None
    reader.feed(b"e")
    assert reader.refusal is not None


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.binary(min_size=0, max_size=40), max_size=8), st.integers(min_value=1, max_value=7))
def test_any_chunks_round_trip_however_they_arrive(chunks: list[bytes], piece: int) -> None:
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks if c) + b"0\r\n\r\n"
    out, reader = feed_all(body, piece)
    assert reader.refusal is None and reader.done
    assert decoded(out) == b"".join(chunks)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=1, max_value=9))
def test_any_bytes_give_valid_framing_or_a_refusal_never_an_exception(body: bytes, piece: int) -> None:
    out, reader = feed_all(body, piece)
    whole, once = feed_all(body, 1 << 20)
    assert (reader.refusal is None) == (once.refusal is None)
    assert decoded(out) == decoded(whole)
