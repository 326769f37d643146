"""A response's Content-Encoding as Chromium's network stack reads it. Pure; no I/O.

- ``refusal``: ``HttpNetworkTransaction::ContentEncodingsValid`` fails a response (preflights too:
  ``net::ERR_CONTENT_DECODING_FAILED``, before any CORS check) whose Content-Encoding is not a list of
  tokens (``HttpUtil::ParseContentEncoding``: ``g zip``, ``gzip;q=1``), except a redirect (its
  "temporary workaround for crbug.com/714514"). Every coding Chromium knows (gzip, x-gzip, deflate, br,
  zstd) is in the Accept-Encoding Chromium sends, so that check fails on no known coding.
- ``layers``: ``FilterSourceStream::GetContentEncodingTypes``: the codings to undo, last listed first;
  an unknown coding or ``identity`` anywhere means the raw body (no layer at all). br and zstd, which
  Chromium decodes, cannot be decoded here (no decoder in the standard library): such a body passes
  raw. Only a body that is zstd alone is looked at (``not_zstd``): one that does not start with a zstd
  frame's magic number fails Chromium's ZstdSourceStream; a corrupt br body is not found.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.browser.spec import is_token

_REDIRECTS = frozenset({301, 302, 303, 307, 308})  # HttpResponseHeaders::IsRedirectResponseCode
DECODED = frozenset({"gzip", "x-gzip", "deflate"})  # the codings undone here


def _codings(values: Sequence[str]) -> list[str]:
    """Every coding of every Content-Encoding line, LWS trimmed, empty elements skipped
    (``HttpUtil::ValuesIterator``)."""
    return [part.strip(" \t") for value in values for part in value.split(",") if part.strip(" \t")]


def refusal(values: Sequence[str], status: int, has_location: bool) -> str | None:
    """Why Chromium fails this response for its Content-Encoding (one line), or None."""
    if not values or (status in _REDIRECTS and has_location):
        return None
    bad = next((c for c in _codings(values) if not is_token(c)), None)
    if bad is None:
        return None
    return (f"Content-Encoding {bad!r} is not a coding name (net::ERR_CONTENT_DECODING_FAILED: Chromium "
            "fails the response before any CORS check)")


def layers(values: Sequence[str]) -> list[str]:
    """The codings to undo here, in order (the last listed first); [] for the raw body."""
    codings = [c.lower() for c in _codings(values)]
    # Unknown or identity: the raw body, as Chromium gives it; br or zstd: not decodable here, raw too.
    if any(c not in DECODED for c in codings):
        return []
    return list(reversed(codings))


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # RFC 8878 3.1.1, little-endian 0xFD2FB528


def zstd_alone(values: Sequence[str]) -> bool:
    """The body is zstd and nothing else (the one br/zstd case looked at)."""
    return [c.lower() for c in _codings(values)] == ["zstd"]


def not_zstd(first: bytes) -> bool:
    """These first bytes (4, or fewer at the body's end) cannot begin a zstd stream: neither a frame's
    magic number nor a skippable frame's (0x184D2A50-5F, RFC 8878 3.1.2)."""
    if first[:4] == _ZSTD_MAGIC:
        return False
    return not (len(first) >= 4 and first[1:4] == b"\x2a\x4d\x18" and 0x50 <= first[0] <= 0x5F)
