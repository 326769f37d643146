"""Cases run from an https page (``https://app.test:P``): mixed content before any traffic,
potentially trustworthy http loopback targets, https APIs by name and by address, and
redirects that reach an http URL on a later hop; plus the insecure-* cases run from an http
page on the same name. ``case.start`` names a SecureServers start.

Templates: {http_name} is http://api.test:P2, {https_ip} https://127.0.0.1:P3 and so on
(SecureServers.starts); {http_origin} is the page origin with http instead of https.
Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import (
    ACAC,
    ACAO,
    ACEH,
    GET,
    GET_XA,
    POST_JSON,
    POST_TEXT,
    PUT_XA,
    REFLECT_ACTUAL,
    hop,
    ok,
    pf_ok,
    redirect,
    reflect_hop,
)
from tests.browser.grammar import Case, Hop, Reply, Request

GET_CRED = GET.with_credentials()
PUT_CRED = PUT_XA.with_credentials()
STAR = ok((ACAO, "*"))
NO_CORS = Hop(pf_ok(), ok())
EXPOSE = Hop(pf_ok(), ok(*REFLECT_ACTUAL, (ACEH, "X-Foo"), ("X-Foo", "1"), ("X-Bar", "2")))

# Every request kind the page can make; none of them may reach an http://api.test server.
MIXED_REQUESTS: dict[str, Request] = {
    "get": GET, "get-cred": GET_CRED, "head": Request("HEAD"), "post": POST_TEXT,
    "post-json": POST_JSON, "put": PUT_XA, "put-cred": PUT_CRED, "get-xa": GET_XA,
    "delete": Request("DELETE"),
}


def _mixed() -> list[Case]:
    cases = [Case("secure-mixed", name, request, (reflect_hop(),), "http-name")
             for name, request in MIXED_REQUESTS.items()]
    cases += [
        # Same host as the page, other scheme: still not potentially trustworthy.
        Case("secure-mixed", "apphost-get", GET, (reflect_hop(),), "http-apphost"),
        Case("secure-mixed", "apphost-put", PUT_XA, (reflect_hop(),), "http-apphost"),
    ]
    return cases


# Potentially trustworthy http targets: loopback by address or by the name localhost.
LOOPBACK_STARTS = ("http-ip", "http-localhost", "http-sublocal", "http-ip2", "http-localhost-dot")


def _loopback() -> list[Case]:
    cases: list[Case] = []
    for start in LOOPBACK_STARTS:
        short = start.removeprefix("http-")
        cases += [
            Case("secure-loopback", f"{short}-get", GET, (reflect_hop(),), start),
            Case("secure-loopback", f"{short}-put", PUT_XA, (reflect_hop(),), start),
        ]
    cases += [
        Case("secure-loopback", "ip-get-no-cors", GET, (NO_CORS,), "http-ip"),
        Case("secure-loopback", "ip-get-star", GET, (Hop(pf_ok(), STAR),), "http-ip"),
        Case("secure-loopback", "ip-get-cred", GET_CRED, (reflect_hop(),), "http-ip"),
        Case("secure-loopback", "ip-get-cred-star", GET_CRED, (Hop(pf_ok(), STAR),), "http-ip"),
        Case("secure-loopback", "ip-put-cred", PUT_CRED, (reflect_hop(),), "http-ip"),
        Case("secure-loopback", "ip-put-pf-no-cors", PUT_XA, (Hop(Reply(204), ok()),), "http-ip"),
        Case("secure-loopback", "ip-post-json", POST_JSON, (reflect_hop(),), "http-ip"),
        Case("secure-loopback", "ip-expose", GET, (EXPOSE,), "http-ip"),
        # The page's origin is https://app.test:P: the http spelling of it is another origin.
        Case("secure-loopback", "ip-acao-http-origin", GET, (Hop(pf_ok(), ok((ACAO, "{http_origin}"))),),
             "http-ip"),
        Case("secure-loopback", "ip-acao-no-port", GET, (Hop(pf_ok(), ok((ACAO, "https://app.test"))),),
             "http-ip"),
        Case("secure-loopback", "localhost-get-cred", GET_CRED, (reflect_hop(),), "http-localhost"),
        Case("secure-loopback", "localhost-no-cors", GET, (NO_CORS,), "http-localhost"),
    ]
    return cases


TLS_STARTS = ("https-name", "https-ip", "https-localhost", "https-apphost")


def _tls() -> list[Case]:
    cases: list[Case] = []
    for start in TLS_STARTS:
        short = start.removeprefix("https-")
        cases += [
            Case("secure-tls", f"{short}-get", GET, (reflect_hop(),), start),
            Case("secure-tls", f"{short}-get-no-cors", GET, (NO_CORS,), start),
            Case("secure-tls", f"{short}-put", PUT_XA, (reflect_hop(),), start),
        ]
    cases += [
        Case("secure-tls", "name-get-star", GET, (Hop(pf_ok(), STAR),), "https-name"),
        Case("secure-tls", "name-get-cred", GET_CRED, (reflect_hop(),), "https-name"),
        Case("secure-tls", "name-get-cred-star", GET_CRED, (Hop(pf_ok(), STAR),), "https-name"),
        Case("secure-tls", "name-put-cred", PUT_CRED, (reflect_hop(),), "https-name"),
        Case("secure-tls", "name-put-cred-pf-star", PUT_CRED,
             (hop(Reply(204, ((ACAO, "*"), ("Access-Control-Allow-Methods", "*"),
                               ("Access-Control-Allow-Headers", "*")), b"")),), "https-name"),
        Case("secure-tls", "name-post-json", POST_JSON, (reflect_hop(),), "https-name"),
        Case("secure-tls", "name-expose", GET, (EXPOSE,), "https-name"),
        Case("secure-tls", "name-acao-http-origin", GET, (Hop(pf_ok(), ok((ACAO, "{http_origin}"))),),
             "https-name"),
        Case("secure-tls", "apphost-put-cred", PUT_CRED, (reflect_hop(),), "https-apphost"),
        # Same origin as the page: no CORS at all.
        Case("secure-tls", "page-get", GET, (NO_CORS,), "page"),
        Case("secure-tls", "page-put", PUT_XA, (NO_CORS,), "page"),
    ]
    return cases


def _r(status: int, location: str, cors: tuple[tuple[str, str], ...] = REFLECT_ACTUAL) -> Hop:
    return Hop(pf_ok(), redirect(status, location, cors))


FINAL = reflect_hop()
NULL_FINAL = Hop(pf_ok(), ok((ACAO, "null"), (ACAC, "true")))

# name -> (start, request, hops)
CHAINS: dict[str, tuple[str, Request, tuple[Hop, ...]]] = {
    # https -> http://api.test: the hop is mixed content, after the 3xx passed CORS.
    "name-to-http-name-302": ("https-name", GET, (_r(302, "{http_name}{next}"), FINAL)),
    "name-to-http-name-301": ("https-name", GET, (_r(301, "{http_name}{next}"), FINAL)),
    "name-to-http-name-307-put": ("https-name", PUT_XA, (_r(307, "{http_name}{next}"), FINAL)),
    "name-to-http-name-303-json": ("https-name", POST_JSON, (_r(303, "{http_name}{next}"), FINAL)),
    "name-to-http-name-cred": ("https-name", GET_CRED, (_r(302, "{http_name}{next}"), FINAL)),
    "name-to-http-apphost": ("https-name", GET, (_r(302, "{http_apphost}{next}"), FINAL)),
    # Which comes first: the 3xx's CORS check, its userinfo, or mixed content?
    "name-to-http-name-no-cors": ("https-name", GET, (_r(302, "{http_name}{next}", ()), FINAL)),
    "name-to-http-name-star-cred": ("https-name", GET_CRED,
                                    (_r(302, "{http_name}{next}", ((ACAO, "*"),)), FINAL)),
    "name-to-http-name-userinfo": ("https-name", GET,
                                   (_r(302, "http://u:p@api.test:{api_port}{next}"), FINAL)),
    # The same scheme downgrade on the https server's own port: blocked before connecting.
    "name-to-http-same-port": ("https-name", GET, (_r(302, "http://api.test:{https_port}{next}"), FINAL)),
    # A redirected preflight fails as such; mixed content is never reached.
    "name-pf-to-http-name": ("https-name", PUT_XA,
                             (Hop(redirect(302, "{http_name}{next}"), FINAL.actual), FINAL)),
    # Same-origin start (no CORS on hop 0), then http.
    "page-to-http-name": ("page", GET, (Hop(pf_ok(), redirect(302, "{http_name}{next}", ())), FINAL)),
    "page-to-http-ip": ("page", GET, (Hop(pf_ok(), redirect(302, "{http_ip}{next}", ())), FINAL)),
    # Trustworthy http hops are followed (cross-origin: the origin becomes null).
    "name-to-http-ip": ("https-name", GET, (_r(302, "{http_ip}{next}"), NULL_FINAL)),
    "name-to-http-localhost-put": ("https-name", PUT_XA, (_r(307, "{http_localhost}{next}"), FINAL)),
    "name-to-http-localhost-to-http-name": (
        "https-name", GET, (_r(302, "{http_localhost}{next}"), _r(302, "{http_name}{next}"), FINAL)),
    "ip-to-http-name": ("http-ip", GET, (_r(302, "{http_name}{next}"), FINAL)),
    "ip-to-https-name": ("http-ip", GET, (_r(302, "{https_name}{next}"), NULL_FINAL)),
    "localhost-to-http-ip-cred": ("http-localhost", GET_CRED, (_r(302, "{http_ip}{next}"), FINAL)),
    # https -> https by name and by address; same-site by host, other port.
    "name-to-https-ip-301": ("https-name", GET, (_r(301, "{https_ip}{next}"), NULL_FINAL)),
    "name-same-307-put": ("https-name", PUT_XA, (_r(307, "{next}"), FINAL)),
    "apphost-to-page": ("https-apphost", GET, (_r(302, "{page}{next}"), NULL_FINAL)),
    "page-to-apphost-to-page": ("page", GET, (Hop(pf_ok(), redirect(302, "{https_apphost}{next}", ())),
                                              _r(302, "{page}{next}"), NULL_FINAL)),
}


def _redirects() -> list[Case]:
    return [Case("secure-redirect", name, request, hops, start)
            for name, (start, request, hops) in CHAINS.items()]


def secure_cases() -> list[Case]:
    cases = _mixed() + _loopback() + _tls() + _redirects()
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "duplicate secure case ids"
    return cases


# Run in their own page load with the page's address made public (Chromium only): every
# target is loopback, so Local Network Access applies to each one that is not mixed content.
LNA_STARTS = ("http-ip", "http-localhost", "http-sublocal", "https-ip", "https-localhost", "https-name",
              "http-name")


def lna_cases() -> list[Case]:
    return [Case("secure-lna", start, GET, (reflect_hop(),), start) for start in LNA_STARTS]


# From an http page (http://app.test:P, not a secure context): which requests carry
# Sec-Fetch-* (only those to potentially trustworthy URLs) and with which site.
INSECURE_CHAINS: dict[str, tuple[str, Request, tuple[Hop, ...]]] = {
    "name-get": ("http-name", GET, (reflect_hop(),)),
    "name-put": ("http-name", PUT_XA, (reflect_hop(),)),
    "name-get-cred": ("http-name", GET_CRED, (reflect_hop(),)),
    "name-no-cors": ("http-name", GET, (NO_CORS,)),
    "apphost-get": ("http-apphost", GET, (reflect_hop(),)),
    "ip-get": ("http-ip", GET, (reflect_hop(),)),
    "ip-put": ("http-ip", PUT_XA, (reflect_hop(),)),
    "localhost-get": ("http-localhost", GET, (reflect_hop(),)),
    "https-name-get": ("https-name", GET, (reflect_hop(),)),
    "https-apphost-put": ("https-apphost", PUT_XA, (reflect_hop(),)),
    "page-get": ("page", GET, (NO_CORS,)),
    "page-put": ("page", PUT_XA, (NO_CORS,)),
    "name-to-ip": ("http-name", GET, (_r(302, "{http_ip}{next}"), NULL_FINAL)),
    "ip-to-name-put": ("http-ip", PUT_XA, (_r(307, "{http_name}{next}"), NULL_FINAL)),
    "apphost-to-https-apphost": ("http-apphost", GET, (_r(302, "{https_apphost}{next}"), NULL_FINAL)),
    "page-to-https-apphost": ("page", GET, (Hop(pf_ok(), redirect(302, "{https_apphost}{next}", ())), FINAL)),
    "page-to-apphost-to-https-name": ("page", GET, (Hop(pf_ok(), redirect(302, "{http_apphost}{next}", ())),
                                                     _r(302, "{https_name}{next}"), NULL_FINAL)),
}


def insecure_cases() -> list[Case]:
    return [Case("insecure", name, request, hops, start)
            for name, (start, request, hops) in INSECURE_CHAINS.items()]
