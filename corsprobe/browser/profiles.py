"""Browser profiles: the places where Chromium, Firefox and WebKit apply CORS differently.

A BrowserProfile is a frozen value the engine consults (cors-rules.md §2); CHROMIUM is the
default. Each profile is verified against a real engine by tests/browser/ (Chromium, Firefox
ESR, WebKitGTK). Pure data and functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_SIGNED = re.compile(r"^[+-]?[0-9]+$")
_UNSIGNED = re.compile(r"^[+]?[0-9]+$")
_DIGITS = re.compile(r"^[0-9]+$")
DEFAULT_MAX_AGE = 5


class MaxAgeSyntax(StrEnum):
    """How an engine reads Access-Control-Max-Age (cors-rules.md §1.8, D2)."""

    INT64 = "int64"  # Chromium base::StringToInt64: negative -> 0, unparsable -> 5 s
    UINT32 = "uint32"  # WebKit toUIntStrict: negative or unparsable -> 5 s
    DIGITS = "digits"  # Firefox: digits only, capped while read; anything else -> not cached


class RedirectPreflight(StrEnum):
    """Which CORS-unsafe header names a request's later hops (after a redirect) preflight."""

    FRESH = "fresh"  # the standard, Chromium: computed afresh from the hop's own headers
    # Firefox: the first request's names minus those dropped on that very hop (loadInfo).
    FIRST_MINUS_DROPPED = "first-minus-dropped"
    # WebKit NetworkLoadChecker: m_originalRequestHeaders, every name, and once a request was
    # preflighted every later hop is (m_isSimpleRequest stays false).
    ORIGINAL = "original"


class ContentTypeSyntax(StrEnum):
    """How an engine decides that a Content-Type value is safelisted (cors-rules.md §1.2)."""

    WHATWG = "whatwg"  # the WHATWG MIME type parser (Chromium, WebKit)
    GECKO = "gecko"  # Firefox net_ParseRequestContentType in strict mode


@dataclass(frozen=True, slots=True)
class BrowserProfile:
    """One engine's departures from the Fetch Standard (and from each other)."""

    name: str
    label: str
    # D1/D2, §1.8: Access-Control-Max-Age -> seconds a passing preflight is cached.
    max_age_cap: int
    max_age_syntax: MaxAgeSyntax
    # D11: Chromium also safelists its client-hint request headers (DPR, Width, ECT, ...).
    client_hints_safelisted: bool
    content_type_syntax: ContentTypeSyntax
    # Firefox also counts every byte >= 0x80 as a CORS-unsafe request-header byte.
    high_bytes_unsafe: bool
    # Range: the largest byte position that still parses (None: any run of digits).
    range_position_max: int | None
    # WebKit compares the Range unit "bytes=" ignoring ASCII case ("BYTES=0-" is safelisted).
    range_unit_any_case: bool
    # Chromium's HTTP cache re-serializes a valid single byte range on the wire.
    range_rewritten_on_wire: bool
    # D10: a preflight failing on both status and CORS check reports the status first.
    preflight_status_first: bool
    # A redirected preflight's 3xx gets the CORS check before the redirect is refused.
    preflight_redirect_cors_checked: bool
    # D7: "*" in Access-Control-Allow-Headers still covers Authorization (with a warning).
    wildcard_covers_authorization: bool
    # D14: methods a preflight-cache lookup never needs an entry for.
    cache_exempt_methods: frozenset[str]
    # Redirects. An empty Location is a redirect to the same URL (the standard) or no redirect.
    empty_location_redirects: bool
    # Location schemes refused before the 3xx gets its CORS check (the standard: after).
    redirect_schemes_refused_first: frozenset[str]
    # After a tainting redirect the preflight carries Origin: null (the standard) or the page's.
    tainted_preflight_origin: bool
    # Firefox and WebKit keep the first request's CORS-unsafe header names for every later
    # hop: they preflight again even after a rewrite to GET (or a cross-origin hop) dropped them.
    redirect_preflight: RedirectPreflight
    # Firefox puts the original Content-Type back on a 307/308 after a rewrite to GET.
    content_type_restored_on_307: bool
    # WebKit puts the first request's headers back on every hop that is not itself a rewrite
    # to GET (NetworkLoadChecker::checkCORSRedirectedRequest, m_firstRequestHeaders).
    content_type_restored_unless_rewritten: bool
    # Firefox refuses a redirect to mixed content before any other check of the 3xx (its CORS
    # check, userinfo, a redirected preflight); Chromium checks mixed content last.
    mixed_content_first_on_redirect: bool
    # WebKit (NetworkLoadChecker::checkRedirection) CORS-checks a 3xx before it looks at the
    # redirect count or whether the Location parses (Chromium's URLRequest refuses those first).
    redirect_cors_check_first: bool
    # WebKitGTK (libsoup): a 3xx with an empty Location, or with more than one Location line,
    # is a network error (nothing more is sent).
    bad_location_fails: bool
    # WebKit waits for a preflight's whole body: a short or broken one is a network error.
    preflight_body_awaited: bool
    # Characters in Access-Control-Allow-Origin that make it "multiple values" (WebKit: ",").
    allow_origin_list_chars: str


CHROMIUM = BrowserProfile(
    name="chromium", label="Chromium",
    max_age_cap=7200, max_age_syntax=MaxAgeSyntax.INT64,
    client_hints_safelisted=True, content_type_syntax=ContentTypeSyntax.WHATWG,
    high_bytes_unsafe=False, range_position_max=2**63 - 2, range_rewritten_on_wire=True,
    preflight_status_first=False, preflight_redirect_cors_checked=False,
    wildcard_covers_authorization=True,
    cache_exempt_methods=frozenset({"GET", "HEAD", "POST"}),
    empty_location_redirects=False, redirect_schemes_refused_first=frozenset(),
    tainted_preflight_origin=True, redirect_preflight=RedirectPreflight.FRESH,
    content_type_restored_on_307=False,
    mixed_content_first_on_redirect=False, range_unit_any_case=False,
    redirect_cors_check_first=False, bad_location_fails=False, allow_origin_list_chars=" ,",
    content_type_restored_unless_rewritten=False, preflight_body_awaited=False,
)

FIREFOX = BrowserProfile(
    name="firefox", label="Firefox",
    max_age_cap=86400, max_age_syntax=MaxAgeSyntax.DIGITS,
    client_hints_safelisted=False, content_type_syntax=ContentTypeSyntax.GECKO,
    high_bytes_unsafe=True, range_position_max=2**64 - 1, range_rewritten_on_wire=False,
    preflight_status_first=False, preflight_redirect_cors_checked=True,
    wildcard_covers_authorization=True,
    cache_exempt_methods=frozenset({"GET", "POST"}),
    empty_location_redirects=True, redirect_schemes_refused_first=frozenset({"data", "file", "javascript", "ws"}),
    tainted_preflight_origin=False, redirect_preflight=RedirectPreflight.FIRST_MINUS_DROPPED,
    content_type_restored_on_307=True,
    mixed_content_first_on_redirect=True, range_unit_any_case=False,
    redirect_cors_check_first=False, bad_location_fails=False, allow_origin_list_chars=" ,",
    content_type_restored_unless_rewritten=False, preflight_body_awaited=False,
)

# Verified against WebKitGTK (docs/browser-notes.md §6); bad_location_fails is libsoup's.
WEBKIT = BrowserProfile(
    name="webkit", label="WebKit (Safari)",
    max_age_cap=600, max_age_syntax=MaxAgeSyntax.UINT32,
    client_hints_safelisted=False, content_type_syntax=ContentTypeSyntax.WHATWG,
    high_bytes_unsafe=False, range_position_max=2**64 - 1, range_rewritten_on_wire=False,
    preflight_status_first=True, preflight_redirect_cors_checked=False,
    wildcard_covers_authorization=True,
    cache_exempt_methods=frozenset({"GET", "HEAD", "POST"}),
    empty_location_redirects=False, redirect_schemes_refused_first=frozenset({"ftp"}),
    tainted_preflight_origin=True, redirect_preflight=RedirectPreflight.ORIGINAL,
    content_type_restored_on_307=True,
    mixed_content_first_on_redirect=False, range_unit_any_case=True,
    redirect_cors_check_first=True, bad_location_fails=True, allow_origin_list_chars=",",
    content_type_restored_unless_rewritten=True, preflight_body_awaited=True,
)

PROFILES: dict[str, BrowserProfile] = {p.name: p for p in (CHROMIUM, FIREFOX, WEBKIT)}


def profile_named(name: str) -> BrowserProfile:
    """The profile called ``name`` (case-insensitive); KeyError lists the known names."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise KeyError(f"unknown browser {name!r}; known: {', '.join(PROFILES)}") from None


def preflight_max_age(values: tuple[str, ...], profile: BrowserProfile) -> int:
    """CORS-preflight cache: seconds a passing preflight is reused, from its Max-Age lines.

    Absent or empty: 5 s in every engine. Several lines are combined with ", " (which is
    never a number). 0 means the result is not cached.
    """
    value = ", ".join(v.strip(" \t") for v in values)
    if not value:
        return DEFAULT_MAX_AGE
    syntax = profile.max_age_syntax
    if syntax is MaxAgeSyntax.DIGITS:
        return min(int(value), profile.max_age_cap) if _DIGITS.match(value) else 0
    if syntax is MaxAgeSyntax.INT64:
        if not _SIGNED.match(value) or not -(2**63) <= int(value) < 2**63:
            return DEFAULT_MAX_AGE
        return max(0, min(int(value), profile.max_age_cap))
    if not _UNSIGNED.match(value) or int(value) >= 2**32:
        return DEFAULT_MAX_AGE
    return min(int(value), profile.max_age_cap)
