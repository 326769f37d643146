"""Firefox and Safari console texts, each with its source and what it must give.

Firefox: FF = mozilla/gecko-dev@5f378c92 dom/locales/en-US/chrome/security/security.properties (key named per
entry); placeholders as filled by netwerk/protocol/http/nsCORSListenerProxy.cpp (@258754e5).
Safari: WK-ACL = WebKit/WebKit@00f03c1f Source/WebCore/loader/CrossOriginAccessControl.cpp, WK-PFC = same commit
CrossOriginPreflightResultCache.cpp, WK-NLC = @00d0126a Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp,
WK-TL = @00c17452 Source/WebCore/loader/ThreadableLoader.cpp ("Fetch API cannot load").
"""

from __future__ import annotations

from tests.paste.expect import Expect

U = "https://api.example.com/v1/items"
O = "http://localhost:3000"  # noqa: E741
B = f"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {U}. (Reason: "


def _f(id: str, reason_text: str, reason: str | None, key: str, tail: str = "", text: str = "",
       **fields: object) -> Expect:
    values: dict[str, object] = {"kind": "firefox-console", "url": U, "origin": None, "method": "GET",
                                 "headers": (), "credentials": None}
    values.update(fields)
    text = text or f"{B}{reason_text}).{tail}"
    return Expect(id, text, reason=reason, source=f"FF {key}", **values)  # type: ignore[arg-type]


FIREFOX: list[Expect] = [
    _f("ff-missing", "CORS header \u2018Access-Control-Allow-Origin\u2019 missing", "missing_allow_origin_header",
       "CORSMissingAllowOrigin2", " Status code: 404."),
    _f("ff-missing-plain", "CORS header 'Access-Control-Allow-Origin' missing", "missing_allow_origin_header",
       "CORSMissingAllowOrigin2 (retyped with plain quotes)", " Status code: 200."),
    _f("ff-mismatch", "CORS header \u2018Access-Control-Allow-Origin\u2019 does not match \u2018https://x.example\u2019",
       "allow_origin_mismatch", "CORSAllowOriginNotMatchingOrigin"),
    _f("ff-multiple", "Multiple CORS header \u2018Access-Control-Allow-Origin\u2019 not allowed",
       "multiple_allow_origin_values", "CORSMultipleAllowOriginNotAllowed"),
    _f("ff-wildcard", "", "wildcard_origin_not_allowed", "CORSNotSupportingCredentials (URL quoted)",
       credentials="include", text="Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote "
       f"resource at \u2018{U}\u2019. (Reason: Credential is not supported if the CORS header "
       "\u2018Access-Control-Allow-Origin\u2019 is \u2018*\u2019)."),
    _f("ff-acac", "expected \u2018true\u2019 in CORS header \u2018Access-Control-Allow-Credentials\u2019",
       "invalid_allow_credentials", "CORSMissingAllowCredentials", credentials="include"),
    _f("ff-status", "CORS preflight response did not succeed", "preflight_invalid_status",
       "CORSPreflightDidNotSucceed3", " Status code: 405."),
    _f("ff-redirect", "CORS request external redirect not allowed", "preflight_disallowed_redirect",
       "CORSExternalRedirectNotAllowed"),
    _f("ff-method", "Did not find method in CORS header \u2018Access-Control-Allow-Methods\u2019",
       "method_disallowed_by_preflight_response", "CORSMethodNotFound"),
    _f("ff-acam-token", "invalid token \u2018P UT\u2019 in CORS header \u2018Access-Control-Allow-Methods\u2019",
       "invalid_allow_methods_preflight_response", "CORSInvalidAllowMethod"),
    _f("ff-acah-token", "invalid token \u2018x y\u2019 in CORS header \u2018Access-Control-Allow-Headers\u2019",
       "invalid_allow_headers_preflight_response", "CORSInvalidAllowHeader"),
    _f("ff-header", "header \u2018x-token\u2019 is not allowed according to header "
       "\u2018Access-Control-Allow-Headers\u2019 from CORS preflight response",
       "header_disallowed_by_preflight_response", "CORSMissingAllowHeaderFromPreflight2", headers=("x-token",)),
    _f("ff-not-http", "CORS request not http", "cors_disabled_scheme", "CORSRequestNotHttp"),
    _f("ff-did-not-succeed", "CORS request did not succeed", "network_error", "CORSDidNotSucceed2",
       " Status code: (null)."),
    _f("ff-disabled", "CORS disabled", None, "CORSDisabled"),
    _f("ff-noise", "", "preflight_invalid_status", "CORSPreflightDidNotSucceed3 then CORSDidNotSucceed2 for the same "
       "request, with the console's timestamps, [Learn More] and the promise rejection: one probe",
       text=f"12:01:33.517 {B}CORS preflight response did not succeed). Status code: 404. [Learn More]\n"
       f"12:01:33.518 {B}CORS request did not succeed). Status code: (null). [Learn More]\n"
       "12:01:33.520 TypeError: NetworkError when attempting to fetch resource. app.js:12:9"),
    _f("ff-two", "", "missing_allow_origin_header", "two requests in one paste: two probes", count=2,
       text=f"{B}CORS header \u2018Access-Control-Allow-Origin\u2019 missing). Status code: 200.\n"
       f"{B.replace(U, U + '/2')}CORS header \u2018Access-Control-Allow-Origin\u2019 missing). Status code: 200."),
]


def _s(id: str, text: str, reason: str | None, source: str, **fields: object) -> Expect:
    values: dict[str, object] = {"kind": "safari-console", "url": U, "origin": O, "method": "GET", "headers": (),
                                 "credentials": None}
    values.update(fields)
    return Expect(id, text, reason=reason, source=source, **values)  # type: ignore[arg-type]


LOAD = f"Fetch API cannot load {U} due to access control checks."
SAFARI: list[Expect] = [
    _s("wk-origin-three", f"[Error] Origin {O} is not allowed by Access-Control-Allow-Origin. Status code: 200\n"
       f"[Error] {LOAD}\n[Error] Failed to load resource: Origin {O} is not allowed by Access-Control-Allow-Origin. "
       "Status code: 200 (items, line 0)", "missing_allow_origin_header",
       "WK-ACL passesAccessControlCheck + WK-TL wrapper + Failed to load resource: three lines, one probe"),
    _s("wk-origin-old", f"Origin {O} is not allowed by Access-Control-Allow-Origin.\n"
       f"XMLHttpRequest cannot load {U} due to access control checks.", "missing_allow_origin_header",
       "WK-ACL (older WebKit without Status code) + XHR wrapper"),
    _s("wk-wildcard", f"[Error] Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.\n"
       f"[Error] {LOAD}", "wildcard_origin_not_allowed", "WK-ACL", origin=None, credentials="include"),
    _s("wk-multiple", f"Access-Control-Allow-Origin cannot contain more than one origin.\n{LOAD}",
       "multiple_allow_origin_values", "WK-ACL", origin=None),
    _s("wk-acac", f"Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".\n{LOAD}",
       "invalid_allow_credentials", "WK-ACL", origin=None, credentials="include"),
    _s("wk-status", f"[Error] Preflight response is not successful. Status code: 403\n[Error] {LOAD}",
       "preflight_invalid_status", "WK-ACL validatePreflightResponse", origin=None),
    _s("wk-status-inline", f"Fetch API cannot load {U}. Preflight response is not successful",
       "preflight_invalid_status", "WK-TL older inline form", origin=None),
    _s("wk-acam", f"Header Access-Control-Allow-Methods has an invalid value: P UT\n{LOAD}",
       "invalid_allow_methods_preflight_response", "WK-PFC", origin=None),
    _s("wk-acah", f"Header Access-Control-Allow-Headers has an invalid value: x y\n{LOAD}",
       "invalid_allow_headers_preflight_response", "WK-PFC", origin=None),
    _s("wk-method", f"Method DELETE is not allowed by Access-Control-Allow-Methods.\n{LOAD}",
       "method_disallowed_by_preflight_response", "WK-PFC", origin=None, method="DELETE"),
    _s("wk-header", f"Request header field X-Token is not allowed by Access-Control-Allow-Headers.\n{LOAD}",
       "header_disallowed_by_preflight_response", "WK-PFC (name as the page wrote it)", origin=None,
       headers=("X-Token",)),
    _s("wk-redirect", f"Cross-origin redirection to https://cdn.example.com/x denied by Cross-Origin Resource Sharing "
       f"policy: Origin {O} is not allowed by Access-Control-Allow-Origin. Status code: 200\n{LOAD}",
       "missing_allow_origin_header", "WK-NLC checkRedirection"),
    _s("wk-redirect-scheme", "Cross-origin redirection to ftp://x.example/ denied by Cross-Origin Resource Sharing "
       f"policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme\n{LOAD}",
       "cors_disabled_scheme", "WK-NLC", origin=None),
    _s("wk-generic", f"[Error] {LOAD}\nTypeError: Load failed", None, "WK-TL with no reason", origin=None),
    _s("wk-two", f"Origin {O} is not allowed by Access-Control-Allow-Origin. Status code: 404\n{LOAD}\n"
       f"Origin {O} is not allowed by Access-Control-Allow-Origin. Status code: 500\n"
       f"Fetch API cannot load {U}/2 due to access control checks.", "missing_allow_origin_header",
       "two requests' line pairs: two probes", count=2),
]
