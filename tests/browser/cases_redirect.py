"""Redirects of the actual request (CORS on every 3xx, method rewriting, origin taint, re-sent
preflights, userinfo, schemes, limits) and Access-Control-Expose-Headers.

Chains are hop lists; {next} is the next hop's path on whichever origin the Location names.
Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import (
    ACAC,
    ACAO,
    ACEH,
    GET,
    POST_JSON,
    POST_TEXT,
    PUT_XA,
    REFLECT_ACTUAL,
    ok,
    pf_ok,
    redirect,
    reflect_hop,
)
from tests.browser.grammar import Case, Hop, Lines, Reply, Request

KINDS: dict[str, Request] = {
    "get": GET, "get-cred": GET.with_credentials(), "post": POST_TEXT,
    "post-cred": POST_TEXT.with_credentials(), "put": PUT_XA,
    "auth": Request("POST", (("Authorization", "Bearer t"),), "x"), "json": POST_JSON,
}


def _r(status: int, location: str = "{next}", cors: Lines = REFLECT_ACTUAL) -> Hop:
    return Hop(pf_ok(), redirect(status, location, cors))


FINAL = reflect_hop()
_API2_NEXT = "{api2}{next}"

CHAINS: dict[str, tuple[Hop, ...]] = {
    **{f"same-{s}": (_r(s), FINAL) for s in (301, 302, 303, 307, 308)},
    **{f"cross-{s}": (_r(s, _API2_NEXT), FINAL) for s in (301, 302, 303, 307, 308)},
    "same-302-no-cors": (_r(302, cors=()), FINAL),
    "same-302-star": (_r(302, cors=((ACAO, "*"),)), FINAL),
    "same-302-origin-no-acac": (_r(302, cors=((ACAO, "{origin}"),)), FINAL),
    "cross-302-origin-acao": (_r(302, _API2_NEXT), Hop(pf_ok(), ok((ACAO, "{origin}"), (ACAC, "true")))),
    "cross-302-star": (_r(302, _API2_NEXT), Hop(pf_ok(), ok((ACAO, "*"), (ACAC, "true")))),
    "cross-302-null": (_r(302, _API2_NEXT), Hop(pf_ok(), ok((ACAO, "null"), (ACAC, "true")))),
    "cross-307-pf-origin": (_r(307, _API2_NEXT),
                            Hop(Reply(204, ((ACAO, "{origin}"), (ACAC, "true"),
                                            ("Access-Control-Allow-Methods", "?{acrm}"),
                                            ("Access-Control-Allow-Headers", "?{acrh}")), b""),
                                FINAL.actual)),
    "to-page": (_r(302, "{page}{next}"), FINAL),
    "cross-and-back": (_r(302, _API2_NEXT), _r(302, "{api}{next}"), FINAL),
    "three-hops": (_r(301), _r(307), _r(308, _API2_NEXT), FINAL),
    "hop1-pf-refused": (_r(307), Hop(Reply(403), FINAL.actual)),
    "hop1-no-cors": (_r(307), Hop(pf_ok(), ok())),
    "userinfo-same": (_r(302, "http://u:p@127.0.0.1:{api_port}{next}"), FINAL),
    "userinfo-cross": (_r(302, "http://u:p@127.0.0.1:{api2_port}{next}"), FINAL),
    "userinfo-user-only": (_r(302, "http://u@127.0.0.1:{api_port}{next}"), FINAL),
    "no-location": (Hop(pf_ok(), ok(*REFLECT_ACTUAL, status=302)),),
    "no-location-no-cors": (Hop(pf_ok(), ok(status=302)),),
    "status-300": (_r(300), FINAL),
    "status-304": (Hop(pf_ok(), ok(*REFLECT_ACTUAL, status=304)),),
    "relative": (_r(302, "1"), FINAL),
    "query": (_r(302, "{next}?q=1"), FINAL),
    "fragment": (_r(302, "{next}#frag"), FINAL),
    "padded-location": (_r(302, "  {next}  "), FINAL),
    "two-locations-same": (Hop(pf_ok(), Reply(302, (*REFLECT_ACTUAL, ("Location", "{next}"),
                                                    ("Location", "{next}")), b"")), FINAL),
    "scheme-ftp": (_r(302, "ftp://127.0.0.1/x"),),
    "scheme-data": (_r(302, "data:text/plain,hi"),),
    "invalid-location": (_r(302, "http://[bad/"),),
    "space-in-host": (_r(302, "http://exa mple.test/"),),
    "bad-port": (_r(302, "http://127.0.0.1:99999/"),),
    "scheme-file": (_r(302, "file:///etc/hostname"),),
    "scheme-about": (_r(302, "about:blank"),),
    "scheme-javascript": (_r(302, "javascript:1"),),
    "scheme-ws": (_r(302, "ws://127.0.0.1:{api_port}{next}"),),
    "scheme-upper": (_r(302, "HTTP://127.0.0.1:{api_port}{next}"), FINAL),
    "empty-location": (Hop(pf_ok(), Reply(302, (*REFLECT_ACTUAL, ("Location", "")), b"")), FINAL),
    "backslash": (_r(302, "\\\\127.0.0.1:{api_port}{next}"), FINAL),
    "aceh-on-3xx": (Hop(pf_ok(), redirect(302, cors=(*REFLECT_ACTUAL, (ACEH, "X-Foo"), ("X-Foo", "1")))),
                    Hop(pf_ok(), ok(*REFLECT_ACTUAL, ("X-Foo", "2")))),
    "limit-20": (*(_r(302) for _ in range(20)), FINAL),
    "limit-21": (*(_r(302) for _ in range(21)), FINAL),
    # Which comes first for a bad 3xx: its CORS check or the redirect's own validity?
    "limit-21-last-no-cors": (*(_r(302) for _ in range(20)), _r(302, cors=()), FINAL),
    "invalid-location-no-cors": (_r(302, "http://[bad/", cors=()),),
    "bad-port-no-cors": (_r(302, "http://127.0.0.1:99999/", cors=()),),
    "scheme-data-no-cors": (_r(302, "data:text/plain,hi", cors=()),),
    "scheme-file-no-cors": (_r(302, "file:///etc/hostname", cors=()),),
    "scheme-ftp-no-cors": (_r(302, "ftp://127.0.0.1/x", cors=()),),
    "scheme-about-no-cors": (_r(302, "about:blank", cors=()),),
    "scheme-javascript-no-cors": (_r(302, "javascript:1", cors=()),),
    "scheme-ws-no-cors": (_r(302, "ws://127.0.0.1:{api_port}{next}", cors=()),),
    "userinfo-no-cors": (_r(302, "http://u:p@127.0.0.1:{api_port}{next}", cors=()), FINAL),
    "userinfo-star": (_r(302, "http://u:p@127.0.0.1:{api_port}{next}", cors=((ACAO, "*"),)), FINAL),
}
# Chains that only need a couple of request kinds.
_NARROW = {"limit-20", "limit-21", "scheme-ftp", "scheme-data", "invalid-location", "status-304",
           "space-in-host", "bad-port", "scheme-file", "scheme-about", "scheme-javascript", "scheme-ws",
           "scheme-upper", "empty-location", "backslash", "limit-21-last-no-cors",
           "invalid-location-no-cors", "bad-port-no-cors", "scheme-data-no-cors", "scheme-file-no-cors",
           "scheme-ftp-no-cors", "scheme-about-no-cors", "scheme-javascript-no-cors", "scheme-ws-no-cors",
           "two-locations-same", "padded-location", "query", "fragment", "relative"}

EXPOSED_RESPONSE: Lines = (
    ("X-Foo", "1"), ("X-Bar", "2"), ("Set-Cookie", "a=b"), ("Cache-Control", "no-cache"),
    ("Content-Type", "text/plain"), ("Content-Language", "en"), ("Expires", "0"),
    ("Last-Modified", "Tue, 01 Jan 2030 00:00:00 GMT"), ("Pragma", "no-cache"), ("ETag", '"e"'),
    ("Server", "raw"), ("Set-Cookie2", "c=d"), ("Vary", "Origin"),
)
EXPOSE: dict[str, Lines] = {
    "absent": (), "one": ((ACEH, "X-Foo"),), "lower": ((ACEH, "x-foo"),), "upper": ((ACEH, "X-FOO"),),
    "star": ((ACEH, "*"),), "star-and-name": ((ACEH, "*, X-Foo"),), "name-and-star": ((ACEH, "X-Foo, *"),),
    "set-cookie": ((ACEH, "Set-Cookie, Set-Cookie2"),), "set-cookie-and-name": ((ACEH, "Set-Cookie, X-Foo"),),
    "space-list": ((ACEH, "X-Foo X-Bar"),), "semicolon": ((ACEH, "X-Foo;"),), "quoted": ((ACEH, '"X-Foo"'),),
    "empty-item": ((ACEH, "X-Foo,,X-Bar"),), "two-lines": ((ACEH, "X-Foo"), (ACEH, "X-Bar")),
    "padded": ((ACEH, "  X-Foo ,\tX-Bar  "),), "one-invalid": ((ACEH, "X-Foo, bad header"),),
    "empty": ((ACEH, ""),), "duplicate": ((ACEH, "X-Foo, X-Foo"),), "etag": ((ACEH, "ETag, Server"),),
    "safelisted": ((ACEH, "Content-Length, Cache-Control"),), "connection": ((ACEH, "Connection"),),
    "at-sign": ((ACEH, "X-Foo, @"),), "acao-itself": ((ACEH, "Access-Control-Allow-Origin"),),
    "star-two-lines": ((ACEH, "X-Foo"), (ACEH, "*")), "unknown-name": ((ACEH, "X-Missing"),),
}


def redirect_cases() -> list[Case]:
    cases = []
    for chain, hops in CHAINS.items():
        kinds = ("get", "put") if chain in _NARROW else tuple(KINDS)
        for kind in kinds:
            cases.append(Case("redirect", f"{kind}-{chain}", KINDS[kind], hops))
    return cases


def expose_cases() -> list[Case]:
    cases = []
    for name, lines in EXPOSE.items():
        hops = (Hop(pf_ok(*lines), ok(*REFLECT_ACTUAL, *EXPOSED_RESPONSE, *lines)),)
        cases.append(Case("expose", name, GET, hops))
        cases.append(Case("expose-cred", name, GET.with_credentials(), hops))
        cases.append(Case("expose-put", name, PUT_XA, hops))
    only_preflight = (Hop(pf_ok((ACEH, "X-Foo")), ok(*REFLECT_ACTUAL, *EXPOSED_RESPONSE)),)
    cases.append(Case("expose", "preflight-only", PUT_XA, only_preflight))
    return cases
