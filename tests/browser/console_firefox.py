"""Firefox's CORS console messages (security.properties categories), keyed by case id, and
which corsprobe reason codes each category stands for.

Firefox names fewer failures than Chromium (one category covers a mismatching, an invalid and
a comma-listed Access-Control-Allow-Origin), so reasons are compared at Firefox's granularity.
Pure string handling; no I/O.
"""

from __future__ import annotations

import re

from corsprobe.reasons import Reason
from tests.browser.grammar import parse_path

# The actual request failing after its preflight did, or a network error: not a CORS verdict.
NOT_CORS_CATEGORY = "CORSDidNotSucceed2"
# corsprobe reasons for failures Firefox reports only as that network error: userinfo in a
# redirect's Location, a redirect to a non-HTTP scheme.
SILENT = frozenset({Reason.REDIRECT_CONTAINS_CREDENTIALS, Reason.CORS_DISABLED_SCHEME})
WARNINGS = frozenset({"CORSAllowHeaderFromPreflightDeprecation"})
_URL = re.compile(r"remote resource at [\u2018']?(?P<url>[^\s\u2019']+?)[\u2019']?\. \(Reason:")

_R = Reason
CATEGORIES: dict[str, frozenset[Reason]] = {
    "CORSMissingAllowOrigin2": frozenset({_R.MISSING_ALLOW_ORIGIN_HEADER}),
    "CORSAllowOriginNotMatchingOrigin": frozenset({
        _R.ALLOW_ORIGIN_MISMATCH, _R.INVALID_ALLOW_ORIGIN_VALUE, _R.MULTIPLE_ALLOW_ORIGIN_VALUES}),
    "CORSMultipleAllowOriginNotAllowed": frozenset({_R.MULTIPLE_ALLOW_ORIGIN_VALUES}),
    "CORSNotSupportingCredentials": frozenset({_R.WILDCARD_ORIGIN_NOT_ALLOWED}),
    "CORSMissingAllowCredentials": frozenset({_R.INVALID_ALLOW_CREDENTIALS}),
    "CORSPreflightDidNotSucceed3": frozenset({_R.PREFLIGHT_INVALID_STATUS}),
    "CORSExternalRedirectNotAllowed": frozenset({_R.PREFLIGHT_DISALLOWED_REDIRECT}),
    "CORSInvalidAllowMethod": frozenset({_R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE}),
    "CORSInvalidAllowHeader": frozenset({_R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE}),
    "CORSMethodNotFound": frozenset({_R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE}),
    "CORSMissingAllowHeaderFromPreflight2": frozenset({_R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE}),
    "CORSRequestNotHttp": frozenset({_R.CORS_DISABLED_SCHEME}),
}


def messages_by_case(messages: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Case id -> the first (category, text) Firefox logged for its browser-pass request.

    A preflight failure is followed by CORSDidNotSucceed2 for the request it blocked; that
    one counts only when nothing else was logged.
    """
    found: dict[str, tuple[str, str]] = {}
    for category, text in messages:
        match = _URL.search(text)
        if category in WARNINGS or not match:
            continue
        url = match.group("url")
        parsed = parse_path("/" + url.split("/", 3)[3]) if url.count("/") >= 3 else None
        if parsed is None:
            continue
        if found.get(parsed[0], (NOT_CORS_CATEGORY, ""))[0] == NOT_CORS_CATEGORY:
            found[parsed[0]] = (category, text)
    return found


def reason_label(category: str | None) -> str | None:
    """What the suite records as Firefox's reason: the category, None for no CORS error."""
    return None if category in (None, NOT_CORS_CATEGORY) else category


def agree(firefox: str | None, corsprobe: str | None) -> bool:
    """Does corsprobe's reason code name the failure Firefox's category names?"""
    if firefox is None or corsprobe is None:
        return firefox == corsprobe
    reasons = CATEGORIES.get(firefox, frozenset())
    return any(corsprobe in (reason.value, reason.preflight_variant.value) for reason in reasons)
