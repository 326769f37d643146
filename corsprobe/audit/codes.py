"""Audit finding codes (a contract: codes are only added) and severities. Pure values."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """What is wrong with a URL's CORS policy. Each value is documented in ``DESCRIPTIONS``."""

    REFLECT_ANY_ORIGIN = "reflect_any_origin"
    NULL_ORIGIN_TRUSTED = "null_origin_trusted"
    SUFFIX_MATCH = "suffix_match"
    PREFIX_MATCH = "prefix_match"
    SUBSTRING_CONTAINS = "substring_contains"
    SUBSTRING_OF_ALLOWLIST = "substring_of_allowlist"
    UNESCAPED_DOT = "unescaped_dot"
    ANY_SUBDOMAIN_TRUSTED = "any_subdomain_trusted"
    HTTP_ORIGIN_TRUSTED = "http_origin_trusted"
    SPECIAL_CHAR_BYPASS = "special_char_bypass"
    LOCALHOST_TRUSTED = "localhost_trusted"
    PORT_NOT_VALIDATED = "port_not_validated"
    THIRD_PARTY_TRUSTED = "third_party_trusted"
    WILDCARD_CREDENTIALS_INVALID = "wildcard_credentials_invalid"
    MISSING_VARY_ORIGIN = "missing_vary_origin"
    ACAH_REFLECTED = "acah_reflected"
    ACAM_REFLECTED = "acam_reflected"
    # corsprobe's additions (documented in the README like the others):
    METHODS_BEYOND_APP = "methods_beyond_app"
    APP_ORIGIN_NOT_ALLOWED = "app_origin_not_allowed"


class Severity(StrEnum):
    """How bad a finding is, by exploitability; ordered from ``info`` to ``critical``."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


#: Codes whose attacker origin is sent as the Origin header (the rest are about headers of any answer).
ORIGIN_CODES = frozenset({
    Code.REFLECT_ANY_ORIGIN, Code.NULL_ORIGIN_TRUSTED, Code.SUFFIX_MATCH, Code.PREFIX_MATCH,
    Code.SUBSTRING_CONTAINS, Code.SUBSTRING_OF_ALLOWLIST, Code.UNESCAPED_DOT, Code.ANY_SUBDOMAIN_TRUSTED,
    Code.HTTP_ORIGIN_TRUSTED, Code.SPECIAL_CHAR_BYPASS, Code.LOCALHOST_TRUSTED, Code.PORT_NOT_VALIDATED,
    Code.THIRD_PARTY_TRUSTED,
})

#: Severity of an origin class when a page on that origin can read credentialed answers. Critical: anyone
#: can get such an origin today (register a domain, open a sandboxed iframe, publish on a shared host).
#: High: it needs a foothold (a subdomain, the network path, a browser quirk). Medium: it needs code on the
#: user's machine or another service on the app's own host. Without credentials every class is ``low``.
CREDENTIALED_SEVERITY: dict[Code, Severity] = {
    Code.REFLECT_ANY_ORIGIN: Severity.CRITICAL,
    Code.NULL_ORIGIN_TRUSTED: Severity.CRITICAL,
    Code.SUFFIX_MATCH: Severity.CRITICAL,
    Code.PREFIX_MATCH: Severity.CRITICAL,
    Code.SUBSTRING_CONTAINS: Severity.CRITICAL,
    Code.SUBSTRING_OF_ALLOWLIST: Severity.CRITICAL,
    Code.UNESCAPED_DOT: Severity.CRITICAL,
    Code.THIRD_PARTY_TRUSTED: Severity.CRITICAL,
    Code.ANY_SUBDOMAIN_TRUSTED: Severity.HIGH,
    Code.HTTP_ORIGIN_TRUSTED: Severity.HIGH,
    Code.SPECIAL_CHAR_BYPASS: Severity.HIGH,
    Code.LOCALHOST_TRUSTED: Severity.MEDIUM,
    Code.PORT_NOT_VALIDATED: Severity.MEDIUM,
}

#: Severity of the codes that do not depend on an attacker origin.
FIXED_SEVERITY: dict[Code, Severity] = {
    Code.WILDCARD_CREDENTIALS_INVALID: Severity.INFO,
    Code.MISSING_VARY_ORIGIN: Severity.LOW,
    Code.ACAH_REFLECTED: Severity.LOW,
    Code.ACAM_REFLECTED: Severity.LOW,
    Code.METHODS_BEYOND_APP: Severity.INFO,
    Code.APP_ORIGIN_NOT_ALLOWED: Severity.INFO,
}

#: One line per code: what the server does (used by every renderer and the README).
DESCRIPTIONS: dict[Code, str] = {
    Code.REFLECT_ANY_ORIGIN: "the server echoes any Origin into Access-Control-Allow-Origin",
    Code.NULL_ORIGIN_TRUSTED: "the server allows the origin 'null' (sandboxed iframes, data: and file: pages)",
    Code.SUFFIX_MATCH: "the origin check is an 'ends with' without a dot boundary (evil-example.com passes)",
    Code.PREFIX_MATCH: "the origin check is a 'starts with' (https://app.example.com.evil.net passes)",
    Code.SUBSTRING_CONTAINS: "the origin check is a 'contains' (any origin containing the domain passes)",
    Code.SUBSTRING_OF_ALLOWLIST: "the origin is looked up as a substring of the allow-list string (indexOf)",
    Code.UNESCAPED_DOT: "an origin regex has an unescaped '.', so any character stands in for a dot",
    Code.ANY_SUBDOMAIN_TRUSTED: "every subdomain of the site is allowed (one XSS or takeover reads the API)",
    Code.HTTP_ORIGIN_TRUSTED: "the plain-http twin of an https app origin is allowed (a network attacker owns it)",
    Code.SPECIAL_CHAR_BYPASS: "host names with characters browsers allow (Safari: '`', '}') pass the check",
    Code.LOCALHOST_TRUSTED: "localhost / 127.0.0.1 development origins are allowed in this deployment",
    Code.PORT_NOT_VALIDATED: "the app's host on another port is allowed (the check ignores the port)",
    Code.THIRD_PARTY_TRUSTED: "an origin anyone can publish on (github.io, codepen, jsfiddle, ...) is allowed",
    Code.WILDCARD_CREDENTIALS_INVALID: "'*' with Allow-Credentials: true (browsers refuse it: broken, not exploitable)",
    Code.MISSING_VARY_ORIGIN: "Allow-Origin depends on the Origin but the response has no 'Vary: Origin'",
    Code.ACAH_REFLECTED: "the preflight echoes Access-Control-Request-Headers (any request header allowed)",
    Code.ACAM_REFLECTED: "the preflight echoes Access-Control-Request-Method (any method allowed)",
    Code.METHODS_BEYOND_APP: "Allow-Methods lists methods the app does not use",
    Code.APP_ORIGIN_NOT_ALLOWED: "an --app-origin cannot read the URL (a typo, or CORS is not set up here)",
}
