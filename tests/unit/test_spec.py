"""Table-driven tests of corsprobe.browser.spec: methods, forbidden and safelisted request headers,
the CORS-unsafe name list, token lists and origin serialization.

Expectations come from the rule book (Fetch Standard + Chromium), never from spec's constants.
"""

from __future__ import annotations

import pytest

from corsprobe.browser import origins, spec
from corsprobe.browser.profiles import CHROMIUM


def rows(*cases: tuple[object, ...]) -> list[object]:
    """pytest params whose id is the first element of each case."""
    return [pytest.param(*case[1:], id=str(case[0])) for case in cases]


@pytest.mark.parametrize(("method", "expected"), rows(
    ("get", "get", "GET"), ("Get", "Get", "GET"), ("head", "head", "HEAD"), ("post", "post", "POST"),
    ("put", "put", "PUT"), ("delete", "delete", "DELETE"), ("options", "oPtIoNs", "OPTIONS"),
    ("patch-stays-lower", "patch", "patch"), ("PATCH-stays", "PATCH", "PATCH"),
    ("Patch-stays-mixed", "Patch", "Patch"), ("custom-kept", "purge", "purge"),
))
def test_normalize_method(method: str, expected: str) -> None:
    assert spec.normalize_method(method) == expected


@pytest.mark.parametrize(("method", "forbidden"), rows(
    ("CONNECT", "CONNECT", True), ("connect", "connect", True), ("Trace", "Trace", True),
    ("TRACK", "TRACK", True), ("PATCH", "PATCH", False), ("GET", "GET", False),
    ("TRACES", "TRACES", False), ("OPTIONS", "OPTIONS", False),
))
def test_forbidden_method(method: str, forbidden: bool) -> None:
    assert spec.is_forbidden_method(method) is forbidden


# Rule book §1.1.3, written out here so a change to spec's list is caught.
FORBIDDEN_NAMES = (
    "Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers",
    "Access-Control-Request-Method", "Connection", "Content-Length", "Cookie", "Cookie2", "Date",
    "DNT", "Expect", "Host", "Keep-Alive", "Origin", "Referer", "Set-Cookie", "TE", "Trailer",
    "Transfer-Encoding", "Upgrade", "Via",
)


@pytest.mark.parametrize("name", [*FORBIDDEN_NAMES, *(n.lower() for n in FORBIDDEN_NAMES)])
def test_forbidden_request_header_list(name: str) -> None:
    assert spec.is_forbidden_request_header(name, "x")


@pytest.mark.parametrize(("name", "value", "forbidden"), rows(
    ("sec-fetch-mode", "Sec-Fetch-Mode", "no-cors", True), ("sec-custom", "sec-foo", "1", True),
    ("proxy-authorization", "Proxy-Authorization", "x", True), ("proxy-custom", "proxy-x", "1", True),
    ("proxy-without-dash", "Proxy", "1", False), ("secret-not-sec-", "Secret", "1", False),
    ("x-sec-", "X-Sec-Thing", "1", False),
    ("override-TRACE", "X-HTTP-Method-Override", "TRACE", True),
    ("override-PATCH", "X-HTTP-Method-Override", "PATCH", False),
    ("override-list-with-connect", "X-HTTP-Method", "GET, connect", True),
    ("override-spaced-track", "X-Method-Override", " track ", True),
    ("override-TRACES", "X-HTTP-Method-Override", "TRACES", False),
    ("override-other-header", "X-Override", "TRACE", False),
    ("authorization", "Authorization", "Bearer t", False),
    ("x-requested-with", "X-Requested-With", "XMLHttpRequest", False),
))
def test_forbidden_request_header(name: str, value: str, forbidden: bool) -> None:
    assert spec.is_forbidden_request_header(name, value) is forbidden


def pad(prefix: str, size: int, fill: str = "a") -> str:
    return prefix + fill * (size - len(prefix))


@pytest.mark.parametrize(("name", "value", "safelisted"), rows(
    ("accept-any", "Accept", "*/*", True),
    ("accept-list", "Accept", "application/json, text/plain;q=0.9", True),
    ("accept-tab", "Accept", "a\tb", True),
    *((f"accept-unsafe-{hex(ord(c))}", "Accept", f"a{c}b", False) for c in '"():<>?@[\\]{}\x7f\x01\x1f'),
    ("accept-128", "Accept", pad("", 128), True), ("accept-129", "Accept", pad("", 129), False),
    ("accept-language-list", "Accept-Language", "en-US,en;q=0.9", True),
    ("accept-language-star", "Accept-Language", "*", True),
    ("accept-language-underscore", "Accept-Language", "en_US", False),
    ("accept-language-colon", "Accept-Language", "zh-Hant:x", False),
    ("accept-language-quote", "Accept-Language", '"en"', False),
    ("accept-language-slash", "Accept-Language", "de/en", False),
    ("content-language", "Content-Language", "de-DE", True),
    ("content-language-at", "Content-Language", "de@x", False),
    ("ct-text-plain", "Content-Type", "text/plain", True),
    ("ct-upper", "Content-Type", "TEXT/PLAIN", True),
    ("ct-charset", "Content-Type", "text/plain;charset=UTF-8", True),
    ("ct-form", "Content-Type", "application/x-www-form-urlencoded", True),
    ("ct-multipart-boundary", "Content-Type", "multipart/form-data; boundary=abc", True),
    ("ct-multipart-quoted", "Content-Type", 'multipart/form-data; boundary="abc"', False),
    ("ct-space-before-params", "Content-Type", "text/plain ;charset=x", True),
    ("ct-space-before-slash", "Content-Type", "text /plain", False),
    ("ct-space-after-slash", "Content-Type", "text/ plain", False),
    ("ct-two-values", "Content-Type", "text/plain, text/plain", False),
    ("ct-json", "Content-Type", "application/json", False),
    ("ct-html", "Content-Type", "text/html", False),
    ("ct-no-subtype", "Content-Type", "text", False),
    ("ct-three-parts", "Content-Type", "text/plain/x", False),
    ("ct-csp-report", "Content-Type", "application/csp-report", False),
    ("ct-128", "Content-Type", pad("text/plain;x=", 128), True),
    ("ct-129", "Content-Type", pad("text/plain;x=", 129), False),
    ("range-open", "Range", "bytes=0-", True), ("range-closed", "Range", "bytes=0-499", True),
    ("range-single-byte", "Range", "bytes=0-0", True),
    ("range-suffix", "Range", "bytes=-500", False), ("range-list", "Range", "bytes=0-1,5-6", False),
    ("range-space", "Range", "bytes=0- 1", False), ("range-space-eq", "Range", "bytes = 0-1", False),
    ("range-reversed", "Range", "bytes=5-2", False), ("range-unit", "Range", "items=0-1", False),
    ("dpr-int", "DPR", "2", True), ("dpr-double", "DPR", "1.5", True), ("dpr-word", "DPR", "abc", False),
    ("dpr-empty", "DPR", "", False), ("dpr-trailing-dot", "DPR", "2.", False),
    ("width", "Width", "100", True), ("width-word", "Width", "wide", False),
    ("width-negative", "Width", "-1", False), ("viewport-width", "Viewport-Width", "1280", True),
    ("device-memory", "Device-Memory", "0.5", True),
    ("save-data-on", "Save-Data", "on", True), ("save-data-ON", "Save-Data", "ON", True),
    ("save-data-off", "Save-Data", "off", False),
    ("rtt", "RTT", "50", True), ("rtt-word", "RTT", "abc", False),
    ("downlink", "Downlink", "1.5", True), ("downlink-word", "Downlink", "fast", False),
    ("ect-4g", "ECT", "4g", True), ("ect-5g", "ECT", "5g", False),
    ("intervention", "Intervention", "<https://x>; level=warning", True),
    ("lang-removed-m96", "Lang", "en", False),
    ("authorization", "Authorization", "Bearer t", False),
    ("x-requested-with", "X-Requested-With", "XMLHttpRequest", False),
    ("cache-control", "Cache-Control", "no-cache", False), ("user-agent", "User-Agent", "x", False),
))
def test_is_safelisted_request_header(name: str, value: str, safelisted: bool) -> None:
    assert spec.is_safelisted_request_header(name, value, CHROMIUM) is safelisted


SAFE_1024 = (  # eight safelisted headers of exactly 128 bytes each: 1024 in total
    ("Accept", pad("", 128)), ("Accept-Language", pad("", 128)), ("Content-Language", pad("", 128)),
    ("Content-Type", pad("text/plain;x=", 128)), ("DPR", pad("", 128, "1")),
    ("Width", pad("", 128, "1")), ("Viewport-Width", pad("", 128, "1")),
    ("Device-Memory", pad("", 128, "1")),
)
SAFE_NAMES = tuple(sorted(name.lower() for name, _ in SAFE_1024))
SAFE_1022 = (*SAFE_1024[:-1], ("Device-Memory", pad("", 126, "1")))


@pytest.mark.parametrize(("headers", "expected"), rows(
    ("empty", (), ()),
    ("only-safelisted", (("Accept", "*/*"), ("Content-Type", "text/plain")), ()),
    ("sorted-lowercased", (("X-B", "1"), ("x-a", "1"), ("Accept", "*/*")), ("x-a", "x-b")),
    ("deduplicated", (("X-Token", "1"), ("x-token", "2"), ("X-TOKEN", "3")), ("x-token",)),
    ("unsafe-value-of-safe-name", (("Content-Type", "application/json"),), ("content-type",)),
    ("total-1024-is-fine", SAFE_1024, ()),
    ("total-1022-plus-2-is-1024", (*SAFE_1022, ("Save-Data", "on")), ()),
    ("total-1025-makes-all-unsafe", (*SAFE_1022, ("Save-Data", "on"), ("RTT", "5")),
     tuple(sorted((*SAFE_NAMES, "rtt", "save-data")))),
    ("total-1026-makes-all-unsafe", (*SAFE_1024, ("Save-Data", "on")),
     tuple(sorted((*SAFE_NAMES, "save-data")))),
    ("unsafe-values-not-counted", (*SAFE_1024, ("X-Long", pad("", 500))), ("x-long",)),
))
def test_cors_unsafe_header_names(headers: tuple[tuple[str, str], ...],
                                  expected: tuple[str, ...]) -> None:
    assert spec.cors_unsafe_header_names(headers, CHROMIUM) == expected


@pytest.mark.parametrize(("value", "expected"), rows(
    ("missing", None, ()), ("empty", "", ()), ("only-commas", " , ,, ", ()),
    ("one", "GET", ("GET",)), ("two", "GET, PUT", ("GET", "PUT")),
    ("no-space", "GET,PUT", ("GET", "PUT")), ("padded", " GET ,\tPUT ", ("GET", "PUT")),
    ("empty-items", ",,GET,,", ("GET",)), ("star", "*", ("*",)),
    ("case-kept", "put, PUT", ("put", "PUT")), ("header-names", "X-Token, Authorization",
                                                 ("X-Token", "Authorization")),
    ("space-separated", "GET POST", None), ("quoted", '"GET"', None), ("semicolon", "GET;PUT", None),
    ("slash", "text/plain", None), ("colon", "X-Token:1", None), ("one-bad-item", "GET, P UT", None),
))
def test_parse_token_list(value: str | None, expected: tuple[str, ...] | None) -> None:
    assert spec.parse_token_list(value) == expected


@pytest.mark.parametrize(("url", "expected"), rows(
    ("plain", "https://app.example", "https://app.example"),
    ("trailing-slash", "https://app.example/", "https://app.example"),
    ("path-query-fragment", "https://app.example/p/q?x=1#f", "https://app.example"),
    ("https-443", "https://app.example:443/", "https://app.example"),
    ("http-80", "http://app.example:80", "http://app.example"),
    ("https-80-kept", "https://app.example:80", "https://app.example:80"),
    ("http-443-kept", "http://app.example:443", "http://app.example:443"),
    ("other-port", "http://app.example:8080/x", "http://app.example:8080"),
    ("upper-case", "HTTPS://APP.Example/", "https://app.example"),
    ("userinfo-dropped", "https://user:pw@app.example/", "https://app.example"),
    ("ipv4", "http://127.0.0.1:5000/", "http://127.0.0.1:5000"),
    ("ipv6", "http://[::1]:8080/", "http://[::1]:8080"), ("ipv6-no-port", "http://[::1]/", "http://[::1]"),
    ("ipv6-compressed", "http://[0:0:0:0:0:0:0:1]/", "http://[::1]"),
    ("idn", "https://bücher.example/", "https://xn--bcher-kva.example"),
    ("idn-upper", "https://BÜCHER.example", "https://xn--bcher-kva.example"),
    ("ftp", "ftp://app.example/", None), ("file", "file:///tmp/x", None), ("data", "data:,x", None),
    ("ws", "ws://app.example/", None), ("null", "null", None), ("no-scheme", "app.example", None),
    ("empty", "", None), ("bad-port", "http://app.example:99999/", None),
))
def test_serialize_origin(url: str, expected: str | None) -> None:
    assert origins.serialize_origin(url) == expected


@pytest.mark.parametrize(("a", "b", "same"), rows(
    ("identical", "https://app.example", "https://app.example/x", True),
    ("default-port", "https://app.example:443", "https://app.example", True),
    ("case", "https://APP.example", "https://app.example", True),
    ("other-port", "https://app.example:8443", "https://app.example", False),
    ("other-scheme", "http://app.example", "https://app.example", False),
    ("subdomain", "https://api.app.example", "https://app.example", False),
    ("same-site-not-same-origin", "https://app.example", "https://api.example", False),
    ("null-never", "null", "null", False),
    ("non-http", "ftp://app.example", "ftp://app.example", False),
))
def test_same_origin(a: str, b: str, same: bool) -> None:
    assert origins.same_origin(a, b) is same
    assert origins.same_origin(b, a) is same
