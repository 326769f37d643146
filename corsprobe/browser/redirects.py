"""HTTP-redirect fetch for a cors request: whether a 3xx may be followed (in the order the
profile's engine checks it) and how the request changes for the next hop.

Pure functions over values; no I/O. The engine (engine.py) calls ``refusal`` and then
``next_hop`` for every redirect it follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from corsprobe.browser import checks, origins, spec
from corsprobe.browser.address_space import is_mixed_content
from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import Finding, HttpResponse, Stage
from corsprobe.reasons import Reason

MAX_REDIRECTS = 20
Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Hop:
    """The 3xx being judged and the request it answered."""

    response: HttpResponse
    location: str
    new_url: str | None  # None: the Location does not parse
    redirects: int  # redirects already followed
    origin: str  # the page's origin
    request_origin: str  # what the request's Origin said ("null" once tainted)
    cors_flag: bool
    include: bool


@dataclass(frozen=True, slots=True)
class Rewritten:
    """HTTP-redirect fetch steps 12-13: the next hop's method, body and headers."""

    method: str
    body: bytes | None
    headers: Headers
    dropped: frozenset[str]  # CORS-unsafe names this hop removed


def refusal(hop: Hop, profile: BrowserProfile) -> Finding | None:
    """Why the 3xx may not be followed, or None.

    Chromium's URLRequest refuses a redirect beyond the limit or to a URL that does not parse
    before the CORS loader sees it; the CORS check of the 3xx comes next, then the target's
    scheme and userinfo. WebKit's NetworkLoadChecker::checkRedirection CORS-checks the 3xx
    first and counts redirects last (``redirect_cors_check_first``).
    """
    chromium_order = not profile.redirect_cors_check_first
    new_url = hop.new_url
    try:
        scheme = urlsplit(new_url).scheme if new_url is not None else ""
    except ValueError:
        new_url, scheme = None, ""
    invalid = new_url is None or (scheme in ("http", "https") and origins.split_url(new_url) is None)
    # HTTP-redirect fetch step 6: more than 20 redirects is a network error.
    if chromium_order and hop.redirects >= MAX_REDIRECTS:
        return Finding(Reason.TOO_MANY_REDIRECTS, str(hop.redirects + 1), Stage.ACTUAL)
    # HTTP fetch "location URL": a Location that does not parse is a network error.
    if invalid and chromium_order:
        return Finding(Reason.INVALID_REDIRECT, hop.location, Stage.ACTUAL)
    if new_url is not None and not invalid:
        # Firefox refuses data: or file: (WebKit ftp:) before the CORS listener sees the 3xx.
        if scheme in profile.redirect_schemes_refused_first:
            return Finding(Reason.INVALID_REDIRECT, new_url, Stage.ACTUAL)
        # Mixed Content, in Firefox before anything else looks at the 3xx.
        if profile.mixed_content_first_on_redirect and is_mixed_content(hop.origin, new_url):
            return Finding(Reason.MIXED_CONTENT, new_url, Stage.ACTUAL)
    # HTTP fetch step: a redirect of a cors request must itself pass the CORS check.
    if hop.cors_flag:
        failure = checks.cors_check(hop.response, hop.request_origin, hop.include, profile)
        if failure is not None:
            return Finding(failure.reason, failure.detail, Stage.ACTUAL)
    if invalid or new_url is None:  # WebKit: "non CORS scheme", after the CORS check
        return Finding(Reason.INVALID_REDIRECT, hop.location, Stage.ACTUAL)
    # Chromium's network stack refuses redirects to local schemes (net::ERR_UNSAFE_REDIRECT).
    if scheme in spec.UNSAFE_REDIRECT_SCHEMES:
        return Finding(Reason.INVALID_REDIRECT, new_url, Stage.ACTUAL)
    # HTTP-redirect fetch step 5: the location URL must be http(s).
    if scheme not in ("http", "https"):
        return Finding(Reason.CORS_DISABLED_SCHEME, new_url, Stage.ACTUAL)
    # HTTP-redirect fetch steps 7-8: no userinfo in a cross-origin (or cors) redirect.
    if origins.has_credentials(new_url) and (hop.cors_flag or not origins.same_origin(hop.origin, new_url)):
        return Finding(Reason.REDIRECT_CONTAINS_CREDENTIALS, new_url, Stage.ACTUAL)
    # WebKit checkRedirection: "Load cannot follow more than 20 redirections", last.
    if not chromium_order and hop.redirects >= MAX_REDIRECTS:
        return Finding(Reason.TOO_MANY_REDIRECTS, str(hop.redirects + 1), Stage.ACTUAL)
    # Mixed Content: a redirect from an https page's request to an http URL is blocked.
    if is_mixed_content(hop.origin, new_url):
        return Finding(Reason.MIXED_CONTENT, new_url, Stage.ACTUAL)
    return None


def next_hop(status: int, method: str, body: bytes | None, headers: Headers, first_content_type: Headers,
             cross_origin: bool, profile: BrowserProfile) -> Rewritten:
    """HTTP-redirect fetch steps 12-13 for the hop to the new URL."""
    dropped: set[str] = set()
    # Step 12: 301/302 POST and 303 non-GET/HEAD become GET without a body.
    if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
        method, body = "GET", None
        headers = tuple(h for h in headers if h[0].lower() not in spec.BODY_HEADERS)
        dropped.add("content-type")
    elif (status in (307, 308) and profile.content_type_restored_on_307) or \
            profile.content_type_restored_unless_rewritten:
        # Firefox (on 307/308) and WebKit (the first request's headers) put Content-Type back.
        headers = tuple(h for h in headers if h[0].lower() != "content-type") + first_content_type
    # Step 13: Authorization is removed on a cross-origin hop.
    if cross_origin:
        headers = tuple(h for h in headers if h[0].lower() != "authorization")
        dropped.add("authorization")
    return Rewritten(method, body, headers, frozenset(dropped))
