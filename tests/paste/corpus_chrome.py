"""Chrome/Edge console texts, each with the source it was taken from and what it must give.

Sources (see /work/shared/console-messages.md §0):
NEW = cinagroup/CinaBrowser@b3278698 third_party/blink/renderer/platform/loader/cors/cors_error_string.cc
      (2026 Chromium tree, GetErrorStringForConsoleMessage);
MID = benji-cannot-code/fast-vc-chromium-benchmark-run-4@02fa3f27, same path (2025, PNA + LNA);
OLD = chromium/chromium@5b83ed46, same path (≈2019-2022: long no-cors hint, Access-Control-Allow-External);
LEGACY = mirror/chromium third_party/WebKit/Source/platform/exported/WebCORS.cpp (≈M63-M66).
"""

# ruff: noqa: E501  (verbatim browser texts are kept on readable lines)
from __future__ import annotations

from tests.paste.expect import Expect

U = "https://api.example.com/v1/items"
O = "https://app.example.com"  # noqa: E741
F = f"Access to fetch at '{U}' from origin '{O}' has been blocked by CORS policy: "
X = f"Access to XMLHttpRequest at '{U}' from origin '{O}' has been blocked by CORS policy: "
PF = "Response to preflight request doesn't pass access control check: "
NO_CORS_NEW = " Have the server send the header with a valid value."
NO_CORS_OLD = (" Have the server send the header with a valid value, or, if an opaque response serves your needs, set "
               "the request's mode to 'no-cors' to fetch the resource with CORS disabled.")
XHR_CRED = " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
WILDCARD = ("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when "
            "the request's credentials mode is 'include'.")
MISSING = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
ACAC = ("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when "
        "the request's credentials mode is 'include'.")


def _e(id: str, text: str, reason: str | None, source: str, **fields: object) -> Expect:
    defaults: dict[str, object] = {"kind": "chrome-console", "url": U, "origin": O, "method": "GET", "headers": (),
                                   "credentials": None}
    defaults.update(fields)
    return Expect(id, text, reason=reason, source=source, **defaults)  # type: ignore[arg-type]


CHROME: list[Expect] = [
    _e("cr-missing", F + MISSING, "missing_allow_origin_header", "NEW kMissingAllowOriginHeader"),
    _e("cr-missing-old", F + MISSING + " If an opaque response serves your needs, set the request's mode to 'no-cors' "
       "to fetch the resource with CORS disabled.", "missing_allow_origin_header", "OLD kMissingAllowOriginHeader (fetch)"),
    _e("cr-pf-missing", F + PF + MISSING, "preflight_missing_allow_origin_header", "NEW kPreflightMissingAllowOriginHeader"),
    _e("cr-multiple", F + "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, "
       "https://app.example.com', but only one is allowed." + NO_CORS_NEW, "multiple_allow_origin_values",
       "NEW kMultipleAllowOriginValues (fetch)"),
    _e("cr-pf-multiple-old", F + PF + "The 'Access-Control-Allow-Origin' header contains multiple values '*, *', but "
       "only one is allowed." + NO_CORS_OLD, "preflight_multiple_allow_origin_values",
       "OLD kPreflightMultipleAllowOriginValues"),
    _e("cr-invalid", F + "The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'."
       + NO_CORS_NEW, "invalid_allow_origin_value", "NEW kInvalidAllowOriginValue"),
    _e("cr-pf-invalid", F + PF + "The 'Access-Control-Allow-Origin' header contains the invalid value ''.",
       "preflight_invalid_allow_origin_value", "NEW kPreflightInvalidAllowOriginValue (XHR-free)"),
    _e("cr-mismatch", F + "The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not "
       "equal to the supplied origin." + NO_CORS_NEW, "allow_origin_mismatch", "NEW kAllowOriginMismatch"),
    _e("cr-pf-mismatch-hint", F + PF + "The 'Access-Control-Allow-Origin' header has a value 'https://caf\\u00E9.example'"
       " that is not equal to the supplied origin.", "preflight_allow_origin_mismatch",
       "NEW kPreflightAllowOriginMismatch with an EncodeHint \\uXXXX escape"),
    _e("cr-wildcard", F + WILDCARD, "wildcard_origin_not_allowed", "NEW kWildcardOriginNotAllowed",
       credentials="include"),
    _e("cr-pf-wildcard-xhr", X + PF + WILDCARD + XHR_CRED, "preflight_wildcard_origin_not_allowed",
       "NEW kPreflightWildcardOriginNotAllowed (XMLHttpRequest)", credentials="include"),
    _e("cr-acac", F + ACAC, "invalid_allow_credentials", "NEW kInvalidAllowCredentials", credentials="include"),
    _e("cr-pf-acac-xhr", X + PF + ACAC + XHR_CRED, "preflight_invalid_allow_credentials",
       "NEW kPreflightInvalidAllowCredentials (XMLHttpRequest)", credentials="include"),
    _e("cr-scheme", f"Access to fetch at 'ftp://files.example.com/a' from origin '{O}' has been blocked by CORS policy: "
       "Cross origin requests are only supported for protocol schemes: http, data, isolated-app, chrome-extension, "
       "chrome, https, chrome-untrusted.", "cors_disabled_scheme", "NEW kCorsDisabledScheme",
       url="ftp://files.example.com/a"),
    _e("cr-status", F + PF + "It does not have HTTP ok status.", "preflight_invalid_status",
       "NEW kPreflightInvalidStatus"),
    _e("cr-pf-redirect", F + PF + "Redirect is not allowed for a preflight request.", "preflight_disallowed_redirect",
       "NEW kPreflightDisallowedRedirect"),
    _e("cr-acam-parse", F + "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
       "invalid_allow_methods_preflight_response", "NEW kInvalidAllowMethodsPreflightResponse"),
    _e("cr-acah-parse", F + "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
       "invalid_allow_headers_preflight_response", "NEW kInvalidAllowHeadersPreflightResponse"),
    _e("cr-method", F + "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
       "method_disallowed_by_preflight_response", "NEW kMethodDisallowedByPreflightResponse", method="PUT"),
    _e("cr-method-lower", F + "Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
       "method_disallowed_by_preflight_response", "NEW kMethodDisallowedByPreflightResponse (as written)",
       method="patch"),
    _e("cr-header", F + "Request header field x-my-header is not allowed by Access-Control-Allow-Headers in preflight "
       "response.", "header_disallowed_by_preflight_response",
       "NEW kHeaderDisallowedByPreflightResponse; lower-cased per services/network/cors/preflight_result.cc",
       headers=("x-my-header",)),
    _e("cr-userinfo", F + "Redirect location 'https://user:pw@api.example.com/v2' contains a username and password, "
       "which is disallowed for cross-origin requests.", "redirect_contains_credentials",
       "NEW kRedirectContainsCredentials"),
    _e("cr-redirected", f"Access to fetch at 'https://cdn.example.com/x' (redirected from '{U}') from origin '{O}' has "
       "been blocked by CORS policy: " + MISSING, "missing_allow_origin_header",
       "NEW frame with (redirected from '…'): the probe starts at the first URL"),
    _e("cr-lna-denied", F + "Permission was denied for this request to access the `loopback` address space.",
       "local_network_access", "NEW kLocalNetworkAccessPermissionDenied"),
    _e("cr-lna-insecure", F + "The request client is not a secure context and the resource is in more-private address "
       "space `local`.", "local_network_access", "NEW kInsecureLocalNetwork"),
    _e("cr-lna-invalid", F + "Request had a target IP address space of `public` yet the resource is in address space "
       "`loopback`.", "local_network_access", "NEW kInvalidLocalNetworkAccess"),
    _e("cr-pna-missing", F + PF + "No 'Access-Control-Allow-Private-Network' header was present in the preflight "
       "response for this private network request targeting the `private` address space.", "local_network_access",
       "MID kPreflightMissingAllowPrivateNetwork"),
    _e("cr-external-old", F + PF + "No 'Access-Control-Allow-External' header was present in the preflight response for "
       "this external request (This is an experimental header which is defined in "
       "'https://wicg.github.io/cors-rfc1918/').", "local_network_access", "OLD kPreflightMissingAllowExternal"),
    _e("cr-invalid-response", F + "The response is invalid.", "invalid_response", "NEW kInvalidResponse"),
    _e("cr-mode", F + "Cross origin requests are not allowed by request mode.", None, "NEW kDisallowedByMode"),
    _e("cr-script", f"Access to script at '{U}' from origin '{O}' has been blocked by CORS policy: " + MISSING,
       "missing_allow_origin_header", "NEW frame, ResourceTypeToString 'Script' lower-cased"),
    _e("cr-font", f"Access to font at '{U}' from origin '{O}' has been blocked by CORS policy: " + MISSING,
       "missing_allow_origin_header", "NEW frame, ResourceTypeToString 'Font'"),
    _e("cr-legacy-missing", f"Failed to load {U}: Response to preflight request doesn't pass access control check: "
       f"No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin '{O}' is therefore not "
       "allowed access. The response had HTTP status code 403.", "preflight_missing_allow_origin_header",
       "LEGACY AccessControlErrorString in the M64-M69 'Failed to load' frame"),
    _e("cr-legacy-xhr", f"XMLHttpRequest cannot load {U}. The 'Access-Control-Allow-Origin' header has a value "
       f"'https://x.example' that is not equal to the supplied origin. Origin '{O}' is therefore not allowed access.",
       "allow_origin_mismatch", "LEGACY 'XMLHttpRequest cannot load' frame"),
    _e("cr-legacy-status", f"Failed to load {U}: Response for preflight has invalid HTTP status code 405",
       "preflight_invalid_status", "LEGACY PreflightErrorString", origin=None),
    # Noise as users paste it.
    _e("cr-noise", f"index.html:1 {F}{PF}{MISSING}\nindex.html:57     PUT {U} net::ERR_FAILED\n"
       "Uncaught (in promise) TypeError: Failed to fetch\n    at save (app.js:57:3)\n    at HTMLButtonElement.<anonymous> "
       "(app.js:80:9)", "preflight_missing_allow_origin_header",
       "NEW frame + DevTools network line (method) + promise rejection + stack", method="PUT"),
    _e("cr-noise-status", f"{F}{MISSING}\napp.js:3 \n        \n       POST {U} net::ERR_FAILED 200 (OK)\n"
       "(anonymous) @ app.js:3", "missing_allow_origin_header", "network line with status after the message",
       method="POST"),
    _e("cr-redirected-network", f"Access to fetch at 'https://cdn.example.com/x' (redirected from '{U}') from origin "
       f"'{O}' has been blocked by CORS policy: {MISSING}\nDELETE {U} net::ERR_FAILED 302 (Found)",
       "missing_allow_origin_header", "redirected + network line on the first URL", method="DELETE"),
]
