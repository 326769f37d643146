"""The header lines of a response head as Chromium splits, joins and skips them
(HttpUtil::AssembleRawHeaders, HttpUtil::HeadersIterator, HttpUtil::ValuesIterator).

Pure: bytes in, bytes out; each rule that changes the reading adds a note naming it.
"""

from __future__ import annotations

import re

_LWS = b" \t"  # HttpUtil::IsLWS
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # HttpUtil::IsToken
# HttpUtil::IsNonCoalescingHeader: values never split on commas.
_NON_COALESCING = frozenset({"date", "expires", "last-modified", "location", "retry-after", "set-cookie",
                             "www-authenticate", "proxy-authenticate", "strict-transport-security"})


def printable(line: bytes) -> str:
    """A line as a quoted Python literal: control bytes, CR and LF visible."""
    return repr(line.decode("latin-1"))


def assemble(head: bytes, notes: list[str]) -> tuple[bytes, list[bytes]]:
    """HttpUtil::AssembleRawHeaders: the status line ends at the first CR or LF; the rest splits on
    every run of CR/LF (so a bare CR ends a line, blank lines vanish); a line starting with SP/HTAB
    continues the previous line when that one can be continued (obs-fold, joined with one SP)."""
    end = len(head)
    for i, c in enumerate(head):
        if c in (0x0D, 0x0A):
            end = i
            break
    status_line, rest = head[:end], head[end:]
    if re.search(rb"(?<!\r)\n", head):
        notes.append("LF-only line ends read as CRLF (HttpUtil::LocateEndOfHeaders, AssembleRawHeaders)")
    body = rest.rstrip(b"\r\n")
    if re.search(rb"\r(?!\n)", body):
        notes.append("a bare CR ends a header line (HttpUtil::AssembleRawHeaders splits on CR and on LF)")
    lines: list[bytes] = []
    continuable = False
    for token in re.split(rb"[\r\n]+", rest):
        if not token:
            continue
        if continuable and token[:1] in (b" ", b"\t"):
            notes.append(f"{printable(token)} continues the line before it (obs-fold joined with one space; "
                         f"HttpUtil::AssembleRawHeaders)")
            lines[-1] += b" " + token.lstrip(_LWS)
            continue
        lines.append(token)
        colon = token.find(b":")
        continuable = colon > 0 and token[:1] not in (b" ", b"\t")  # IsLineSegmentContinuable
    return status_line, lines


def header_fields(lines: list[bytes], notes: list[str]) -> list[tuple[bytes, bytes]]:
    """HttpUtil::HeadersIterator::GetNext: name before the first colon (LWS trimmed, a token),
    value after it (LWS trimmed); a line that does not fit is skipped."""
    fields: list[tuple[bytes, bytes]] = []
    for line in lines:
        colon = line.find(b":")
        if colon < 0:
            notes.append(f"header line {printable(line)} has no colon: skipped (HttpUtil::HeadersIterator)")
            continue
        raw_name = line[:colon]
        if not raw_name or raw_name[:1] in (b" ", b"\t"):
            notes.append(f"header line {printable(line)} has no name: skipped (HttpUtil::HeadersIterator)")
            continue
        name = raw_name.strip(_LWS)
        if not _TOKEN.fullmatch(name):
            notes.append(f"header line {printable(line)}: the name is not a token: skipped "
                         f"(HttpUtil::HeadersIterator)")
            continue
        if name != raw_name:
            notes.append(f"header line {printable(line)}: whitespace before the colon trimmed "
                         f"(HttpUtil::HeadersIterator)")
        fields.append((name, line[colon + 1:].strip(_LWS)))
    return fields


def split_values(fields: list[tuple[bytes, bytes]], name: str, coalesce: bool = True) -> list[str]:
    """Every value of header ``name`` as HttpResponseHeaders::AddHeader stores them: split on commas
    outside double quotes (HttpUtil::ValuesIterator, empty values kept), unless the header is
    non-coalescing; each trimmed of SP/HTAB."""
    lower = name.lower()
    split = coalesce and lower not in _NON_COALESCING
    values: list[str] = []
    for key, value in fields:
        if key.decode("latin-1").lower() != lower:
            continue
        text = value.decode("latin-1")
        if not split or not text:
            values.append(text)
            continue
        values.extend(part.strip(" \t") for part in _comma_split(text))
    return values


def _comma_split(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for c in text:
        if c == '"':
            quoted = not quoted
        if c == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return parts
