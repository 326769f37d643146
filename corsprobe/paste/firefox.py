"""Firefox console CORS errors ("Cross-Origin Request Blocked: …").

Templates: ``dom/locales/en-US/chrome/security/security.properties`` (mozilla/gecko-dev@5f378c92)
and which placeholder ``netwerk/protocol/http/nsCORSListenerProxy.cpp`` fills (@258754e5); see
``/work/shared/console-messages.md`` §2. Firefox never names the page origin or the method.
Pure string handling; no I/O.
"""

from __future__ import annotations

import re

from corsprobe.model import Credentials
from corsprobe.paste.item import Found, Kind, Pasted, lines, placeholder
from corsprobe.reasons import Reason

_Q = "[\u2018\u2019'\"`]"  # Firefox writes typographic quotes; users retype them
_MESSAGE = re.compile(
    r"Cross-Origin Request (?P<level>Blocked|Warning): The Same Origin Policy (?:disallows|will disallow) reading "
    rf"the remote resource at {_Q}?(?P<url>[a-z][a-z0-9+.-]*:\S+?){_Q}?\.? (?:soon\. )?\(Reason: (?P<reason>.+?)\)"
    r"(?:\. Status code: (?P<status>[^.\s]+))?\.?(?:\s|$)")

_R = Reason
# (pattern on the Reason text, security.properties key, reason, credentials include, hint is a header)
REASONS: tuple[tuple[str, str, Reason | None, bool, bool], ...] = (
    (r"^CORS disabled$", "CORSDisabled", None, False, False),
    (r"^CORS request did not succeed$", "CORSDidNotSucceed2", _R.NETWORK_ERROR, False, False),
    (rf"^CORS header {_Q}Origin{_Q} cannot be added$", "CORSOriginHeaderNotAdded", None, False, False),
    (r"^CORS request external redirect not allowed$", "CORSExternalRedirectNotAllowed",
     _R.PREFLIGHT_DISALLOWED_REDIRECT, False, False),
    (r"^CORS request not http$", "CORSRequestNotHttp", _R.CORS_DISABLED_SCHEME, False, False),
    (rf"^CORS header {_Q}Access-Control-Allow-Origin{_Q} missing$", "CORSMissingAllowOrigin2",
     _R.MISSING_ALLOW_ORIGIN_HEADER, False, False),
    (rf"^Multiple CORS header {_Q}Access-Control-Allow-Origin{_Q} not allowed$", "CORSMultipleAllowOriginNotAllowed",
     _R.MULTIPLE_ALLOW_ORIGIN_VALUES, False, False),
    (rf"^CORS header {_Q}Access-Control-Allow-Origin{_Q} does not match {_Q}(?P<hint>.*){_Q}$",
     "CORSAllowOriginNotMatchingOrigin", _R.ALLOW_ORIGIN_MISMATCH, False, False),
    (rf"^Credential is not supported if the CORS header {_Q}Access-Control-Allow-Origin{_Q} is {_Q}\*{_Q}$",
     "CORSNotSupportingCredentials", _R.WILDCARD_ORIGIN_NOT_ALLOWED, True, False),
    (rf"^Did not find method in CORS header {_Q}Access-Control-Allow-Methods{_Q}$", "CORSMethodNotFound",
     _R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, False, False),
    (rf"^expected {_Q}true{_Q} in CORS header {_Q}Access-Control-Allow-Credentials{_Q}$",
     "CORSMissingAllowCredentials", _R.INVALID_ALLOW_CREDENTIALS, True, False),
    (r"^CORS preflight response did not succeed$", "CORSPreflightDidNotSucceed3", _R.PREFLIGHT_INVALID_STATUS,
     False, False),
    (rf"^invalid token {_Q}(?P<hint>.*){_Q} in CORS header {_Q}Access-Control-Allow-Methods{_Q}$",
     "CORSInvalidAllowMethod", _R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, False, False),
    (rf"^invalid token {_Q}(?P<hint>.*){_Q} in CORS header {_Q}Access-Control-Allow-Headers{_Q}$",
     "CORSInvalidAllowHeader", _R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, False, False),
    (rf"^header {_Q}(?P<hint>.*){_Q} is not allowed according to header {_Q}Access-Control-Allow-Headers{_Q}",
     "CORSMissingAllowHeaderFromPreflight2", _R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, False, True),
    (r"^When the `Access-Control-Allow-Headers` is `\*`, the `Authorization` header is not covered",
     "CORSAllowHeaderFromPreflightDeprecation", _R.AUTHORIZATION_COVERED_BY_WILDCARD, False, False),
)
_COMPILED = tuple((re.compile(p), key, reason, include, header) for p, key, reason, include, header in REASONS)
# Reasons that prove a preflight was sent.
_PREFLIGHT = frozenset({"CORSExternalRedirectNotAllowed", "CORSMethodNotFound", "CORSPreflightDidNotSucceed3",
                        "CORSInvalidAllowMethod", "CORSInvalidAllowHeader", "CORSMissingAllowHeaderFromPreflight2"})


def parse(text: str) -> list[Found]:
    found = []
    for number, line in enumerate(lines(text)):
        for match in _MESSAGE.finditer(line):
            found.append(Found(number, _item(match)))
    return found


def _item(match: re.Match[str]) -> Pasted:
    url, text, status = match.group("url"), match.group("reason"), match.group("status")
    for pattern, key, reason, include, header in _COMPILED:
        hit = pattern.search(text)
        if hit is None:
            continue
        hint = hit.group("hint") if "hint" in hit.groupdict() else ""
        headers = ((hint, placeholder(hint)),) if header and hint else ()
        notes = [f"Firefox {key}"]
        if status and status != "(null)":
            notes.append(f"browser saw status {status}")
        if key in _PREFLIGHT and key != "CORSMethodNotFound":
            notes.append("Firefox reports a preflight: the request had a non-safelisted method or header")
        if key == "CORSMethodNotFound":
            notes.append("Firefox does not name the method: pass --method")
        return Pasted(Kind.FIREFOX, url, None, "GET", headers, Credentials.INCLUDE if include else None, reason,
                      browser_text=f"{key}: {text}" + (f" (status {status})" if status else ""),
                      failed=match.group("level") == "Blocked", unknown=("origin", "method", "headers"),
                      notes=tuple(notes))
    return Pasted(Kind.FIREFOX, url, None, browser_text=text, unknown=("origin", "method", "headers"),
                  notes=(f"unrecognised Firefox reason: {text[:80]}",))
