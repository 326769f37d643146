"""The value every paste parser produces: one request the browser made (or was about to), as far
as the pasted text tells. Pure data; no I/O.

Fields the text does not name stay ``None`` (origin, credentials) or are marked unknown in
``unknown`` (method, headers), so that explain can say which field it had to guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from corsprobe.browser import origins
from corsprobe.model import Credentials, Headers
from corsprobe.reasons import Reason


class Kind(StrEnum):
    """Where a pasted item came from (the JSON ``parsed[].kind``)."""

    CHROME = "chrome-console"
    FIREFOX = "firefox-console"
    SAFARI = "safari-console"
    CURL = "curl"
    FETCH = "fetch"
    HAR = "har"


class PasteError(ValueError):
    """Text that none of the parsers recognises, or a recognised text that cannot become a probe."""


@dataclass(frozen=True, slots=True)
class Pasted:
    """One request rebuilt from pasted text. Cookie and Authorization values are secrets: the
    command declares them to the Masker before anything is printed."""

    kind: Kind
    url: str
    origin: str | None = None
    method: str = "GET"
    headers: Headers = ()
    credentials: Credentials | None = None
    browser_reason: Reason | None = None
    body: str | None = None
    cookie: str | None = None
    # The browser's own words for the failure (category, hint, status), for the report.
    browser_text: str = ""
    # A request the browser reported as failed (HAR status 0 / _error; every console error).
    failed: bool | None = True
    # Fields the paste did not name, so their value here is corsprobe's default.
    unknown: tuple[str, ...] = ()
    # Rebuilt from a copy of the preflight (OPTIONS with Access-Control-Request-*).
    from_preflight: bool = False
    notes: tuple[str, ...] = field(default=())

    def with_notes(self, *notes: str) -> Pasted:
        return replace(self, notes=self.notes + notes)


@dataclass(frozen=True, slots=True)
class Found:
    """A parser's hit: the item and the line it starts on (for grouping with nearby lines)."""

    line: int
    item: Pasted


def origin_of(url: str | None) -> str | None:
    """The serialized origin of a page URL (a Referer, a HAR page title), or None."""
    if not url:
        return None
    return origins.serialize_origin(url)


def decode_hint(text: str) -> str:
    r"""Chromium's EncodeHint writes non-printable and non-ASCII characters as \uXXXX."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("\\u", i) and len(text) >= i + 6:
            try:
                out.append(chr(int(text[i + 2:i + 6], 16)))
                i += 6
                continue
            except ValueError:
                pass
        out.append(text[i])
        i += 1
    return "".join(out)


# Placeholder values for a header known only by name (a preflight's Access-Control-Request-
# Headers, a console hint): a value that keeps the header non-safelisted, as it was.
def placeholder(name: str) -> str:
    return "application/json" if name.lower() == "content-type" else "1"


def lines(text: str) -> list[str]:
    """``text``'s lines, split at LF only (CRLF as LF): a bare CR, VT, FF or U+2028 inside a message that
    quotes a server's value stays in its line (``str.splitlines`` would break there). Every parser counts
    lines this way, so their line numbers agree."""
    return text.replace("\r\n", "\n").split("\n")
