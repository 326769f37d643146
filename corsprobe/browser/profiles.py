"""Browser profiles: the places where Chromium, Firefox and WebKit apply CORS differently.

A BrowserProfile is a frozen value the engine consults (cors-rules.md §2); CHROMIUM is the
default and the one verified against a real browser build. Pure data and functions; no I/O.
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
    # Firefox keeps the first request's CORS-unsafe header names for every later hop: it
    # preflights again even after a rewrite to GET (or a cross-origin hop) dropped them,
    # listing all but the ones dropped on that very hop.
    preflight_list_from_first_request: bool
    # Firefox puts the original Content-Type back on a 307/308 after a rewrite to GET.
    content_type_restored_on_307: bool
    # Firefox refuses a redirect to mixed content before any other check of the 3xx (its CORS
    # check, userinfo, a redirected preflight); Chromium checks mixed content last.
    mixed_content_first_on_redirect: bool


CHROMIUM = BrowserProfile(
    name="chromium", label="Chromium",
    max_age_cap=7200, max_age_syntax=MaxAgeSyntax.INT64,
    client_hints_safelisted=True, content_type_syntax=ContentTypeSyntax.WHATWG,
    high_bytes_unsafe=False, range_position_max=2**63 - 2, range_rewritten_on_wire=True,
    preflight_status_first=False, preflight_redirect_cors_checked=False,
    wildcard_covers_authorization=True,
    cache_exempt_methods=frozenset({"GET", "HEAD", "POST"}),
    empty_location_redirects=False, redirect_schemes_refused_first=frozenset(),
    tainted_preflight_origin=True, preflight_list_from_first_request=False,
    content_type_restored_on_307=False,
    mixed_content_first_on_redirect=False,
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
    tainted_preflight_origin=False, preflight_list_from_first_request=True,
    content_type_restored_on_307=True,
    mixed_content_first_on_redirect=True,
)

WEBKIT = BrowserProfile(
    name="webkit", label="WebKit (Safari)",
    max_age_cap=600, max_age_syntax=MaxAgeSyntax.UINT32,
    client_hints_safelisted=False, content_type_syntax=ContentTypeSyntax.WHATWG,
    high_bytes_unsafe=False, range_position_max=None, range_rewritten_on_wire=False,
    preflight_status_first=True, preflight_redirect_cors_checked=False,
    wildcard_covers_authorization=True,
    cache_exempt_methods=frozenset({"GET", "HEAD", "POST"}),
    empty_location_redirects=True, redirect_schemes_refused_first=frozenset(),
    tainted_preflight_origin=True, preflight_list_from_first_request=False,
    content_type_restored_on_307=False,
    mixed_content_first_on_redirect=False,
)

PROFILES: dict[str, BrowserProfile] = {p.name: p for p in (CHROMIUM, FIREFOX, WEBKIT)}


def profile_named(name: str) -> BrowserProfile:
    """The profile called ``name`` (case-insensitive); KeyError lists the known names."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise KeyError(f"unknown browser {name!r}; known: {', '.join(PROFILES)}") from None


def preflight_max_age(values: tuple[str, ...], profile: BrowserProfile = CHROMIUM) -> int:
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
