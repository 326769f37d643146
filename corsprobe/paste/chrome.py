"""Chrome/Edge console CORS errors, every wording era, and DevTools' network error line.

Templates: Chromium ``third_party/blink/renderer/platform/loader/cors/cors_error_string.cc``
(``GetErrorStringForConsoleMessage``, read at cinagroup/CinaBrowser@b3278698, a 2026 tree; older
eras at chromium/chromium@5b83ed46 and the pre-2018 ``WebCORS.cpp``); see
``/work/shared/console-messages.md`` §1. Pure string handling; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corsprobe.model import Credentials
from corsprobe.paste.item import Found, Kind, Pasted, decode_hint, lines, placeholder
from corsprobe.reasons import Reason

_FRAME = re.compile(
    r"Access to (?P<kind>[A-Za-z][A-Za-z ]*?) at '(?P<last>[^']*)' (?:\(redirected from '(?P<first>[^']*)'\) )?"
    r"from origin '(?P<origin>[^']*)' has been blocked by CORS policy: (?P<detail>.*)")
_ISSUE = re.compile(r"Access blocked by CORS policy: (?P<detail>.*)")
# Pre-2018 frames (M64-M69 "Failed to load", earlier "XMLHttpRequest cannot load").
_LEGACY = re.compile(r"(?:Failed to load (?P<a>[a-z][a-z0-9+.-]*://\S+?): |"
                     r"XMLHttpRequest cannot load (?P<b>[a-z][a-z0-9+.-]*://\S+?)\. )(?P<detail>.*)")
_LEGACY_ORIGIN = re.compile(r"Origin '(?P<origin>[^']*)' is therefore not allowed access\.")
_LEGACY_STATUS = re.compile(r"(?:The response had HTTP status code|invalid HTTP status code) (?P<status>\d{3})")
_PREFLIGHT = "Response to preflight request doesn't pass access control check: "
# DevTools' network line under the message: "POST https://api.example/x net::ERR_FAILED 200 (OK)".
NETWORK_LINE = re.compile(r"(?:^|\s)(?P<method>[A-Za-z]+) (?P<url>[a-z][a-z0-9+.-]*://\S+) net::(?P<error>ERR_[A-Z_]+)"
                          r"(?: (?P<status>\d{3})(?: \((?P<text>[^)]*)\))?)?")


@dataclass(frozen=True, slots=True)
class Detail:
    """One DETAIL sentence: its pattern, the reason, and what its ``hint`` group is."""

    pattern: re.Pattern[str]
    reason: Reason | None
    hint: str = ""  # "method", "header", "value" or ""
    include: bool = False  # the text proves credentials mode 'include'


def _d(pattern: str, reason: Reason | None, hint: str = "", include: bool = False) -> Detail:
    return Detail(re.compile(pattern), reason, hint, include)


_R = Reason
_LNA = _R.LOCAL_NETWORK_ACCESS
DETAILS: tuple[Detail, ...] = (
    _d(r"^The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\*'",
       _R.WILDCARD_ORIGIN_NOT_ALLOWED, include=True),
    _d(r"^No 'Access-Control-Allow-Origin' header is present on the requested resource",
       _R.MISSING_ALLOW_ORIGIN_HEADER),
    _d(r"^The 'Access-Control-Allow-Origin' header contains multiple values '(?P<hint>[^']*)'",
       _R.MULTIPLE_ALLOW_ORIGIN_VALUES, "value"),
    _d(r"^The 'Access-Control-Allow-Origin' header contains the invalid value '(?P<hint>[^']*)'",
       _R.INVALID_ALLOW_ORIGIN_VALUE, "value"),
    _d(r"^The 'Access-Control-Allow-Origin' header has a value '(?P<hint>[^']*)' that is not equal to the supplied",
       _R.ALLOW_ORIGIN_MISMATCH, "value"),
    _d(r"^The value of the 'Access-Control-Allow-Credentials' header in the response is '(?P<hint>[^']*)'",
       _R.INVALID_ALLOW_CREDENTIALS, "value", include=True),
    _d(r"^Cross origin requests are only supported for protocol schemes", _R.CORS_DISABLED_SCHEME),
    _d(r"^It does not have HTTP ok status", _R.PREFLIGHT_INVALID_STATUS),
    _d(r"^Redirect is not allowed for a preflight request", _R.PREFLIGHT_DISALLOWED_REDIRECT),
    _d(r"^Cannot parse Access-Control-Allow-Methods", _R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    _d(r"^Cannot parse Access-Control-Allow-Headers", _R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE),
    _d(r"^Method (?P<hint>\S+) is not allowed by Access-Control-Allow-Methods",
       _R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, "method"),
    _d(r"^Request header field (?P<hint>\S+) is not allowed by Access-Control-Allow-Headers",
       _R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, "header"),
    _d(r"^Redirect location '(?P<hint>[^']*)' contains a username and password", _R.REDIRECT_CONTAINS_CREDENTIALS),
    _d(r"^Redirect location '(?P<hint>[^']*)' has a disallowed scheme", _R.CORS_DISABLED_SCHEME),
    _d(r"^The request client is not a secure context and the resource is in more-private address space", _LNA),
    _d(r"^Request had a target IP address space of", _LNA),
    _d(r"^Request had no target IP address space", _LNA),
    _d(r"^Permission was denied for this request to access the", _LNA),
    _d(r"^Unable to ask for permission to access the", _LNA),
    _d(r"^No 'Access-Control-Allow-(?:Private-Network|External)' header was present in the preflight", _LNA),
    _d(r"^The 'Access-Control-Allow-(?:Private-Network|External)' header in the preflight response", _LNA),
    _d(r"^No 'Private-Network-Access-(?:Id|Name)' header was present", _LNA),
    _d(r"^Response for preflight has invalid HTTP status code", _R.PREFLIGHT_INVALID_STATUS),
    _d(r"^Response for preflight is invalid \(redirect\)", _R.PREFLIGHT_DISALLOWED_REDIRECT),
    _d(r"^Invalid response\.", _R.INVALID_RESPONSE),
    _d(r"^The response is invalid\.", _R.INVALID_RESPONSE),
    _d(r"^Cross origin requests are not allowed by request mode", None),
)
# Preflight-only reasons: a bare twin is never produced for these.
_PREFLIGHT_ONLY = frozenset({
    _R.PREFLIGHT_INVALID_STATUS, _R.PREFLIGHT_DISALLOWED_REDIRECT, _R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
    _R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, _R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
    _R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
})


def parse(text: str) -> list[Found]:
    """Every Chromium CORS message in ``text`` (one per line), with the line it is on."""
    found = []
    for number, line in enumerate(lines(text)):
        item = parse_message(line)
        if item is not None:
            found.append(Found(number, item))
    return found


def parse_message(line: str) -> Pasted | None:
    match = _FRAME.search(line)
    if match is not None:
        url = match.group("first") or match.group("last")
        item = _from_detail(match.group("detail"), url, match.group("origin"))
        if match.group("first") and match.group("first") != match.group("last"):
            item = item.with_notes(f"redirected to {match.group('last')}: the probe starts at the first URL")
        kind = match.group("kind")
        if kind not in ("fetch", "XMLHttpRequest"):
            item = item.with_notes(f"a {kind} load (not fetch/XHR): probed as a GET")
        return item
    match = _LEGACY.search(line)
    if match is not None and ("Access-Control" in line or "preflight" in line):
        detail = match.group("detail")
        origin = _LEGACY_ORIGIN.search(detail)
        status = _LEGACY_STATUS.search(detail)
        item = _from_detail(detail, match.group("a") or match.group("b"), origin.group("origin") if origin else None)
        return item.with_notes(f"browser saw status {status.group('status')}") if status else item
    match = _ISSUE.search(line)
    if match is not None:
        return _from_detail(match.group("detail"), "", None)
    return None


def _from_detail(detail: str, url: str, origin: str | None) -> Pasted:
    preflight = detail.startswith(_PREFLIGHT)
    sentence = detail.removeprefix(_PREFLIGHT)
    for entry in DETAILS:
        hit = entry.pattern.search(sentence)
        if hit is None:
            continue
        reason = entry.reason
        if reason is not None and preflight and reason not in _PREFLIGHT_ONLY:
            reason = reason.preflight_variant
        hint = decode_hint(hit.group("hint")) if "hint" in hit.groupdict() else ""
        method, unknown = "GET", ["method", "headers"]
        headers: tuple[tuple[str, str], ...] = ()
        if entry.hint == "method":
            method = hint
            unknown.remove("method")
        elif entry.hint == "header":
            headers = ((hint, placeholder(hint)),)
        credentials = Credentials.INCLUDE if entry.include else None
        notes = ("Chrome reports a preflight: the request had a non-safelisted method or header",) if (
            preflight or reason in _PREFLIGHT_ONLY) and entry.hint != "method" else ()
        return Pasted(Kind.CHROME, url, origin or None, method, headers, credentials, reason,
                      browser_text=sentence, unknown=tuple(unknown), notes=notes)
    return Pasted(Kind.CHROME, url, origin or None, browser_text=sentence, unknown=("method", "headers"),
                  notes=(f"unrecognised Chrome reason: {sentence[:80]}",))


def network_lines(lines: Sequence[str]) -> list[tuple[int, str, str]]:
    """(line, method, url) of every DevTools network error line."""
    hits = []
    for number, line in enumerate(lines):
        match = NETWORK_LINE.search(line)
        if match is not None:
            hits.append((number, match.group("method"), match.group("url")))
    return hits
