"""Client-request side of the grammar: which requests need a preflight and what it carries
(methods, safelisted headers and values, 128/1024-byte rules, forbidden headers).

Each request runs against a permissive server (compares ACRM/ACRH) and against a server that
refuses every preflight (the verdict reveals whether one was needed). Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import REFLECT_ACTUAL
from tests.browser.grammar import Case, Hop, Reply, Request

A128 = "a" * 128
ONES = "1" * 128
CT128 = "text/plain;a=" + "b" * 115


def _get(*headers: tuple[str, str]) -> Request:
    return Request("GET", tuple(headers))


def _post(*headers: tuple[str, str]) -> Request:
    return Request("POST", tuple(headers), body="x")


def _ct(value: str) -> Request:
    return _post(("Content-Type", value))


METHODS = {
    "get": Request("GET"), "get-mixed": Request("gEt"), "head": Request("HEAD"),
    "head-lower": Request("head"), "post": Request("POST", body="x"),
    "post-lower": Request("post", body="x"), "put": Request("PUT", body="x"),
    "put-lower": Request("put", body="x"), "delete": Request("DELETE"),
    "delete-lower": Request("delete"), "patch-lower": Request("patch", body="x"),
    "patch-upper": Request("PATCH", body="x"), "options": Request("OPTIONS"),
    "options-lower": Request("options"), "custom": Request("FOO"), "custom-mixed": Request("Foo"),
    "custom-dash": Request("M-SEARCH"), "propfind": Request("PROPFIND"),
}

ACCEPT = {
    "accept-json": _get(("Accept", "application/json")),
    "accept-list": _get(("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.8")),
    "accept-quote": _get(("Accept", '"x"')),
    "accept-paren": _get(("Accept", "text/(x)")),
    "accept-brace": _get(("Accept", "a{b}")),
    "accept-at": _get(("Accept", "a@b")),
    "accept-colon": _get(("Accept", "a:b")),
    "accept-ctl": _get(("Accept", "a\x01b")),
    "accept-del": _get(("Accept", "a\x7fb")),
    "accept-tab": _get(("Accept", "a\tb")),
    "accept-latin1": _get(("Accept", "text/\xe9")),
    "accept-128": _get(("Accept", A128)),
    "accept-129": _get(("Accept", A128 + "a")),
    "al-ok": _get(("Accept-Language", "en-US,en;q=0.9")),
    "al-underscore": _get(("Accept-Language", "en_US")),
    "al-colon": _get(("Accept-Language", "x:y")),
    "al-slash": _get(("Accept-Language", "en/us")),
    "al-128": _get(("Accept-Language", A128)),
    "al-129": _get(("Accept-Language", A128 + "a")),
    "cl-ok": _get(("Content-Language", "de-DE")),
    "cl-paren": _get(("Content-Language", "de(DE)")),
    "cl-star": _get(("Content-Language", "*")),
}

CONTENT_TYPES = {
    "ct-default": _post(),
    "ct-plain": _ct("text/plain"),
    "ct-upper": _ct("TEXT/PLAIN"),
    "ct-mixed-params": _ct("Text/Plain;Charset=UTF-8"),
    "ct-space-param": _ct("text/plain; charset=utf-8"),
    "ct-quoted-param": _ct('text/plain;charset="utf-8"'),
    "ct-two-params": _ct("text/plain;charset=utf-8;x=y"),
    "ct-form": _ct("application/x-www-form-urlencoded"),
    "ct-multipart": _ct("multipart/form-data; boundary=abc"),
    "ct-multipart-quoted": _ct('multipart/form-data; boundary="abc"'),
    "ct-json": _ct("application/json"),
    "ct-html": _ct("text/html"),
    "ct-csp-report": _ct("application/csp-report"),
    "ct-space-before-semi": _ct("text/plain ;charset=utf-8"),
    "ct-tab-before-semi": _ct("text/plain\t;charset=utf-8"),
    "ct-trailing-semi": _ct("text/plain;"),
    "ct-double-semi": _ct("text/plain;;"),
    "ct-param-no-value": _ct("text/plain;charset"),
    "ct-param-eq-eq": _ct("text/plain;a=b=c"),
    "ct-param-paren": _ct("text/plain;a=(b)"),
    "ct-space-in-type": _ct("text /plain"),
    "ct-space-after-slash": _ct("text/ plain"),
    "ct-suffix": _ct("text/plainx"),
    "ct-no-subtype": _ct("text/"),
    "ct-no-type": _ct("/plain"),
    "ct-two-slashes": _ct("text/plain/x"),
    "ct-no-slash": _ct("textplain"),
    "ct-star": _ct("*/*"),
    "ct-comma-list": _ct("text/plain,application/json"),
    "ct-comma-safe": _ct("text/plain, text/plain"),
    "ct-appended-twice": _post(("Content-Type", "text/plain"), ("Content-Type", "text/plain")),
    "ct-leading-space": _ct("  text/plain"),
    "ct-128": _ct(CT128),
    "ct-129": _ct(CT128 + "b"),
    "ct-comma-in-param": _ct("text/plain;a=b,c"),
    "ct-spaces-around-eq": _ct("text/plain; charset = utf-8"),
    "ct-empty-param-name": _ct("text/plain;=x"),
    "ct-empty-param-value": _ct("text/plain;a="),
    "ct-latin1-param": _ct("text/plain;a=\xe9"),
    "ct-form-charset": _ct("application/x-www-form-urlencoded;charset=UTF-8"),
    "ct-multipart-bare": _ct("multipart/form-data"),
    "ct-space-param-before-semi": _ct("text/plain ; charset=utf-8 ;"),
    "ct-tab-in-type": _ct("text\t/plain"),
    "ct-param-then-semi": _ct("text/plain;a=b;"),
    "ct-latin1-type": _ct("text/pl\xe1in"),
    "ct-get": _get(("Content-Type", "text/plain")),
    "ct-get-json": _get(("Content-Type", "application/json")),
}

RANGES = {
    "range-open": _get(("Range", "bytes=0-")),
    "range-closed": _get(("Range", "bytes=0-99")),
    "range-equal": _get(("Range", "bytes=1-1")),
    "range-reversed": _get(("Range", "bytes=5-1")),
    "range-suffix": _get(("Range", "bytes=-5")),
    "range-list": _get(("Range", "bytes=0-1,3-4")),
    "range-spaces": _get(("Range", "bytes = 0-")),
    "range-upper": _get(("Range", "BYTES=0-")),
    "range-items": _get(("Range", "items=0-1")),
    "range-leading-zero": _get(("Range", "bytes=00-")),
    "range-huge": _get(("Range", "bytes=99999999999999999999-")),
    "range-int64": _get(("Range", "bytes=9223372036854775807-")),
    "range-int64-minus": _get(("Range", "bytes=9223372036854775806-")),
    "range-int64-plus": _get(("Range", "bytes=9223372036854775808-")),
    "range-end-huge": _get(("Range", "bytes=0-99999999999999999999")),
    "range-space-end": _get(("Range", "bytes=0- 1")),
}

HINTS = {
    "dpr": _get(("DPR", "2")), "dpr-decimal": _get(("DPR", "2.5")), "dpr-bad": _get(("DPR", "abc")),
    "dpr-dot-first": _get(("DPR", ".5")), "dpr-dot-last": _get(("DPR", "2.")),
    "device-memory": _get(("Device-Memory", "8")), "device-memory-bad": _get(("Device-Memory", "x")),
    "width": _get(("Width", "100")), "width-decimal": _get(("Width", "1.5")),
    "viewport-width": _get(("Viewport-Width", "800")),
    "viewport-width-bad": _get(("Viewport-Width", "x")),
    "save-data-on": _get(("Save-Data", "on")), "save-data-upper": _get(("Save-Data", "ON")),
    "save-data-off": _get(("Save-Data", "off")),
    "rtt": _get(("RTT", "50")), "rtt-bad": _get(("RTT", "x")), "downlink": _get(("Downlink", "1.5")),
    "ect": _get(("ECT", "4g")), "ect-slow": _get(("ECT", "slow-2g")), "ect-5g": _get(("ECT", "5g")),
    "ect-upper": _get(("ECT", "4G")), "downlink-bad": _get(("Downlink", "fast")),
    "lang": _get(("Lang", "en")), "intervention": _get(("Intervention", "x")),
}

UNSAFE = {
    "x-requested-with": _get(("X-Requested-With", "XMLHttpRequest")),
    "authorization": _get(("Authorization", "Bearer t")),
    "cache-control": _get(("Cache-Control", "no-cache")),
    "pragma": _get(("Pragma", "no-cache")),
    "if-none-match": _get(("If-None-Match", "abc")),
    "last-event-id": _get(("Last-Event-ID", "1")),
    "content-encoding": _post(("Content-Encoding", "gzip")),
    "sorted": _post(("X-Z", "1"), ("x-a", "1"), ("Authorization", "t"), ("Content-Type", "application/json")),
    "sorted-case": _get(("X-B", "1"), ("x-a", "1"), ("X-C", "1")),
    "duplicate-name": _get(("X-A", "1"), ("X-A", "2")),
    "duplicate-case": _get(("X-A", "1"), ("x-a", "2")),
    "safe-and-unsafe": _get(("Accept", "application/json"), ("X-A", "1")),
    "override-put": _get(("X-HTTP-Method-Override", "PUT")),
}

FORBIDDEN = {
    "cookie": _get(("Cookie", "a=b")), "origin": _get(("Origin", "http://evil.example")),
    "sec-custom": _get(("Sec-Foo", "1")), "sec-fetch-mode": _get(("Sec-Fetch-Mode", "no-cors")),
    "proxy-custom": _get(("Proxy-Foo", "1")), "referer": _get(("Referer", "http://x.example/")),
    "host": _get(("Host", "x.example")), "override-trace": _get(("X-HTTP-Method-Override", "TRACE")),
    "override-list": _get(("X-Method-Override", "GET, CONNECT")),
    "content-length": _post(("Content-Length", "1")), "connection": _get(("Connection", "close")),
    "keep-alive": _get(("Keep-Alive", "1")), "dnt": _get(("DNT", "1")),
    "date": _get(("Date", "Tue, 1 Jan 2030 00:00:00 GMT")), "accept-charset": _get(("Accept-Charset", "x")),
    "via": _get(("Via", "1.1 x")), "te": _get(("TE", "trailers")), "expect": _get(("Expect", "x")),
    "forbidden-and-unsafe": _get(("Cookie", "a=b"), ("X-A", "1")),
}

TOTALS = {
    "total-1024": _get(("Accept", A128), ("Accept-Language", A128), ("Content-Language", A128),
                       ("Content-Type", CT128), ("DPR", ONES), ("Device-Memory", ONES),
                       ("Width", ONES), ("Viewport-Width", ONES)),
    "total-1025": _get(("Accept", A128), ("Accept-Language", A128), ("Content-Language", A128),
                       ("Content-Type", CT128), ("DPR", ONES), ("Device-Memory", ONES),
                       ("Width", ONES), ("Viewport-Width", ONES), ("Save-Data", "on")),
    "total-1025-unsafe": _get(("Accept", A128), ("Accept-Language", A128), ("Content-Language", A128),
                              ("Content-Type", CT128), ("DPR", ONES), ("Device-Memory", ONES),
                              ("Width", ONES), ("Viewport-Width", ONES), ("Range", "bytes=0-"),
                              ("X-A", "1")),
    "total-spec-names": _get(("Accept", A128), ("Accept-Language", A128), ("Content-Language", A128),
                             ("Content-Type", CT128), ("Range", "bytes=0-")),
}

REQUESTS = {**METHODS, **ACCEPT, **CONTENT_TYPES, **RANGES, **HINTS, **UNSAFE, **FORBIDDEN, **TOTALS}
CREDENTIALED = ("get", "put", "patch-lower", "ct-json", "authorization", "sorted", "cookie",
                "total-1025", "range-open", "dpr")

PERMISSIVE = (Hop(Reply(204, (("Access-Control-Allow-Origin", "{echo}"),
                              ("Access-Control-Allow-Credentials", "true"),
                              ("Access-Control-Allow-Methods", "?{acrm}"),
                              ("Access-Control-Allow-Headers", "?{acrh}")), b""),
                  Reply(200, REFLECT_ACTUAL)),)
NO_PREFLIGHT = (Hop(Reply(403, (), b"no"), Reply(200, REFLECT_ACTUAL)),)


def need_cases() -> list[Case]:
    cases = []
    for name, request in REQUESTS.items():
        cases.append(Case("pf-need", name, request, PERMISSIVE))
        cases.append(Case("pf-need-refused", name, request, NO_PREFLIGHT))
    for name in CREDENTIALED:
        cases.append(Case("pf-need-cred", name, REQUESTS[name].with_credentials(), PERMISSIVE))
    return cases
