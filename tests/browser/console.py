"""Chromium's CORS console messages (from ``--enable-logging=stderr``), keyed by case id and
classified into corsprobe reason codes.

The patterns follow Chromium's cors_error_string.cc wording. Pure string handling; no I/O.
"""

from __future__ import annotations

import re

from corsprobe.reasons import Reason
from tests.browser.grammar import parse_path

# Failures Chromium reports without a CORS console message (network errors).
NOT_CORS = frozenset({
    Reason.NETWORK_ERROR, Reason.INVALID_RESPONSE, Reason.TIMEOUT, Reason.TOO_MANY_REDIRECTS,
    Reason.INVALID_REDIRECT,
})
_MESSAGE = re.compile(
    r"(?P<message>Access to fetch at '(?P<url>[^']*)'(?: \(redirected from '(?P<first>[^']*)'\))? from origin "
    r"'[^']*' has been blocked by CORS policy: (?P<text>.*?))\", source:"
)
_FRAME_END = "has been blocked by CORS policy: "
_PREFLIGHT = "Response to preflight request doesn't pass access control check: "

# (pattern in the message text, reason for the actual response, preflight twin applies)
_PATTERNS: tuple[tuple[str, Reason], ...] = (
    (r"Redirect is not allowed for a preflight request", Reason.PREFLIGHT_DISALLOWED_REDIRECT),
    (r"It does not have HTTP ok status", Reason.PREFLIGHT_INVALID_STATUS),
    (r"Cannot parse Access-Control-Allow-Methods", Reason.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    (r"Cannot parse Access-Control-Allow-Headers", Reason.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE),
    (r"Method .* is not allowed by Access-Control-Allow-Methods",
     Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    (r"Request header field .* is not allowed by Access-Control-Allow-Headers",
     Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    (r"No 'Access-Control-Allow-Origin' header is present", Reason.MISSING_ALLOW_ORIGIN_HEADER),
    (r"'Access-Control-Allow-Origin' header contains multiple values",
     Reason.MULTIPLE_ALLOW_ORIGIN_VALUES),
    (r"'Access-Control-Allow-Origin' header contains the invalid value",
     Reason.INVALID_ALLOW_ORIGIN_VALUE),
    (r"'Access-Control-Allow-Origin' header has a value .* that is not equal to the supplied origin",
     Reason.ALLOW_ORIGIN_MISMATCH),
    (r"'Access-Control-Allow-Origin' header in the response must not be the wildcard",
     Reason.WILDCARD_ORIGIN_NOT_ALLOWED),
    (r"'Access-Control-Allow-Credentials' header in the response is",
     Reason.INVALID_ALLOW_CREDENTIALS),
    (r"contains a username and password", Reason.REDIRECT_CONTAINS_CREDENTIALS),
    (r"Cross origin requests are only supported for", Reason.CORS_DISABLED_SCHEME),
)


def cors_messages(log: str) -> dict[str, str]:
    """Case id -> the whole CORS message Chromium logged for its browser-pass request (as a user
    would copy it from the console; tests/browser/test_paste_console.py feeds it to explain's parser)."""
    found: dict[str, str] = {}
    for match in _MESSAGE.finditer(log):
        url = match.group("first") or match.group("url")
        target = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else ""
        parsed = parse_path(target)
        if parsed is not None:
            found.setdefault(parsed[0], match.group("message"))
    return found


def classify(text: str) -> str:
    """The corsprobe reason code for a Chromium CORS message (whole, or the text after its frame);
    'unknown: …' if none fits."""
    text = text.split(_FRAME_END, 1)[-1]
    preflight = text.startswith(_PREFLIGHT)
    for pattern, reason in _PATTERNS:
        if re.search(pattern, text):
            return (reason.preflight_variant if preflight else reason).value
    return f"unknown: {text}"
