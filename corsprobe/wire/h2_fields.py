"""An HTTP/2 response's header block as Chromium judges it before any CORS check. Pure; no I/O.

httpcore reads HTTP/2 with h2's inbound validation off, so it accepts header blocks that
Chromium resets with ``net::ERR_HTTP2_PROTOCOL_ERROR`` (fetch() then fails with a network
error; no CORS check runs). ``problem`` applies Chromium's rules to the fields as received
(pseudo-headers already removed by httpcore):

- ``HeaderCoalescer::AddHeader`` (net/spdy/header_coalescer.cc), per field in order: an empty
  name, a name that is not an HTTP token (``HttpUtil::IsValidHeaderName``), a name with
  upper-case letters ("Upper case characters in header name."), a header list over
  ``kSpdyMaxHeaderListSize`` (256 KiB, 32 bytes' overhead per field), a value with a control
  character other than HTAB (NUL, CR, LF, DEL, ...). The stream error is
  ``BufferedSpdyFramer::OnHeaderFrameEnd`` → ``SpdySession::OnStreamError``.
- ``SpdyStream::SaveResponseHeaders`` (net/spdy/spdy_stream.cc): a ``transfer-encoding`` field
  ("Received transfer-encoding header"). Chromium checks no other connection-specific field:
  ``connection``, ``keep-alive``, ``proxy-connection``, ``upgrade`` and ``te`` are read (the
  browser suite's tests/browser/test_http2_chromium.py shows both).
- ``SpdyHeadersToHttpResponseHeadersUsingBuilder`` (net/spdy/spdy_http_utils.cc): Location
  fields with different values → ``net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION``.

With ``pseudo=True`` the block is given whole, pseudo-headers in place (``wire.h2_connection``, on the
run's own connections): ``HeaderCoalescer::AddHeader`` also refuses a pseudo-header after a regular
field ("Pseudo header must not follow regular headers."), and ``SpdyStream::OnHeadersReceived`` a block
without ``:status`` ("Response headers do not include :status.") or one that is not a number ("Cannot
parse :status.", ``base::StringToInt``). Without it (a caller's client: httpcore dropped the
pseudo-headers and read a missing ``:status`` as 200) those cannot be seen; a non-numeric ``:status``
makes httpcore raise ValueError, which the runner reports with ``STATUS_PROBLEM``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_HEADER_LIST_SIZE = 256 * 1024  # kSpdyMaxHeaderListSize (net/http/http_network_session.h)
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
STATUS_PROBLEM = "HTTP/2 protocol error (net::ERR_HTTP2_PROTOCOL_ERROR): the ':status' pseudo-header is not a number"
NO_STATUS = "HTTP/2 protocol error (net::ERR_HTTP2_PROTOCOL_ERROR): the response has no ':status' pseudo-header"
_NUMBER = re.compile(rb"[+-]?[0-9]+")  # base::StringToInt: an optional sign, then digits only


def problem(fields: Sequence[tuple[bytes, bytes]], pseudo: bool = False) -> str | None:
    """Why Chromium refuses this header block (one line naming the field), or None; ``pseudo``: the
    block is whole, its pseudo-headers in place."""
    size = 0
    regular = False  # HeaderCoalescer::regular_header_seen_
    for name, value in fields:
        shown = name.decode("latin-1")
        if not name:
            return _protocol_error("a header field has an empty name")
        key = name
        if pseudo and name.startswith(b":"):
            if regular:
                return _protocol_error(f"the pseudo-header {shown!r} follows a regular header field")
            key = name[1:]
        else:
            regular = True
        if not key or not all(c in _TOKEN for c in key):
            return _protocol_error(f"invalid character in header name {shown!r}")
        if any(0x41 <= c <= 0x5A for c in name):
            return _protocol_error(f"upper-case characters in header name {shown!r} (HTTP/2 field names are "
                                   "lower-case; Chromium refuses the response)")
        size += len(name) + len(value) + 32
        if size > MAX_HEADER_LIST_SIZE:
            return _protocol_error(f"the header list is larger than {MAX_HEADER_LIST_SIZE // 1024} KiB")
        bad = next((c for c in value if c < 0x09 or 0x09 < c < 0x20 or c == 0x7F), None)
        if bad is not None:
            return _protocol_error(f"invalid character 0x{bad:02X} in the value of header {shown!r}")
    if pseudo:
        status = next((value for name, value in fields if name == b":status"), None)
        if status is None:
            return NO_STATUS
        if not _NUMBER.fullmatch(status) or not -2**31 <= int(status) < 2**31:
            return STATUS_PROBLEM
    if any(name == b"transfer-encoding" for name, _ in fields):
        return _protocol_error("a 'transfer-encoding' field (connection-specific: HTTP/2 frames the body itself)")
    locations = {value.strip(b" \t") for name, value in fields if name == b"location"}
    if len(locations) > 1:
        return ("Location header fields with different values (net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION: "
                "Chromium refuses a possible response-splitting attack)")
    return None


def _protocol_error(what: str) -> str:
    return f"HTTP/2 protocol error (net::ERR_HTTP2_PROTOCOL_ERROR): {what}"
