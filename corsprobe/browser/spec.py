"""Fetch Standard facts and parsers, as Chromium applies them by default.

Method and header classes, token lists. Pure functions; no I/O (URLs and origins: origins.py).
Where Chromium departs from the Fetch Standard, the Chromium behaviour is coded and
``docs/browser-notes.md`` records the case; a BrowserProfile selects another engine's rules.
"""

from __future__ import annotations

import re

from corsprobe.browser.profiles import BrowserProfile, ContentTypeSyntax
from corsprobe.model import Headers

FORBIDDEN_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})
NORMALIZED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
SAFELISTED_METHODS = frozenset({"GET", "HEAD", "POST"})
# Methods whose actual request corsprobe sends without --send-unsafe.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

FORBIDDEN_REQUEST_HEADERS = frozenset({
    "accept-charset", "accept-encoding", "access-control-request-headers",
    "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
    "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
    "trailer", "transfer-encoding", "upgrade", "via",
})
METHOD_OVERRIDE_HEADERS = frozenset({"x-http-method", "x-http-method-override", "x-method-override"})


def state_changing_override(headers: Headers) -> str | None:
    """The first method-override header line that names a state-changing method, as 'Name: value'.

    corsprobe's own safety policy, not a browser rule: a browser sends a GET or POST carrying
    X-HTTP-Method-Override: DELETE like any other request, but many frameworks then run DELETE,
    so corsprobe treats the actual request as state-changing (it needs --send-unsafe).
    """
    for name, value in headers:
        if name.lower() not in METHOD_OVERRIDE_HEADERS:
            continue
        # The value is a method token; a comma-separated list is treated as naming each method.
        methods = [part.strip(" \t").upper() for part in value.split(",")]
        if any(method and method not in READ_ONLY_METHODS for method in methods):
            return f"{name}: {normalize_header_value(value)}"
    return None

SAFELISTED_CONTENT_TYPES = frozenset({
    "application/x-www-form-urlencoded", "multipart/form-data", "text/plain",
})
# Chromium (services/network/public/cpp/cors/cors.cc IsCorsSafelistedHeader) safelists
# these beyond the standard's accept/accept-language/content-language/content-type/range.
CHROMIUM_EXTRA_SAFELISTED = frozenset({
    "intervention", "save-data", "device-memory", "dpr", "width", "viewport-width",
    "rtt", "downlink", "ect",
})
SAFELISTED_VALUE_LIMIT = 128
SAFELISTED_TOTAL_LIMIT = 1024

SAFELISTED_RESPONSE_HEADERS = frozenset({
    "cache-control", "content-language", "content-length", "content-type", "expires",
    "last-modified", "pragma",
})
NEVER_EXPOSED_RESPONSE_HEADERS = frozenset({"set-cookie", "set-cookie2"})

# Redirect targets Chromium's network stack refuses outright (net::ERR_UNSAFE_REDIRECT).
UNSAFE_REDIRECT_SCHEMES = frozenset({"data", "file", "about", "blob", "filesystem"})

# Request-body headers removed when a redirect rewrites the method to GET.
BODY_HEADERS = frozenset({"content-type", "content-encoding", "content-language", "content-location"})

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_UNSAFE_BYTES = frozenset('"():<>?@[\\]{}\x7f')
_LANGUAGE_BYTES = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz *,-.;=")
_RANGE = re.compile(r"^bytes=([0-9]+)-([0-9]*)$")
_LENIENT_RANGE = re.compile(r"^[ \t]*bytes[ \t]*=[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*$", re.IGNORECASE)
_HTTP_WHITESPACE = " \t"
# WHATWG URL "forbidden domain code point" (C0 controls are checked separately).
# Chromium's effective connection types (network::kWebEffectiveConnectionTypeMapping).
_ECT_VALUES = frozenset({"slow-2g", "2g", "3g", "4g"})
_INT = re.compile(r"^[0-9]+$")
_DOUBLE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def is_token(text: str) -> bool:
    return bool(_TOKEN.match(text))


def method_problem(method: str) -> str | None:
    """Why ``method`` cannot be written at all (not an HTTP token); None otherwise. A forbidden
    method (CONNECT, TRACE, TRACK) is a token: the engine refuses it as fetch() does."""
    if is_token(method):
        return None
    return f"method {method!r} is not an HTTP method name (a token: letters, digits, !#$%&'*+-.^_`|~)"


def cookie_problem(cookie: str) -> str | None:
    """Why a Cookie value cannot go on the wire (CR, LF, NUL or beyond Latin-1); None otherwise."""
    if is_valid_header_value(cookie):
        return None
    return "the cookie is not a valid header value (no CR, LF or NUL; Latin-1 characters only)"


def normalize_method(method: str) -> str:
    """Fetch 'normalize a method': upper-case only the six standard methods."""
    upper = method.upper()
    return upper if upper in NORMALIZED_METHODS else method


def is_forbidden_method(method: str) -> bool:
    return method.upper() in FORBIDDEN_METHODS


def is_forbidden_request_header(name: str, value: str) -> bool:
    """Fetch 'forbidden request-header': a page's attempt to set it is silently ignored."""
    lower = name.lower()
    if lower in FORBIDDEN_REQUEST_HEADERS or lower.startswith(("proxy-", "sec-")):
        return True
    if lower in METHOD_OVERRIDE_HEADERS:
        return any(is_forbidden_method(part.strip(" \t")) for part in value.split(","))
    return False


def is_valid_header_value(value: str) -> bool:
    """Headers 'validate': no NUL, CR or LF, Latin-1 only."""
    return not any(c in "\x00\r\n" or ord(c) > 0xFF for c in value)


def normalize_header_value(value: str) -> str:
    """Headers 'normalize': strip leading and trailing HTTP whitespace."""
    return value.strip(" \t\r\n")


def has_unsafe_byte(value: str, high_bytes: bool = False) -> bool:
    """Fetch 'CORS-unsafe request-header byte' (with ``high_bytes``, also any byte >= 0x80)."""
    return any((ord(c) < 0x20 and c != "\t") or c in _UNSAFE_BYTES or (high_bytes and ord(c) >= 0x80)
               for c in value)


def is_safelisted_content_type(value: str) -> bool:
    """Chromium IsCorsSafelistedLowerCaseContentType: no unsafe byte, essence in the safelist.

    The essence is what precedes the first ';', split at '/': the type may have leading and the
    subtype trailing whitespace (``text/plain ;x`` is safe, ``text /plain`` is not), as in
    the WHATWG MIME type parser.
    """
    lower = value.lower()
    if has_unsafe_byte(lower):
        return False
    parts = lower.split(";", 1)[0].split("/")
    if len(parts) != 2:
        return False
    top, sub = parts[0].lstrip(_HTTP_WHITESPACE), parts[1].rstrip(_HTTP_WHITESPACE)
    return is_token(top) and is_token(sub) and f"{top}/{sub}" in SAFELISTED_CONTENT_TYPES


def is_gecko_safelisted_content_type(value: str) -> bool:
    """Firefox IsAllowedNonCorsContentType: net_ParseRequestContentType in strict mode.

    No unsafe byte (counting every byte >= 0x80); no ',' anywhere; the type runs to the first space,
    tab or ';' and must be one of the three; after it only ';'-separated parameters may
    follow, and the value may not end in a ';' that follows a parameter (``text/plain;`` is
    safe, ``text/plain;;`` and ``text/plain;a=b;`` are not).
    """
    if has_unsafe_byte(value, high_bytes=True) or "," in value:
        return False
    start = len(value) - len(value.lstrip(_HTTP_WHITESPACE))
    end = start
    while end < len(value) and value[end] not in " \t;":
        end += 1
    consumed = end
    first = value.find(";", end)
    if first >= 0:
        cursor = first + 1
        while True:
            semicolon = value.find(";", cursor)
            consumed = len(value) if semicolon < 0 else semicolon
            cursor = consumed + 1
            if cursor >= len(value):
                break
    essence = value[start:end].lower()
    return not value[consumed:].strip(_HTTP_WHITESPACE) and essence in SAFELISTED_CONTENT_TYPES


def is_safelisted_range(value: str, position_max: int | None,
                        any_case: bool = False) -> bool:
    """Fetch 'CORS-safelisted request-header' Range: one 'bytes=N-' or 'bytes=N-M' range.

    Browsers parse the positions as fixed-width integers (Chromium int64, Firefox and WebKit
    uint64): a position above ``position_max`` makes the value unsafe. WebKit's
    isSimpleRangeHeaderValue matches the unit ignoring ASCII case (``any_case``).
    """
    if any_case and value[:6].lower() == "bytes=":
        value = "bytes=" + value[6:]
    match = _RANGE.match(value)
    if not match:
        return False
    positions = [int(n) for n in match.groups() if n]
    if position_max is not None and any(n > position_max for n in positions):
        return False
    return len(positions) == 1 or positions[0] <= positions[1]


# net::HttpUtil::ParseRangeHeader reads int64 positions (as CHROMIUM.range_position_max).
_CHROMIUM_RANGE_MAX = 2**63 - 2


def chromium_wire_range(value: str) -> str:
    """The Range value Chromium's HTTP cache puts on the wire for a single valid byte range.

    net::HttpUtil::ParseRangeHeader accepts 'BYTES = 0-' or 'bytes=00-'; the cache then
    re-serializes the range ('bytes=0-'). Anything else is sent as written.
    """
    match = _LENIENT_RANGE.match(value)
    if not match:
        return value
    first, last = match.group(1), match.group(2)
    if not first and not last:
        return value
    numbers = [int(n) for n in (first, last) if n]
    if any(n > _CHROMIUM_RANGE_MAX for n in numbers) or (first and last and int(first) > int(last)):
        return value
    if not first:
        return f"bytes=-{int(last)}"
    return f"bytes={int(first)}-{int(last)}" if last else f"bytes={int(first)}-"


def is_safelisted_request_header(name: str, value: str, profile: BrowserProfile) -> bool:
    """Fetch 'CORS-safelisted request-header', with Chromium's extra client-hint names when
    the profile has them (Firefox and WebKit use the standard's list)."""
    lower = name.lower()
    if len(value.encode("latin-1", "replace")) > SAFELISTED_VALUE_LIMIT:
        return False
    if lower == "accept":
        return not has_unsafe_byte(value, profile.high_bytes_unsafe)
    if lower in ("accept-language", "content-language"):
        return all(c in _LANGUAGE_BYTES for c in value)
    if lower == "content-type":
        if profile.content_type_syntax is ContentTypeSyntax.GECKO:
            return is_gecko_safelisted_content_type(value)
        return is_safelisted_content_type(value)
    if lower == "range":
        return is_safelisted_range(value, profile.range_position_max, profile.range_unit_any_case)
    if not profile.client_hints_safelisted:
        return False
    # Chromium's client hints: numbers, an effective connection type, "on"; "Lang" was
    # removed in M96; "Intervention" takes any value.
    if lower in ("device-memory", "dpr", "downlink"):
        return bool(_DOUBLE.match(value))
    if lower in ("width", "viewport-width", "rtt"):
        return bool(_INT.match(value))
    if lower == "ect":
        return value in _ECT_VALUES
    if lower == "save-data":
        return value.lower() == "on"
    return lower in CHROMIUM_EXTRA_SAFELISTED


def cors_unsafe_header_names(headers: Headers, profile: BrowserProfile) -> tuple[str, ...]:
    """Fetch 'CORS-unsafe request-header names': sorted, lower-cased, de-duplicated."""
    unsafe: set[str] = set()
    safelisted: set[str] = set()
    safelisted_size = 0
    for name, value in headers:
        if is_safelisted_request_header(name, value, profile):
            safelisted.add(name.lower())
            safelisted_size += len(value.encode("latin-1", "replace"))
        else:
            unsafe.add(name.lower())
    # 1024-byte rule: too much safelisted data makes all of it unsafe.
    if safelisted_size > SAFELISTED_TOTAL_LIMIT:
        unsafe |= safelisted
    return tuple(sorted(unsafe))


def parse_token_list(value: str | None) -> tuple[str, ...] | None:
    """Access-Control-Allow-Methods/-Headers: comma list of tokens; None when malformed."""
    if value is None:
        return ()
    items = [item.strip(" \t") for item in value.split(",")]
    tokens = tuple(item for item in items if item)
    return tokens if all(is_token(t) for t in tokens) else None
