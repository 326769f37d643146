"""WebKit's CORS console messages (``CONSOLE SECURITY ERROR …`` lines that WebKitGTK writes to
stdout), keyed by case id, and which corsprobe reason codes each names.

WebKit logs the failure (CrossOriginAccessControl.cpp, CrossOriginPreflightChecker.cpp,
DocumentThreadableLoader.cpp) as one SECURITY ERROR line, then ``CONSOLE JS ERROR Fetch API
cannot load <url> due to access control checks.`` naming the request; the pair is what ties
a message to its case. WebKit names fewer failures than Chromium ("Origin … is not allowed by
Access-Control-Allow-Origin" covers a missing, mismatching and invalid value, and it does not
say whether the preflight failed), so reasons are compared at WebKit's granularity. Safari
prints the same texts (they come from WebCore, shared by every WebKit port).
Pure string handling; no I/O.
"""

from __future__ import annotations

import re

from corsprobe.reasons import Reason
from tests.browser.grammar import parse_path

_R = Reason
_SECURITY = "CONSOLE SECURITY ERROR "
_FETCH = re.compile(r"CONSOLE JS ERROR Fetch API cannot load (?P<url>\S+?) due to access control checks\.")
_REDIRECT = re.compile(r"^Cross-origin redirection to .*? denied by Cross-Origin Resource Sharing policy: (?P<why>.*)$")

# (category, pattern of the message text, the corsprobe reasons it names)
PATTERNS: tuple[tuple[str, str, frozenset[Reason]], ...] = (
    ("AllowOriginNotAllowed", r"^Origin \S+ is not allowed by Access-Control-Allow-Origin\. Status code: \d+$",
     frozenset({_R.MISSING_ALLOW_ORIGIN_HEADER, _R.ALLOW_ORIGIN_MISMATCH, _R.INVALID_ALLOW_ORIGIN_VALUE})),
    ("MultipleAllowOrigin", r"^Access-Control-Allow-Origin cannot contain more than one origin\.$",
     frozenset({_R.MULTIPLE_ALLOW_ORIGIN_VALUES})),
    ("WildcardWithCredentials",
     r"^Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\.$",
     frozenset({_R.WILDCARD_ORIGIN_NOT_ALLOWED})),
    ("AllowCredentialsNotTrue",
     r"^Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"\.$",
     frozenset({_R.INVALID_ALLOW_CREDENTIALS})),
    ("PreflightNotSuccessful", r"^Preflight response is not successful\. Status code: \d+$",
     frozenset({_R.PREFLIGHT_INVALID_STATUS, _R.PREFLIGHT_DISALLOWED_REDIRECT})),
    ("MethodNotAllowed", r"^Method \S+ is not allowed by Access-Control-Allow-Methods\.$",
     frozenset({_R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE})),
    ("HeaderNotAllowed", r"^Request header field \S+ is not allowed by Access-Control-Allow-Headers\.$",
     frozenset({_R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE})),
    ("InvalidAllowMethods", r"^Header Access-Control-Allow-Methods has an invalid value: ",
     frozenset({_R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE})),
    ("InvalidAllowHeaders", r"^Header Access-Control-Allow-Headers has an invalid value: ",
     frozenset({_R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE})),
    ("RedirectWithCredentials", r"^redirection URL \S+ has credentials$",
     frozenset({_R.REDIRECT_CONTAINS_CREDENTIALS})),
    ("RedirectNonCorsScheme", r"^not allowed to follow a cross-origin CORS redirection with non CORS scheme$",
     frozenset({_R.CORS_DISABLED_SCHEME, _R.INVALID_REDIRECT})),
    ("TooManyRedirects", r"^Load cannot follow more than 20 redirections$", frozenset({_R.TOO_MANY_REDIRECTS})),
    ("FtpDisabled", r"^FTP URLs are disabled$", frozenset({_R.INVALID_REDIRECT})),
    # Network errors (libsoup's wording), not CORS verdicts.
    ("NetworkError", r"^(Could not parse HTTP response|Connection terminated unexpectedly|Message Corrupt"
     r"|Header too big|Unrecognized HTTP response encoding)",
     frozenset({_R.NETWORK_ERROR, _R.INVALID_RESPONSE})),
)
CATEGORIES: dict[str, frozenset[Reason]] = {category: reasons for category, _, reasons in PATTERNS}
# Labels the suite records for failures that are not CORS failures.
NOT_CORS_CATEGORIES = frozenset({"NetworkError"})


def messages_by_case(log: str) -> dict[str, str]:
    """Case id -> the SECURITY ERROR text WebKit logged for its browser-pass request (the line
    right before the "Fetch API cannot load <url>" line naming the case)."""
    found: dict[str, str] = {}
    last: str | None = None
    for line in log.splitlines():
        if line.startswith(_SECURITY):
            last = line[len(_SECURITY):]
            continue
        match = _FETCH.search(line)
        if match is None:
            continue
        url = match.group("url")
        parsed = parse_path("/" + url.split("/", 3)[3]) if url.count("/") >= 3 else None
        if parsed is not None and last is not None:
            found.setdefault(parsed[0], last)
        last = None
    return found


def classify(text: str) -> str:
    """The category of one message text (a redirect's inner reason counts); 'unknown: …' if none."""
    redirect = _REDIRECT.match(text)
    inner = redirect.group("why") if redirect else text
    for category, pattern, _ in PATTERNS:
        if re.search(pattern, inner):
            return category
    return f"unknown: {text}"


def reason_label(text: str | None) -> str | None:
    """What the suite records as WebKit's reason: the category, None for no CORS error."""
    if text is None:
        return None
    category = classify(text)
    return None if category in NOT_CORS_CATEGORIES else category


def agree(webkit: str | None, corsprobe: str | None) -> bool:
    """Does corsprobe's reason code name the failure WebKit's category names?"""
    if webkit is None or corsprobe is None:
        return webkit == corsprobe
    reasons = CATEGORIES.get(webkit, frozenset())
    return any(corsprobe in (reason.value, reason.preflight_variant.value) for reason in reasons)
