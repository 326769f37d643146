"""Chromium's HTTP/2 header-block rules (net/spdy/header_coalescer.cc, spdy_http_utils.cc), one row each."""

from __future__ import annotations

import pytest

from corsprobe.wire.h2_fields import MAX_HEADER_LIST_SIZE, problem

OK = (b"access-control-allow-origin", b"https://app.example.com")


@pytest.mark.parametrize(("fields", "expected"), [
    ([OK], None),
    ([OK, (b"x-dup", b"1"), (b"x-dup", b"2")], None),  # duplicates are fine (Chromium splits them back)
    ([OK, (b"x-tab", b"a\tb")], None),  # HTAB is allowed in values
    ([OK, (b"x-high", b"caf\xe9")], None),  # obs-text (0x80-0xFF) is allowed
    # Chromium checks no connection-specific field but transfer-encoding (SpdyStream::SaveResponseHeaders).
    ([OK, (b"connection", b"keep-alive"), (b"keep-alive", b"timeout=5"), (b"upgrade", b"h2c"), (b"te", b"x")], None),
    ([OK, (b"transfer-encoding", b"chunked")], "a 'transfer-encoding' field"),
    ([OK, (b"location", b"/a"), (b"location", b" /a\t")], None),  # the same Location after TrimLWS
    ([(b"", b"x")], "empty name"),
    ([(b"Access-Control-Allow-Origin", b"*")], "upper-case characters in header name 'Access-Control-Allow-Origin'"),
    ([OK, (b"x(y", b"1")], "invalid character in header name 'x(y'"),
    ([OK, (b"x:y", b"1")], "invalid character in header name 'x:y'"),
    ([OK, (b"x-a", b"a\x00b")], "invalid character 0x00 in the value of header 'x-a'"),
    ([OK, (b"x-a", b"a\rb")], "invalid character 0x0D"),
    ([OK, (b"x-a", b"a\nb")], "invalid character 0x0A"),
    ([OK, (b"x-a", b"a\x7fb")], "invalid character 0x7F"),
    ([OK, (b"location", b"/a"), (b"location", b"/b")], "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"),
    ([(b"x-big", b"a" * (MAX_HEADER_LIST_SIZE - 32 - 5))], None),
    ([(b"x-big", b"a" * (MAX_HEADER_LIST_SIZE - 32 - 4))], "larger than 256 KiB"),
])
def test_header_block(fields: list[tuple[bytes, bytes]], expected: str | None) -> None:
    found = problem(fields)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_the_first_bad_field_is_named() -> None:
    found = problem([(b"X-One", b"1"), (b"x-two", b"\x00")])
    assert found is not None and "'X-One'" in found and "ERR_HTTP2_PROTOCOL_ERROR" in found


STATUS = (b":status", b"200")


@pytest.mark.parametrize(("fields", "expected"), [
    ([STATUS, OK], None),
    ([STATUS, (b":x-unknown", b"1"), OK], None),  # AddHeader checks only the name after ':'
    ([OK], "no ':status' pseudo-header"),  # SpdyStream::OnHeadersReceived
    ([OK, STATUS], "the pseudo-header ':status' follows a regular header field"),  # AddHeader
    ([STATUS, OK, (b":x", b"1")], "the pseudo-header ':x' follows"),
    ([(b":status", b"abc"), OK], "is not a number"),  # "Cannot parse :status." (base::StringToInt)
    ([(b":status", b" 200"), OK], "is not a number"),
    ([(b":status", b"200 "), OK], "is not a number"),
    ([(b":status", b"99999999999"), OK], "is not a number"),
    ([(b":status", b""), OK], "is not a number"),
    ([(b":", b"x"), STATUS], "invalid character in header name ':'"),
    ([(b":Status", b"200")], "upper-case characters"),
    ([STATUS, (b"x-big", b"a" * (MAX_HEADER_LIST_SIZE - 64 - 5 - 7 - 3))], None),  # pseudo-headers count too
    ([STATUS, (b"x-big", b"a" * (MAX_HEADER_LIST_SIZE - 64 - 5 - 7 - 2))], "larger than 256 KiB"),
])
def test_header_block_with_its_pseudo_headers(fields: list[tuple[bytes, bytes]], expected: str | None) -> None:
    found = problem(fields, pseudo=True)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found and "ERR_HTTP2_PROTOCOL_ERROR" in found


def test_without_pseudo_headers_a_colon_name_is_just_invalid() -> None:
    found = problem([(b":status", b"200")])
    assert found is not None and "invalid character in header name ':status'" in found
