"""A response head read the way Chromium's HTTP/1.x parser reads it (net/http: HttpStreamParser,
HttpUtil, HttpResponseHeaders), turned into a strict HTTP/1.1 head that h11 accepts.

``read_head(buffer, closed)`` gets the bytes received so far on a connection, from the first byte
of a response; it answers ``None`` (more bytes needed), a ``Refusal`` (Chromium fails the request
with the named net error) or a ``Head``: Chromium's reading (status, reason, header lines) plus
``wire``, the normalized head h11 is given, and ``size``, how many input bytes the head took.
The rules are written down in docs/wire-head.md. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corsprobe.wire.head_lines import assemble, header_fields, printable, split_values

MAX_HEAD = 256 * 1024  # HttpStreamParser::kMaxHeaderBufSize
INVALID = "net::ERR_INVALID_HTTP_RESPONSE"
TOO_BIG = "net::ERR_RESPONSE_HEADERS_TOO_BIG"
TRUNCATED = "net::ERR_RESPONSE_HEADERS_TRUNCATED"
_MULTIPLE = {"content-length": "net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH",
             "content-disposition": "net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION",
             "location": "net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"}
_FRAMING = frozenset({"content-length", "transfer-encoding"})
# What h11 accepts (h11._abnf): a reason phrase, and a field value (field-vchar runs split by SP/HTAB).
_H11_REASON = re.compile(rb"[^\x00\r\n\x0b\x0c]*")
_H11_VALUE = re.compile(rb"(?:[^\x00\s]+(?:[ \t]+[^\x00\s]+)*)?")
_END = re.compile(rb"\n\r?\n")


@dataclass(frozen=True, slots=True)
class Head:
    """One response head as Chromium reads it, and the strict head h11 is given instead."""

    status: int
    reason: str
    version: str  # Chromium's clamped version: HTTP/0.9, HTTP/1.0, HTTP/1.1 or HTTP/2.0
    headers: tuple[tuple[str, str], ...]
    received: bytes  # the head exactly as received
    wire: bytes
    size: int  # input bytes the head took (an HTTP/0.9 answer has none: it is all body)
    notes: tuple[str, ...] = ()  # each way the head was not strict HTTP/1.1, with Chromium's rule

    @property
    def informational(self) -> bool:
        return self.status // 100 == 1  # HttpStreamParser::DoReadHeadersComplete: 1xx, another head follows

    def raw_lines(self) -> tuple[str, ...]:
        """The received head, one string per line with its line end, as Latin-1."""
        return tuple(line.decode("latin-1") for line in re.findall(rb"[^\n]*\n|[^\n]+$", self.received))


@dataclass(frozen=True, slots=True)
class Refusal:
    """Chromium fails the request: its net error, the offending line and why."""

    error: str
    line: str
    why: str

    @property
    def text(self) -> str:
        where = f" in line {self.line}" if self.line else ""
        return f"{self.why}{where}: Chromium fails the request with {self.error}"


def start_of_status_line(buffer: bytes) -> int | None:
    """HttpUtil::LocateStartOfStatusLine: "http" (any case) within the first 4 + 4 bytes."""
    for i in range(min(len(buffer) - 4, 4) + 1):
        if buffer[i:i + 4].lower() == b"http":
            return i
    return None


def end_of_head(buffer: bytes, start: int = 0) -> int | None:
    """HttpUtil::LocateEndOfHeaders: two LFs in a row, one CR allowed between them (LF CR? LF)."""
    found = _END.search(buffer, start)
    return found.end() if found else None


def read_head(buffer: bytes, closed: bool, *, tls: bool = False, default_port: bool = False,
              seen_status_line: bool = False) -> Head | Refusal | None:
    """HttpStreamParser::FindAndParseResponseHeaders and HandleReadHeaderResult (at ``closed``)."""
    start = start_of_status_line(buffer)
    if start is None:
        if len(buffer) < 8 and not (closed and buffer):  # 8 bytes decide HTTP/0.9 (4 bytes of slop + "http")
            return None
        return _http09(buffer, tls, default_port, seen_status_line)
    end = end_of_head(buffer, start)
    if (end is not None and end > MAX_HEAD) or (end is None and len(buffer) >= MAX_HEAD):
        # HttpStreamParser::HandleReadHeaderResult: no end of headers within kMaxHeaderBufSize.
        return Refusal(TOO_BIG, "", f"the response head does not end within {MAX_HEAD // 1024} KiB")
    if end is None:
        if not closed:
            return None
        if tls:  # HandleReadHeaderResult: truncated headers over https are an error
            return Refusal(TRUNCATED, "", "the connection closed before the end of the response head")
        return parse(buffer, start, len(buffer), ("the connection closed before the blank line that ends the "
                                                  "head; the lines received are the head (HandleReadHeaderResult)",))
    return _parsed(bytes(buffer[:end]), start)


@lru_cache(maxsize=256)
def _parsed(received: bytes, start: int) -> Head | Refusal:
    """``parse`` of a complete head, remembered: a server's answers repeat byte for byte (a Date changes
    once a second), and Head and Refusal are immutable."""
    return parse(received, start, len(received))


def _http09(buffer: bytes, tls: bool, default_port: bool, seen_status_line: bool) -> Head | Refusal:
    """HttpStreamParser::ParseResponseHeaders without a status line: HTTP/0.9, the whole answer is body."""
    first = printable(buffer[:60])
    if seen_status_line:  # a 1xx head came first: the server speaks HTTP/1.x
        return Refusal(INVALID, first, "no status line after an informational response")
    if not default_port and not (not tls and buffer[:3].lower() == b"icy"):  # Shoutcast ("ICY 200 OK") is allowed
        return Refusal(INVALID, first, "no HTTP status line (an HTTP/0.9 answer, accepted on a default port only)")
    return Head(200, "OK", "HTTP/0.9", (), b"", b"HTTP/1.0 200 OK\r\n\r\n", 0,
                ("no status line: read as an HTTP/0.9 body (HttpStreamParser::ParseResponseHeaders)",))


def parse(buffer: bytes, start: int, end: int, notes: tuple[str, ...] = ()) -> Head | Refusal:
    """HttpResponseHeaders::TryToCreate(AssembleRawHeaders(head)), then ParseResponseHeaders' checks."""
    received = buffer[:end]
    if b"\0" in received:  # HttpResponseHeaders::TryToCreate: a NUL anywhere rejects the head
        line = next(x for x in re.split(rb"\r?\n", received) if b"\0" in x)
        return Refusal(INVALID, printable(line), "a NUL byte in the response head")
    found: list[str] = list(notes)
    if start:
        found.append(f"{start} byte(s) before the status line skipped (HttpUtil::LocateStartOfStatusLine)")
    status_line, lines = assemble(received[start:], found)
    version, status, reason = status_line_of(status_line, bool(lines), found)
    headers = header_fields(lines, found)
    chunked = version >= "HTTP/1.1" and "chunked" in [v.lower() for v in split_values(headers, "transfer-encoding")]
    for name, error in _MULTIPLE.items():
        if name == "content-length" and chunked:
            continue  # HttpStreamParser::ParseResponseHeaders: only when not chunk-encoded
        values = split_values(headers, name, coalesce=name != "location")
        if len(set(values)) > 1:  # HttpUtil::HeadersContainMultipleCopiesOfField: differing copies
            shown = " / ".join(printable(n + b": " + v) for n, v in headers if n.lower() == name.encode())
            return Refusal(error, shown, f"{len(values)} differing {name} values")
    wire = _wire(version, status, reason, headers, chunked, found)
    return Head(status, reason, version, tuple((n.decode("latin-1"), v.decode("latin-1")) for n, v in headers),
                received, wire, end, tuple(found))


def status_line_of(line: bytes, has_headers: bool, notes: list[str]) -> tuple[str, int, str]:
    """HttpResponseHeaders::ParseStatusLine (ParseVersion, ParseStatus): version, status and reason."""
    version = _version(line)
    number = version or (0, 0)
    clamped = ("HTTP/0.9" if number == (0, 9) and not has_headers else "HTTP/2.0" if number == (2, 0)
               else "HTTP/1.1" if number >= (1, 1) else "HTTP/1.0")
    if version is None or f"HTTP/{version[0]}.{version[1]}" != clamped or not line.startswith(b"HTTP/"):
        notes.append(f"status line {printable(line)}: read as {clamped} (HttpResponseHeaders::ParseVersion)")
    space = line.find(b" ")
    if space < 0:
        notes.append("no status code: 200 OK assumed (HttpResponseHeaders::ParseStatusLine)")
        return clamped, 200, "OK"
    rest = line[space + 1:].lstrip(b" ")  # ParseStatus skips spaces, never tabs
    digits = re.match(rb"[0-9]*", rest)
    code = digits.group() if digits else b""
    if not code:
        notes.append(f"status {printable(rest)} has no number: 200 assumed (ParseStatus)")
        return clamped, 200, ""
    status = min(int(code), 2**31 - 1)  # overlarge codes are permitted, clamped to INT_MAX
    reason = rest[len(code):].strip(b" ")
    if len(code) != 3:
        notes.append(f"status code {printable(code)} is not 3 digits: read as {status} (ParseStatus)")
    if line[space + 1:] != code + (b" " + reason if reason else b""):
        notes.append(f"status {printable(line[space + 1:])}: read as {status} {printable(reason)} (ParseStatus "
                     f"trims spaces, never tabs)")
    return clamped, status, reason.decode("latin-1")


def _version(line: bytes) -> tuple[int, int] | None:
    """HttpResponseHeaders::ParseVersion: "http" (any case) "/" DIGIT ... "." DIGIT, else none (1.0)."""
    if line[:4].lower() != b"http" or line[4:5] != b"/":
        return None
    dot = line.find(b".", 5)
    if dot < 0 or not line[5:6].isdigit() or not line[dot + 1:dot + 2].isdigit():
        return None
    return line[5] - 0x30, line[dot + 1] - 0x30


def _wire(version: str, status: int, reason: str, headers: list[tuple[bytes, bytes]], chunked: bool,
          notes: list[str]) -> bytes:
    """The strict head for h11: the same fields, with the framing Chromium would use."""
    code = status if 100 <= status <= 999 else 200
    phrase = reason.encode("latin-1")
    phrase = phrase if _H11_REASON.fullmatch(phrase) else b""
    status_line = b"%s %03d" % (b"HTTP/1.0" if version < "HTTP/1.1" else b"HTTP/1.1", code)
    out = [status_line + (b" " + phrase if phrase else b"")]
    for name, value in headers:
        if name.lower().decode("latin-1") in _FRAMING:
            continue
        if _H11_VALUE.fullmatch(value):
            out.append(name + b": " + value)
    if chunked:  # HttpResponseHeaders::IsChunkEncoded: HTTP/1.1 and a "chunked" value
        out.append(b"Transfer-Encoding: chunked")
    else:
        length = content_length(headers)
        if length is not None:
            out.append(b"Content-Length: %d" % length)
        elif any(n.lower() == b"content-length" for n, _ in headers):
            notes.append("an invalid Content-Length is ignored: the body ends when the connection closes "
                         "(HttpResponseHeaders::GetContentLength)")
    return b"\r\n".join(out) + b"\r\n\r\n"


def content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """HttpResponseHeaders::GetInt64HeaderValue: the first Content-Length value, digits only, >= 0."""
    values = split_values(headers, "content-length")
    if not values or not re.fullmatch(r"[0-9]+", values[0]) or int(values[0]) >= 2**63:
        return None  # base::StringToInt64 fails on a sign, a space or an overflow: no length
    return int(values[0])
