"""Safari/WebKit console CORS errors: the reason line, the "Fetch API cannot load URL" line and
"Failed to load resource: …", usually two or three lines about one request, made into one item.

Templates: WebKit ``Source/WebCore/loader/CrossOriginAccessControl.cpp`` and
``CrossOriginPreflightResultCache.cpp`` (WebKit/WebKit@00f03c1f), ``NetworkLoadChecker.cpp``
(@00d0126a), ``ThreadableLoader.cpp`` (@00c17452); see ``/work/shared/console-messages.md`` §3.
Pure string handling; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from corsprobe.model import Credentials
from corsprobe.paste.item import Found, Kind, Pasted, lines, placeholder
from corsprobe.reasons import Reason

_URL_LINE = re.compile(r"(?:Fetch API|XMLHttpRequest) cannot load (?P<url>[a-z][a-z0-9+.-]*://\S+?)"
                       r"(?: due to access control checks\.?|\.(?: (?P<detail>.*))?)\s*$")
_FAILED = re.compile(r"Failed to load resource: (?P<detail>.*)$")
_REDIRECT = re.compile(r"Cross-origin redirection to (?P<url>\S+) denied by Cross-Origin Resource Sharing policy: "
                       r"(?P<detail>.*)$")

_R = Reason
# (pattern, reason, credentials include, hint kind)
REASONS: tuple[tuple[re.Pattern[str], Reason | None, bool, str], ...] = tuple(
    (re.compile(p), r, c, h) for p, r, c, h in (
        (r"Origin (?P<origin>\S+) is not allowed by Access-Control-Allow-Origin\.?(?: Status code: (?P<status>\d+))?",
         _R.MISSING_ALLOW_ORIGIN_HEADER, False, "origin"),
        (r"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true",
         _R.WILDCARD_ORIGIN_NOT_ALLOWED, True, ""),
        (r"Access-Control-Allow-Origin cannot contain more than one origin", _R.MULTIPLE_ALLOW_ORIGIN_VALUES,
         False, ""),
        (r"Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"",
         _R.INVALID_ALLOW_CREDENTIALS, True, ""),
        (r"Preflight response is not successful(?:\. Status code: (?P<status>\d+))?", _R.PREFLIGHT_INVALID_STATUS,
         False, ""),
        (r"Header Access-Control-Allow-Methods has an invalid value", _R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
         False, ""),
        (r"Header Access-Control-Allow-Headers has an invalid value", _R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
         False, ""),
        (r"Method (?P<hint>\S+) is not allowed by Access-Control-Allow-Methods",
         _R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, False, "method"),
        (r"Request header field (?P<hint>\S+) is not allowed by Access-Control-Allow-Headers",
         _R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, False, "header"),
        (r"not allowed to follow a cross-origin CORS redirection with non CORS scheme", _R.CORS_DISABLED_SCHEME,
         False, ""),
        (r"redirection URL \S+ has credentials", _R.REDIRECT_CONTAINS_CREDENTIALS, False, ""),
        (r"Redirection to URL with a scheme that is not HTTP\(S\)", _R.CORS_DISABLED_SCHEME, False, ""),
        (r"Load cannot follow more than 20 redirections", _R.TOO_MANY_REDIRECTS, False, ""),
        (r"Unsafe attempt to load URL (?P<url>\S+) from origin (?P<origin>\S+?)\. Domains, protocols and ports must",
         None, False, "origin"),
    ))


@dataclass(frozen=True, slots=True)
class _Line:
    """What one Safari line says: a URL, a reason, or both."""

    url: str | None = None
    reason: Reason | None = None
    found_reason: bool = False
    origin: str | None = None
    include: bool = False
    method: str | None = None
    header: str | None = None
    text: str = ""
    status: str | None = None
    repeat: bool = False  # a "Failed to load resource: …" line, repeating its group's reason


def parse(text: str) -> list[Found]:
    """Group consecutive Safari lines about one request into one item."""
    groups: list[tuple[int, list[_Line]]] = []
    for number, raw in enumerate(lines(text)):
        line = _read(raw)
        if line is None:
            continue
        current = groups[-1][1] if groups else None
        # "Failed to load resource: …" repeats the reason line: the same text joins its group.
        fits = current is not None and number - groups[-1][0] <= 3 and not (
            (line.url and any(c.url and c.url != line.url for c in current))
            or (line.found_reason and any(c.found_reason and (c.text != line.text or not line.repeat)
                                          for c in current)))
        if fits and current is not None:
            current.append(line)
        else:
            groups.append((number, [line]))
    return [Found(start, _item(lines)) for start, lines in groups]


def _read(raw: str) -> _Line | None:
    match = _URL_LINE.search(raw)
    if match is not None:
        detail = _reason(match.group("detail") or "")
        return replace(detail or _Line(), url=match.group("url"))
    match = _REDIRECT.search(raw)
    if match is not None:
        return _reason(match.group("detail")) or _Line(text=match.group("detail"), found_reason=True)
    match = _FAILED.search(raw)
    if match is not None:
        line = _reason(match.group("detail"))
        return replace(line, repeat=True) if line is not None else None
    return _reason(raw)


def _reason(text: str) -> _Line | None:
    for pattern, reason, include, hint in REASONS:
        hit = pattern.search(text)
        if hit is None:
            continue
        groups = hit.groupdict()
        return _Line(url=groups.get("url"), reason=reason, found_reason=True, origin=groups.get("origin"),
                     include=include, method=groups.get("hint") if hint == "method" else None,
                     header=groups.get("hint") if hint == "header" else None, text=hit.group(0),
                     status=groups.get("status"))
    return None


def _item(lines: list[_Line]) -> Pasted:
    url = next((line.url for line in lines if line.url), "")
    said = next((line for line in lines if line.found_reason), _Line())
    origin = next((line.origin for line in lines if line.origin), None)
    unknown = ["method", "headers"] + ([] if origin else ["origin"])
    notes = []
    if said.reason is Reason.MISSING_ALLOW_ORIGIN_HEADER:
        notes.append("Safari says the same for a missing and a mismatching Access-Control-Allow-Origin")
    if said.status:
        notes.append(f"browser saw status {said.status}")
    if not said.found_reason:
        notes.append("Safari names no reason (\"due to access control checks\")")
    if said.method:
        unknown.remove("method")
    headers = ((said.header, placeholder(said.header)),) if said.header else ()
    return Pasted(Kind.SAFARI, url, origin, said.method or "GET", headers,
                  Credentials.INCLUDE if said.include else None, said.reason, browser_text=said.text,
                  unknown=tuple(unknown), notes=tuple(notes))
