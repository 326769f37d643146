"""Stable reason codes (Chromium's CorsError names in snake_case, plus corsprobe's own),
with a one-sentence explanation template and the fix a server operator applies.

Pure data; no I/O. Templates take ``{detail}`` (the offending value or name),
``{origin}`` (the origin compared against) and ``{method}``.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # Failures of the CORS check (actual response or a redirect hop).
    MISSING_ALLOW_ORIGIN_HEADER = "missing_allow_origin_header"
    ALLOW_ORIGIN_MISMATCH = "allow_origin_mismatch"
    MULTIPLE_ALLOW_ORIGIN_VALUES = "multiple_allow_origin_values"
    INVALID_ALLOW_ORIGIN_VALUE = "invalid_allow_origin_value"
    WILDCARD_ORIGIN_NOT_ALLOWED = "wildcard_origin_not_allowed"
    INVALID_ALLOW_CREDENTIALS = "invalid_allow_credentials"
    # The same checks on the preflight response.
    PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER = "preflight_missing_allow_origin_header"
    PREFLIGHT_ALLOW_ORIGIN_MISMATCH = "preflight_allow_origin_mismatch"
    PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES = "preflight_multiple_allow_origin_values"
    PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE = "preflight_invalid_allow_origin_value"
    PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED = "preflight_wildcard_origin_not_allowed"
    PREFLIGHT_INVALID_ALLOW_CREDENTIALS = "preflight_invalid_allow_credentials"
    # Preflight-only failures.
    PREFLIGHT_INVALID_STATUS = "preflight_invalid_status"
    PREFLIGHT_DISALLOWED_REDIRECT = "preflight_disallowed_redirect"
    INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE = "invalid_allow_methods_preflight_response"
    INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE = "invalid_allow_headers_preflight_response"
    METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE = "method_disallowed_by_preflight_response"
    HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE = "header_disallowed_by_preflight_response"
    # Redirects of the actual request.
    REDIRECT_CONTAINS_CREDENTIALS = "redirect_contains_credentials"
    CORS_DISABLED_SCHEME = "cors_disabled_scheme"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    INVALID_REDIRECT = "invalid_redirect"
    # Decided before anything is sent.
    FORBIDDEN_METHOD = "forbidden_method"
    MIXED_CONTENT = "mixed_content"
    INVALID_REQUEST = "invalid_request"
    # Not verdicts of the browser: the probe itself could not be completed.
    NETWORK_ERROR = "network_error"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    INVALID_RESPONSE = "invalid_response"
    PROBE_FAILED = "probe_failed"
    # The actual request was not sent (state-changing method without opt-in).
    ACTUAL_NOT_SENT = "actual_not_sent"
    # Warnings: not verdicts.
    AUTHORIZATION_COVERED_BY_WILDCARD = "authorization_covered_by_wildcard"
    REFLECTED_ORIGIN_WITHOUT_VARY = "reflected_origin_without_vary"
    CREDENTIALS_WITH_NULL_ORIGIN = "credentials_with_null_origin"
    COOKIE_NOT_SENT_CROSS_SITE = "cookie_not_sent_cross_site"
    SIDE_EFFECT_SIMPLE_REQUEST = "side_effect_simple_request"
    FORBIDDEN_HEADER_DROPPED = "forbidden_header_dropped"
    LOCAL_NETWORK_ACCESS = "local_network_access"
    ANY_ORIGIN_WITH_CREDENTIALS = "any_origin_with_credentials"

    @property
    def preflight_variant(self) -> Reason:
        """The ``preflight_*`` twin of a CORS-check failure (itself for others)."""
        return _PREFLIGHT_TWINS.get(self, self)


def warning_codes() -> tuple[str, ...]:
    """Every warning code (not a verdict): the members declared after ACTUAL_NOT_SENT."""
    members = list(Reason)
    return tuple(r.value for r in members[members.index(Reason.ACTUAL_NOT_SENT) + 1:])


def warning_problem(code: str) -> str | None:
    """What is wrong with ``code`` as a warning code (with a did-you-mean), or None when it is one."""
    from corsprobe.hints import did_you_mean

    codes = warning_codes()
    if code in codes:
        return None
    close = did_you_mean(code, codes)
    return f"{code!r} is not a warning code; " + (f"did you mean {close!r}?" if close else
                                                  f"warning codes: {', '.join(codes)}")


_PREFLIGHT_TWINS = {
    Reason.MISSING_ALLOW_ORIGIN_HEADER: Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
    Reason.ALLOW_ORIGIN_MISMATCH: Reason.PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
    Reason.MULTIPLE_ALLOW_ORIGIN_VALUES: Reason.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
    Reason.INVALID_ALLOW_ORIGIN_VALUE: Reason.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
    Reason.WILDCARD_ORIGIN_NOT_ALLOWED: Reason.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
    Reason.INVALID_ALLOW_CREDENTIALS: Reason.PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
}

_ACAO = "Access-Control-Allow-Origin"
_ON_PF = " on the preflight (OPTIONS) response"

# reason -> (explanation template, fix or None)
TEXTS: dict[Reason, tuple[str, str | None]] = {
    Reason.MISSING_ALLOW_ORIGIN_HEADER: (
        f"The response has no {_ACAO} header{{where}}, so the page cannot read it.",
        f"Add '{_ACAO}: {{origin}}' (or '*' without credentials) to every response, "
        "including errors and redirects.",
    ),
    Reason.ALLOW_ORIGIN_MISMATCH: (
        f"{_ACAO} is '{{detail}}'{{where}}, which is not the page's origin '{{origin}}'.",
        "Echo the exact serialized origin (scheme://host[:port], no path or trailing slash) "
        "from an allow-list.",
    ),
    Reason.MULTIPLE_ALLOW_ORIGIN_VALUES: (
        f"{_ACAO} holds several values '{{detail}}'{{where}}; a browser accepts exactly one.",
        f"Send one {_ACAO} line with the one matching origin; remove duplicates added by "
        "a proxy or a second middleware.",
    ),
    Reason.INVALID_ALLOW_ORIGIN_VALUE: (
        f"{_ACAO} is '{{detail}}'{{where}}, which is not a valid origin.",
        "Send a full origin such as 'https://app.example.com' or '*'; patterns like "
        "'*.example.com' are not understood by browsers.",
    ),
    Reason.WILDCARD_ORIGIN_NOT_ALLOWED: (
        f"{_ACAO} is '*'{{where}}, but the request is made with credentials, "
        "for which a browser requires the exact origin.",
        f"Reflect the allowed origin ('{_ACAO}: {{origin}}') and add 'Vary: Origin' "
        "instead of '*'.",
    ),
    Reason.INVALID_ALLOW_CREDENTIALS: (
        "The request is made with credentials but Access-Control-Allow-Credentials is "
        "'{detail}'{where}; it must be exactly 'true'.",
        "Send 'Access-Control-Allow-Credentials: true' (lower-case, one line) on the "
        "preflight and the actual response.",
    ),
    Reason.PREFLIGHT_INVALID_STATUS: (
        "The preflight (OPTIONS) response has status {detail}; a browser needs 200-299.",
        "Answer OPTIONS with 204 (or 200) before authentication, CSRF checks and routing.",
    ),
    Reason.PREFLIGHT_DISALLOWED_REDIRECT: (
        "The preflight (OPTIONS) was answered with a redirect{detail}; browsers never follow "
        "a redirected preflight.",
        "Serve OPTIONS at the requested URL itself (no http->https or trailing-slash "
        "redirect), or point the client at the final URL.",
    ),
    Reason.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE: (
        "Access-Control-Allow-Methods '{detail}' is not a comma-separated list of method "
        "tokens, so the whole preflight fails.",
        "Send a comma-separated list such as 'Access-Control-Allow-Methods: GET, PUT, DELETE'.",
    ),
    Reason.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE: (
        "Access-Control-Allow-Headers '{detail}' is not a comma-separated list of header "
        "names, so the whole preflight fails.",
        "Send a comma-separated list such as 'Access-Control-Allow-Headers: Content-Type, "
        "Authorization'.",
    ),
    Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE: (
        "Method '{method}' is not listed in Access-Control-Allow-Methods '{detail}' of the "
        "preflight response (the match is case-sensitive; '*' does not count with credentials).",
        "Add '{method}' with exactly this case to Access-Control-Allow-Methods.",
    ),
    Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE: (
        "Request header '{detail}' is not allowed by Access-Control-Allow-Headers of the "
        "preflight response{where}.",
        "Add '{detail}' to Access-Control-Allow-Headers (with credentials, '*' does not "
        "count: list it by name).",
    ),
    Reason.REDIRECT_CONTAINS_CREDENTIALS: (
        "The request was redirected to '{detail}', a URL with user:password, which a "
        "browser refuses for cross-origin requests.",
        "Remove the userinfo from the Location header.",
    ),
    Reason.CORS_DISABLED_SCHEME: (
        "The request was redirected to '{detail}', which is not an http(s) URL.",
        "Redirect only to http:// or https:// URLs.",
    ),
    Reason.TOO_MANY_REDIRECTS: (
        "The request was redirected more than 20 times.",
        "Break the redirect loop.",
    ),
    Reason.INVALID_REDIRECT: (
        "A redirect response carries an unusable Location '{detail}'.",
        "Send one absolute or relative http(s) URL in Location.",
    ),
    Reason.FORBIDDEN_METHOD: (
        "A page cannot send method '{detail}': fetch() throws before anything is sent.",
        None,
    ),
    Reason.MIXED_CONTENT: (
        "An https:// page cannot fetch '{detail}': the browser blocks it as mixed content before "
        "any CORS check, and nothing is sent.",
        "Serve the API over https:// (http:// is allowed only for localhost, *.localhost and 127.0.0.0/8).",
    ),
    Reason.INVALID_REQUEST: (
        "A page cannot make this request: {detail}.",
        None,
    ),
    Reason.NETWORK_ERROR: (
        "The server could not be reached: {detail}.",
        "Fix DNS, connectivity or the server itself; this is not a CORS header problem.",
    ),
    Reason.TIMEOUT: (
        "No answer before the timeout: {detail}.",
        "Check that the server is up and answering; raise --timeout for a slow server.",
    ),
    Reason.TLS_ERROR: (
        "The TLS connection failed: {detail}. A browser fails the same way, before any CORS check.",
        "Serve a certificate the browser trusts (or pass --cacert / --insecure to corsprobe).",
    ),
    Reason.INVALID_RESPONSE: (
        "The server's answer is not valid HTTP: {detail}.",
        "Fix the server's HTTP framing.",
    ),
    Reason.PROBE_FAILED: (
        "corsprobe could not complete this probe: {detail}.",
        "Report this with the -v output; the other rows are unaffected.",
    ),
    Reason.ACTUAL_NOT_SENT: (
        "{detail} can change server state, so the actual request was not sent and its "
        "response was not checked; rerun with --send-unsafe (or send_unsafe = true) to check it.",
        None,
    ),
    Reason.AUTHORIZATION_COVERED_BY_WILDCARD: (
        "'Authorization' is allowed only through 'Access-Control-Allow-Headers: *'; browsers "
        "accept this today but the Fetch Standard does not, and Chromium plans to enforce it.",
        "List 'Authorization' explicitly in Access-Control-Allow-Headers.",
    ),
    Reason.REFLECTED_ORIGIN_WITHOUT_VARY: (
        f"{_ACAO} matches the request's origin and the response has no 'Vary: Origin'; if the server "
        "chooses the value per request, caches may serve it to other origins.",
        "Add 'Vary: Origin' to every response whose CORS headers depend on the Origin.",
    ),
    Reason.CREDENTIALS_WITH_NULL_ORIGIN: (
        f"{_ACAO}: null with credentials lets any sandboxed iframe or data: page read "
        "authenticated responses.",
        "Never allow the 'null' origin together with credentials.",
    ),
    Reason.COOKIE_NOT_SENT_CROSS_SITE: (
        "Cookie '{detail}' is set without 'SameSite=None; Secure', so a browser will not send "
        "it on this cross-site credentialed request.",
        "Set the cookie with 'SameSite=None; Secure' (and serve over HTTPS).",
    ),
    Reason.SIDE_EFFECT_SIMPLE_REQUEST: (
        "This is a simple request (no preflight): the server received and executed it even "
        "though the page may not read the answer.",
        "Require a non-simple request (e.g. a JSON Content-Type or a custom header) or a CSRF "
        "token for state-changing endpoints.",
    ),
    Reason.FORBIDDEN_HEADER_DROPPED: (
        "A page cannot set header '{detail}': the browser drops it silently, so corsprobe "
        "probed without it.",
        None,
    ),
    Reason.ANY_ORIGIN_WITH_CREDENTIALS: (
        "Any origin can read this API's credentialed responses: a probe from '{detail}' (an origin nobody lists) "
        f"got its own origin back in {_ACAO} with 'Access-Control-Allow-Credentials: true'.",
        "Answer only origins from an allow-list; never reflect the Origin header with credentials.",
    ),
    Reason.LOCAL_NETWORK_ACCESS: (
        "{detail} is a local-network address: Chrome (M142+) and Firefox ask the user's permission "
        "(Local Network Access) when a public page fetches it, and an http: page cannot ask.",
        "Serve the page over https:// and expect the permission prompt, or call a public API address.",
    ),
}


def explain(reason: Reason, detail: str = "", *, origin: str = "", method: str = "",
            preflight: bool = False) -> tuple[str, str | None]:
    """The explanation sentence and the fix for ``reason``, filled in."""
    base = _BASE.get(reason, reason)
    explanation, fix = TEXTS[base]
    where = _ON_PF if preflight or base is not reason else ""
    fields = {"detail": detail, "origin": origin, "method": method, "where": where}
    return explanation.format(**fields), fix.format(**fields) if fix else None


_BASE = {twin: base for base, twin in _PREFLIGHT_TWINS.items()}
