"""Judging single responses: the CORS check, the preflight checks, exposed headers, warnings.

Pure functions over HttpResponse values; no I/O. Each check names the Fetch step (and the
Chromium function) it follows.
"""

from __future__ import annotations

from corsprobe.browser import origins, spec
from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import Finding, HttpResponse, Stage
from corsprobe.reasons import Reason

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAM = "access-control-allow-methods"
ACAH = "access-control-allow-headers"
ACEH = "access-control-expose-headers"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def cors_check(response: HttpResponse, origin: str, include: bool,
               profile: BrowserProfile) -> Finding | None:
    """Fetch "CORS check" as Chromium's cors::CheckAccess reports it (WebKit's
    passesAccessControlCheck calls only a value with "," a list of origins)."""
    allow_origin = response.combined(ACAO)
    # CORS check step 2-3: "*" passes without credentials.
    if allow_origin == "*":
        return Finding(Reason.WILDCARD_ORIGIN_NOT_ALLOWED, "*") if include else None
    # CORS check step 1: no Access-Control-Allow-Origin.
    if allow_origin is None:
        return Finding(Reason.MISSING_ALLOW_ORIGIN_HEADER)
    # CORS check step 4: byte-for-byte equal to the serialized request origin.
    if allow_origin != origin:
        if any(char in allow_origin for char in profile.allow_origin_list_chars):
            return Finding(Reason.MULTIPLE_ALLOW_ORIGIN_VALUES, allow_origin)
        if allow_origin == "null" or origins.is_valid_origin_syntax(allow_origin):
            return Finding(Reason.ALLOW_ORIGIN_MISMATCH, allow_origin)
        return Finding(Reason.INVALID_ALLOW_ORIGIN_VALUE, allow_origin)
    # CORS check steps 5-7: with credentials, Access-Control-Allow-Credentials is `true`.
    if include:
        allow_credentials = response.combined(ACAC)
        if allow_credentials != "true":
            return Finding(Reason.INVALID_ALLOW_CREDENTIALS, allow_credentials or "")
    return None


def judge_preflight(response: HttpResponse, origin: str, method: str, unsafe: tuple[str, ...],
                    include: bool, profile: BrowserProfile) -> Finding | None:
    """CORS-preflight fetch step 7 onwards (Chromium PreflightController::CheckPreflightAccess;
    the profile orders the first checks as its engine does)."""
    # HTTP fetch: a preflight's redirect is a network error.
    location = redirect_location(response, profile.empty_location_redirects)
    redirected = location is not None
    # Firefox's CORS listener checks the 3xx itself before refusing to follow it.
    if location is not None and not profile.preflight_redirect_cors_checked:
        return _redirected_preflight(response, location)
    # CORS-preflight fetch step 7: an ok status (200-299); WebKit reports it first (D10).
    if profile.preflight_status_first and not redirected and not 200 <= response.status <= 299:
        return Finding(Reason.PREFLIGHT_INVALID_STATUS, str(response.status), Stage.PREFLIGHT)
    # CORS-preflight fetch step 7: CORS check with the actual request's credentials mode.
    failure = cors_check(response, origin, include, profile)
    if failure is not None:
        return Finding(failure.reason.preflight_variant, failure.detail, Stage.PREFLIGHT)
    if location is not None:
        return _redirected_preflight(response, location)
    if not 200 <= response.status <= 299:
        return Finding(Reason.PREFLIGHT_INVALID_STATUS, str(response.status), Stage.PREFLIGHT)
    # CORS-preflight fetch steps 7.1-7.3: parse the method and header-name lists.
    methods = spec.parse_token_list(response.combined(ACAM))
    if methods is None:
        return Finding(Reason.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, response.combined(ACAM) or "",
                       Stage.PREFLIGHT)
    header_names = spec.parse_token_list(response.combined(ACAH))
    if header_names is None:
        return Finding(Reason.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, response.combined(ACAH) or "",
                       Stage.PREFLIGHT)
    # CORS-preflight fetch step 7.5: the method is safelisted, listed (case-sensitive) or "*".
    if not _method_allowed(method, methods, include):
        return Finding(Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, ", ".join(methods),
                       Stage.PREFLIGHT)
    # CORS-preflight fetch step 7.6-7.7: every unsafe header name listed or covered by "*"
    # ("*" never covers Authorization in the standard; browsers still let it, D7).
    allowed = {name.lower() for name in header_names}
    wildcard = "*" in allowed and not include
    for name in unsafe:
        covered = wildcard and (name != "authorization" or profile.wildcard_covers_authorization)
        if name not in allowed and not covered:
            return Finding(Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, name, Stage.PREFLIGHT)
    return None


def redirect_location(response: HttpResponse, empty_redirects: bool) -> str | None:
    """HTTP fetch: a redirect status with a Location is a redirect. Chromium takes the first
    non-empty Location and ignores empty ones (the 3xx is then the response)."""
    if response.status not in REDIRECT_STATUSES:
        return None
    return next((v for v in response.values("location") if empty_redirects or v.strip(" \t")), None)


def bad_location(response: HttpResponse) -> bool:
    """A redirect status whose Location is empty or given on more than one line (libsoup
    cannot follow it: WebKitGTK fails the load)."""
    if response.status not in REDIRECT_STATUSES:
        return False
    values = response.values("location")
    return len(values) > 1 or (len(values) == 1 and not values[0].strip(" \t"))


def _redirected_preflight(response: HttpResponse, location: str) -> Finding:
    return Finding(Reason.PREFLIGHT_DISALLOWED_REDIRECT, f" ({response.status} to {location})",
                   Stage.PREFLIGHT)


def _method_allowed(method: str, methods: tuple[str, ...], include: bool) -> bool:
    if method in spec.SAFELISTED_METHODS or method in methods:
        return True
    return "*" in methods and not include


def preflight_warnings(response: HttpResponse, unsafe: tuple[str, ...], include: bool,
                       profile: BrowserProfile) -> list[Finding]:
    """Authorization allowed only through "Access-Control-Allow-Headers: *" (Chromium and
    Firefox warn: it breaks once they enforce the standard)."""
    if not profile.wildcard_covers_authorization:
        return []
    lowered = {name.lower() for name in spec.parse_token_list(response.combined(ACAH)) or ()}
    if "authorization" in unsafe and "authorization" not in lowered and "*" in lowered and not include:
        return [Finding(Reason.AUTHORIZATION_COVERED_BY_WILDCARD, "authorization", Stage.PREFLIGHT)]
    return []


def response_warnings(response: HttpResponse, origin: str, include: bool,
                      url: str, page_origin: str) -> list[Finding]:
    """Advice that is not a verdict: Vary, null origin with credentials, cross-site cookies."""
    found: list[Finding] = []
    allow_origin = response.combined(ACAO)
    vary = {v.strip().lower() for v in (response.combined("vary") or "").split(",")}
    if allow_origin == origin and origin != "null" and not vary & {"origin", "*"}:
        found.append(Finding(Reason.REFLECTED_ORIGIN_WITHOUT_VARY, allow_origin, Stage.ACTUAL))
    if allow_origin == "null" and response.combined(ACAC) == "true":
        found.append(Finding(Reason.CREDENTIALS_WITH_NULL_ORIGIN, "null", Stage.ACTUAL))
    cross_site = origins.registrable_site(url) != origins.registrable_site(page_origin)
    if include and cross_site:
        for cookie in response.values("set-cookie"):
            attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
            if not ("samesite=none" in attributes and "secure" in attributes):
                found.append(Finding(Reason.COOKIE_NOT_SENT_CROSS_SITE,
                                     cookie.split("=", 1)[0].strip(), Stage.ACTUAL))
    return found


def readable_headers(response: HttpResponse, include: bool, *, cors: bool = True) -> tuple[str, ...]:
    """Fetch "CORS filtered response": safelisted names plus Access-Control-Expose-Headers."""
    present = list(dict.fromkeys(name.lower() for name, _ in response.headers))
    visible: set[str] | frozenset[str] = set(present)
    if cors:
        exposed = {name.lower() for name in spec.parse_token_list(response.combined(ACEH)) or ()}
        # Main fetch step 14.1: "*" exposes every header only without credentials.
        if "*" not in exposed or include:
            visible = spec.SAFELISTED_RESPONSE_HEADERS | exposed
    return tuple(sorted(n for n in present if n in visible and n not in spec.NEVER_EXPOSED_RESPONSE_HEADERS))
