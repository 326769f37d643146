"""The words of a finding: why it is exploitable (or not) and what to change — at header level, and in
the CORS layer's own setting when the answers show which layer it is. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsprobe.audit.codes import DESCRIPTIONS, ORIGIN_CODES, Code
from corsprobe.audit.layer import EXPRESS_CORS, FLASK_CORS, STARLETTE, TITLES
from corsprobe.audit.model import Evidence


@dataclass(frozen=True, slots=True)
class Context:
    """What a sentence about one finding may use."""

    origin: str
    how: str  # how the attacker origin was made, or the echoed value for header findings
    credentials: bool
    read: bool
    layer: str | None
    evidence: Evidence


def explanation(code: Code, context: Context) -> str:
    what = DESCRIPTIONS[code]
    what = what[0].upper() + what[1:]
    if code in ORIGIN_CODES:
        return f"{what}. {_reach(context)}"
    if code is Code.MISSING_VARY_ORIGIN:
        return (f"{what}: the answer to {context.origin} names it, other origins get another answer, and a cache "
                "(browser, CDN, proxy) keyed on the URL alone may serve one origin's answer to another.")
    if code in (Code.ACAH_REFLECTED, Code.ACAM_REFLECTED):
        return (f"{what}: a preflight from {context.origin} asking for '{context.how}' was answered with it, so the "
                "preflight restricts nothing; combined with a trusted attacker origin any request can be sent.")
    if code is Code.METHODS_BEYOND_APP:
        return (f"{what}: {context.how} (beyond the app's methods); each extra method widens what an allowed "
                "origin can do.")
    if code is Code.WILDCARD_CREDENTIALS_INVALID:
        return (f"{what}. A browser never lets a credentialed request read a '*' answer; non-credentialed reads "
                "work from every origin (public data only).")
    return f"{what}: a page on {context.origin} cannot read this URL (no Access-Control-Allow-Origin naming it)."


def _reach(context: Context) -> str:
    where = f"A page on {context.origin} ({context.how})"
    if context.credentials and context.read:
        return (f"{where} can read the response with the user's cookies: the answer names it in "
                "Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true.")
    if context.credentials:
        return (f"{where} passes a credentialed preflight, so a browser sends its requests with the user's cookies; "
                "whether it also reads the answer depends on the response to a request that carries cookies, which "
                "corsprobe does not send.")
    if context.read:
        return (f"{where} can read the response, but without credentials (no Access-Control-Allow-Credentials: "
                "true): only what the URL shows to anonymous users.")
    return f"{where} passes the preflight without credentials: only anonymous requests."


_HEADER_FIXES: dict[Code, str] = {
    Code.REFLECT_ANY_ORIGIN: "Do not echo the Origin header: answer Access-Control-Allow-Origin only for origins on an "
                             "exact allow-list (compare the whole serialized origin, e.g. a set lookup).",
    Code.NULL_ORIGIN_TRUSTED: "Remove 'null' from the allowed origins; no legitimate app page has the origin 'null'.",
    Code.SUFFIX_MATCH: "Compare whole origins; to allow subdomains, require the host to equal the domain or end with "
                       "'.' + the domain (the dot included), and check the scheme.",
    Code.PREFIX_MATCH: "Compare whole origins (equality, or a regex anchored at both ends), not a 'starts with'.",
    Code.SUBSTRING_CONTAINS: "Compare whole origins (equality), not 'contains'.",
    Code.SUBSTRING_OF_ALLOWLIST: "Split the allow-list into a set of origins and test membership; never search the "
                                 "Origin in the list's string (indexOf/includes/in on a string).",
    Code.UNESCAPED_DOT: "Escape every '.' in the origin regex ('\\.') and anchor it at both ends.",
    Code.ANY_SUBDOMAIN_TRUSTED: "List the subdomains that host the app instead of allowing every subdomain.",
    Code.HTTP_ORIGIN_TRUSTED: "Allow only the https origins; a page served over plain http can be rewritten by "
                              "anyone on the network path.",
    Code.SPECIAL_CHAR_BYPASS: "Compare whole origins (or parse the origin and compare the host exactly); a boundary "
                              "check by character class misses host characters browsers accept.",
    Code.LOCALHOST_TRUSTED: "Allow localhost / 127.0.0.1 origins only in development configurations, not here.",
    Code.PORT_NOT_VALIDATED: "Compare the whole origin, port included (parse it, do not compare the host alone).",
    Code.THIRD_PARTY_TRUSTED: "Remove origins of shared hosting and code playgrounds; anyone can publish a page there.",
    Code.WILDCARD_CREDENTIALS_INVALID: "Send either '*' without Access-Control-Allow-Credentials (public data) or the "
                                       "exact allowed origin with credentials; '*' with credentials never works.",
    Code.MISSING_VARY_ORIGIN: "Add 'Vary: Origin' to every response whose Access-Control-Allow-Origin depends on the "
                              "request's Origin (also to answers that omit it).",
    Code.ACAH_REFLECTED: "Answer Access-Control-Allow-Headers with the fixed list of headers the app sends.",
    Code.ACAM_REFLECTED: "Answer Access-Control-Allow-Methods with the fixed list of methods the app uses.",
    Code.METHODS_BEYOND_APP: "List only the methods the app uses in Access-Control-Allow-Methods.",
    Code.APP_ORIGIN_NOT_ALLOWED: "Check the --app-origin value (scheme://host[:port]); if it is right, allow it.",
}

_REGEX_CODES = frozenset({Code.SUFFIX_MATCH, Code.PREFIX_MATCH, Code.SUBSTRING_CONTAINS, Code.UNESCAPED_DOT,
                          Code.ANY_SUBDOMAIN_TRUSTED, Code.SPECIAL_CHAR_BYPASS, Code.PORT_NOT_VALIDATED})
_LIST_CODES = frozenset({Code.NULL_ORIGIN_TRUSTED, Code.HTTP_ORIGIN_TRUSTED, Code.LOCALHOST_TRUSTED,
                         Code.THIRD_PARTY_TRUSTED, Code.SUBSTRING_OF_ALLOWLIST})


def fix(code: Code, context: Context) -> str:
    header = _HEADER_FIXES[code]
    own = _layer_fix(code, context)
    return f"{TITLES[context.layer]}: {own}" if own and context.layer else header


def _layer_fix(code: Code, context: Context) -> str | None:
    layer, origin = context.layer, context.origin
    if layer == STARLETTE:
        if code is Code.REFLECT_ANY_ORIGIN:
            return ("`allow_origins=['*']` with `allow_credentials=True` (or an `allow_origin_regex` matching every "
                    "origin) reflects every origin; list the app origins in `allow_origins`.")
        if code in _REGEX_CODES:
            return ("`allow_origin_regex` is full-matched; escape every dot and name the hosts, e.g. "
                    "r\"https://(app|admin)\\.example\\.com\", or list exact origins in `allow_origins`.")
        if code in _LIST_CODES:
            return f"remove {origin!r} from `allow_origins` (and from any `allow_origin_regex`)."
        if code is Code.ACAH_REFLECTED:
            return "`allow_headers=['*']` mirrors every requested header; list the headers the app sends."
        if code is Code.WILDCARD_CREDENTIALS_INVALID:
            return "`allow_origins=['*']` with `allow_credentials=True`: list the app origins in `allow_origins`."
        if code is Code.METHODS_BEYOND_APP:
            return "list only the app's methods in `allow_methods` (`['*']` allows seven)."
    if layer == FLASK_CORS:
        if code is Code.REFLECT_ANY_ORIGIN:
            return ("`CORS(app, supports_credentials=True)` with the default `origins='*'` reflects every origin; "
                    "pass `origins=[...]`.")
        if code in _REGEX_CODES or code in _LIST_CODES:
            return (f"`origins` entries are regexes when they contain regex characters; list exact origins and "
                    f"drop {origin!r}.")
        if code is Code.ACAH_REFLECTED:
            return "the default `allow_headers='*'` mirrors every requested header; pass `allow_headers=[...]`."
    if layer == EXPRESS_CORS:
        if code is Code.REFLECT_ANY_ORIGIN:
            return "`origin: true` (or a callback that always allows) reflects every origin; pass `origin: [...]`."
        if code is Code.ACAH_REFLECTED:
            return "without `allowedHeaders` the request's headers are mirrored; set `allowedHeaders: [...]`."
        if code in _REGEX_CODES or code in _LIST_CODES:
            return f"make `origin` an array of exact origin strings (RegExps anchored and escaped) without {origin!r}."
    return None
