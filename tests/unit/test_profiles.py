"""Table-driven tests of the browser profiles (corsprobe.browser.profiles) and of the engine with
each profile: one row per known difference, the case id in the test id.

Pure: no I/O. Rows marked "verified" were observed in headless Chromium 156 / Firefox 153
ESR / WebKitGTK 2.50 (tests/browser); the Max-Age rows of WebKit follow its sources.
"""

from __future__ import annotations

import dataclasses

import pytest

from corsprobe.browser import checks, engine, spec
from corsprobe.browser.profiles import (
    CHROMIUM,
    FIREFOX,
    PROFILES,
    WEBKIT,
    BrowserProfile,
    preflight_max_age,
    profile_named,
)
from corsprobe.model import HttpResponse, Verdict
from corsprobe.reasons import Reason
from tests.unit.engine_script import API, OTHER, PAGE, bare, drive, moved, ok, pf, probe

ACAH = "Access-Control-Allow-Headers"
ACAO = "Access-Control-Allow-Origin"
C, F, W = CHROMIUM, FIREFOX, WEBKIT


def rows(*cases: tuple[object, ...]) -> list[object]:
    return [pytest.param(*case[1:], id=str(case[0])) for case in cases]


# (id, Max-Age lines, Chromium, Firefox, WebKit): seconds a passing preflight is cached (D1, D2).
MAX_AGE = rows(
    ("absent", (), 5, 5, 5),
    ("empty", ("",), 5, 5, 5),
    ("zero", ("0",), 0, 0, 0),
    ("small", ("60",), 60, 60, 60),
    ("webkit-cap", ("601",), 601, 601, 600),
    ("chromium-cap", ("7201",), 7200, 7201, 600),
    ("firefox-cap", ("86401",), 7200, 86400, 600),
    ("negative", ("-1",), 0, 0, 5),
    ("garbage", ("abc",), 5, 0, 5),
    ("decimal", ("1.5",), 5, 0, 5),
    ("plus", ("+5",), 5, 0, 5),
    ("two-lines", ("5", "10"), 5, 0, 5),
    ("padded", (" 30 ",), 30, 30, 30),
    ("past-uint32", (str(2**32),), 7200, 86400, 5),
    ("past-int64", (str(2**63),), 5, 86400, 5),
)


@pytest.mark.parametrize(("values", "chromium", "firefox", "webkit"), MAX_AGE)
def test_preflight_max_age(values: tuple[str, ...], chromium: int, firefox: int, webkit: int) -> None:
    assert [preflight_max_age(values, p) for p in (C, F, W)] == [chromium, firefox, webkit]


# (id, header name, value, safelisted in Chromium, Firefox, WebKit) (D11, Range, Content-Type).
SAFELISTED = rows(
    ("dpr", "DPR", "2", True, False, False),
    ("device-memory", "Device-Memory", "8", True, False, False),
    ("width", "Width", "100", True, False, False),
    ("viewport-width", "Viewport-Width", "800", True, False, False),
    ("rtt", "RTT", "50", True, False, False),
    ("downlink", "Downlink", "1.5", True, False, False),
    ("ect", "ECT", "4g", True, False, False),
    ("save-data", "Save-Data", "on", True, False, False),
    ("intervention", "Intervention", "x", True, False, False),
    ("dpr-bad", "DPR", "x", False, False, False),
    ("accept", "Accept", "application/json", True, True, True),
    ("accept-latin1", "Accept", "text/\xe9", True, False, True),
    ("range-int64-max", "Range", f"bytes={2**63 - 1}-", False, True, True),
    ("range-int64-max-minus-1", "Range", f"bytes={2**63 - 2}-", True, True, True),
    ("range-uint64-max", "Range", f"bytes={2**64 - 1}-", False, True, True),
    ("range-past-uint64", "Range", f"bytes={2**64}-", False, False, False),
    ("range-upper-unit", "Range", "BYTES=0-", False, False, True),
    ("range-suffix", "Range", "bytes=-5", False, False, False),
    ("ct-plain", "Content-Type", "text/plain", True, True, True),
    ("ct-trailing-semi", "Content-Type", "text/plain;", True, True, True),
    ("ct-double-semi", "Content-Type", "text/plain;;", True, False, True),
    ("ct-param-then-semi", "Content-Type", "text/plain;a=b;", True, False, True),
    ("ct-spaced-semis", "Content-Type", "text/plain ; charset=utf-8 ;", True, False, True),
    ("ct-comma-in-param", "Content-Type", "text/plain;a=b,c", True, False, True),
    ("ct-latin1-param", "Content-Type", "text/plain;a=\xe9", True, False, True),
    ("ct-space-before-semi", "Content-Type", "text/plain ;charset=utf-8", True, True, True),
    ("ct-param-no-value", "Content-Type", "text/plain;charset", True, True, True),
    ("ct-space-in-type", "Content-Type", "text /plain", False, False, False),
    ("ct-json", "Content-Type", "application/json", False, False, False),
    ("ct-upper", "Content-Type", "MULTIPART/FORM-DATA; boundary=x", True, True, True),
)


@pytest.mark.parametrize(("name", "value", "chromium", "firefox", "webkit"), SAFELISTED)
def test_is_safelisted_request_header(name: str, value: str, chromium: bool, firefox: bool, webkit: bool) -> None:
    got = [spec.is_safelisted_request_header(name, value, p) for p in (C, F, W)]
    assert got == [chromium, firefox, webkit]


def test_total_rule_needs_client_hints() -> None:
    """The 1024-byte total can only be exceeded with Chromium's extra names (5 x 128 < 1024)."""
    big = tuple((n, "1" * 128) for n in ("DPR", "Width", "Viewport-Width", "Device-Memory", "RTT",
                                         "Downlink", "Intervention", "Accept"))
    headers = (*big, ("Save-Data", "on"))
    assert spec.cors_unsafe_header_names(headers, C) == tuple(sorted(n.lower() for n, _ in headers))
    assert spec.cors_unsafe_header_names(headers, F) == tuple(sorted(n.lower() for n, _ in headers
                                                                     if n != "Accept"))


R = Reason
PF = (("Access-Control-Allow-Methods", "PUT"),)
# (id, preflight response, Chromium, Firefox, WebKit): the reason a failing preflight reports (D10).
PREFLIGHT_ORDER = rows(
    ("status-and-acao", bare(500), R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
     R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, R.PREFLIGHT_INVALID_STATUS),
    ("status-only", pf("PUT", status=500), R.PREFLIGHT_INVALID_STATUS, R.PREFLIGHT_INVALID_STATUS,
     R.PREFLIGHT_INVALID_STATUS),
    ("redirect-with-acao", moved("/x", 302, PAGE, *PF), R.PREFLIGHT_DISALLOWED_REDIRECT,
     R.PREFLIGHT_DISALLOWED_REDIRECT, R.PREFLIGHT_DISALLOWED_REDIRECT),
    ("redirect-without-acao", moved("/x", 302, None, *PF), R.PREFLIGHT_DISALLOWED_REDIRECT,
     R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, R.PREFLIGHT_DISALLOWED_REDIRECT),
    ("empty-location", moved("", 302, PAGE, *PF), R.PREFLIGHT_INVALID_STATUS,
     R.PREFLIGHT_DISALLOWED_REDIRECT, R.PREFLIGHT_INVALID_STATUS),
)


@pytest.mark.parametrize(("response", "chromium", "firefox", "webkit"), PREFLIGHT_ORDER)
def test_preflight_failure_order(response: HttpResponse, chromium: Reason, firefox: Reason, webkit: Reason) -> None:
    got = [checks.judge_preflight(response, PAGE, "PUT", (), False, p) for p in (C, F, W)]
    assert [f.reason if f else None for f in got] == [chromium, firefox, webkit]


@pytest.mark.parametrize("covers", [True, False], ids=["covered", "enforced"])
def test_wildcard_and_authorization(covers: bool) -> None:
    """D7: every engine still lets "*" cover Authorization; a profile can enforce the standard."""
    profile = dataclasses.replace(FIREFOX, wildcard_covers_authorization=covers)
    response = pf("GET", "*")
    failure = checks.judge_preflight(response, PAGE, "GET", ("authorization",), False, profile)
    warnings = checks.preflight_warnings(response, ("authorization",), False, profile)
    assert (failure is None) is covers
    assert [w.reason for w in warnings] == ([R.AUTHORIZATION_COVERED_BY_WILDCARD] if covers else [])


def test_client_hint_preflight_only_outside_chromium() -> None:
    request = probe("GET", headers=(("DPR", "2"),))
    sent, outcome = drive(request, [ok()], C)
    assert [r.method for r in sent] == ["GET"] and outcome.verdict is Verdict.ALLOWED
    sent, outcome = drive(request, [pf("GET", "dpr"), ok()], F)
    assert [(r.method, r.header("Access-Control-Request-Headers")) for r in sent] == [("OPTIONS", "dpr"), ("GET", None)]
    assert outcome.unsafe_headers == ("dpr",)


@pytest.mark.parametrize(("profile", "wire"), [(C, "bytes=0-"), (F, "bytes=00-")], ids=["chromium", "firefox"])
def test_range_on_the_wire(profile: BrowserProfile, wire: str) -> None:
    sent, _ = drive(probe("GET", headers=(("Range", "bytes=00-"),)), [ok()], profile)
    assert sent[-1].header("Range") == wire


def test_firefox_preflights_again_after_rewrite_to_get() -> None:
    """Firefox keeps the first request's unsafe names: a POST json -> 303 -> GET is preflighted
    again (ACRM GET, no ACRH); Chromium sends the GET straight away."""
    request = probe("POST", headers=(("Content-Type", "application/json"),), body="{}", send_unsafe=True)
    hop = API + "2"
    sent, outcome = drive(request, [pf("POST", "content-type"), moved(hop, 303), ok()], C)
    assert [r.method for r in sent] == ["OPTIONS", "POST", "GET"] and outcome.verdict is Verdict.ALLOWED
    sent, outcome = drive(request, [pf("POST", "content-type"), moved(hop, 303), pf("GET"), ok()], F)
    assert [(r.method, r.header("Access-Control-Request-Method"), r.header("Access-Control-Request-Headers"))
            for r in sent] == [("OPTIONS", "POST", "content-type"), ("POST", None, None),
                               ("OPTIONS", "GET", None), ("GET", None, None)]
    assert outcome.verdict is Verdict.ALLOWED


def test_firefox_preflight_after_taint_carries_page_origin() -> None:
    request = probe("PUT", headers=(("X-A", "1"),), body="x", send_unsafe=True)
    script = [pf("PUT", "x-a"), moved(OTHER, 307), pf("PUT", "x-a", PAGE), ok("null")]
    sent, outcome = drive(request, script, F)
    assert [r.header("Origin") for r in sent] == [PAGE, PAGE, PAGE, "null"]
    assert outcome.verdict is Verdict.ALLOWED
    sent, outcome = drive(request, script[:3], C)
    assert [r.header("Origin") for r in sent] == [PAGE, PAGE, "null"]
    assert outcome.failure is not None and outcome.failure.reason is R.PREFLIGHT_ALLOW_ORIGIN_MISMATCH


def test_firefox_restores_content_type_on_307_after_rewrite() -> None:
    request = probe("POST", body="hi", send_unsafe=True)
    script = [moved(API + "1", 301), moved(API + "2", 307), ok()]
    sent, _ = drive(request, script, F)
    assert [r.header("Content-Type") for r in sent] == ["text/plain;charset=UTF-8", None, "text/plain;charset=UTF-8"]
    sent, _ = drive(request, script, C)
    assert [r.header("Content-Type") for r in sent] == ["text/plain;charset=UTF-8", None, None]


@pytest.mark.parametrize(("profile", "requests", "reason"), [
    (C, 1, None), (F, 21, R.TOO_MANY_REDIRECTS), (W, 1, R.INVALID_REDIRECT),
], ids=["chromium", "firefox", "webkit"])
def test_empty_location(profile: BrowserProfile, requests: int, reason: Reason | None) -> None:
    """An empty Location is a redirect to the same URL in Firefox; in Chromium the 3xx is the
    answer; in WebKitGTK (libsoup) the load fails."""
    sent, outcome = drive(probe("GET"), [moved("", 302)] * requests, profile)
    assert len(sent) == requests
    assert (outcome.failure.reason if outcome.failure else None) is reason


@pytest.mark.parametrize(("location", "chromium", "firefox"), [
    ("data:text/plain,hi", R.MISSING_ALLOW_ORIGIN_HEADER, R.INVALID_REDIRECT),
    ("javascript:1", R.MISSING_ALLOW_ORIGIN_HEADER, R.INVALID_REDIRECT),
    ("ftp://127.0.0.1/x", R.MISSING_ALLOW_ORIGIN_HEADER, R.MISSING_ALLOW_ORIGIN_HEADER),
], ids=["data", "javascript", "ftp"])
def test_redirect_scheme_before_cors_check(location: str, chromium: Reason, firefox: Reason) -> None:
    got = [drive(probe("GET"), [moved(location, 302, None)], p)[1].failure for p in (C, F)]
    assert [f.reason if f else None for f in got] == [chromium, firefox]


def test_profile_named() -> None:
    assert [profile_named(n) for n in ("chromium", "Firefox", "WEBKIT")] == [C, F, W]
    assert set(PROFILES) == {"chromium", "firefox", "webkit"}
    with pytest.raises(KeyError, match="known: chromium, firefox, webkit"):
        profile_named("edge")


def test_profile_values() -> None:
    """The rule book's §2 table, field by field (D1, D10, D11, D14)."""
    assert [p.max_age_cap for p in (C, F, W)] == [7200, 86400, 600]
    assert [p.preflight_status_first for p in (C, F, W)] == [False, False, True]
    assert [p.client_hints_safelisted for p in (C, F, W)] == [True, False, False]
    assert F.cache_exempt_methods == {"GET", "POST"} and C.cache_exempt_methods == W.cache_exempt_methods
    assert all(p.wildcard_covers_authorization for p in (C, F, W))


def test_no_rule_takes_a_browser_by_default() -> None:
    """Whose rules apply is always said (issue 8, item 9): no function of the engine or the audit falls back
    to Chromium when a caller forgets the profile."""
    import inspect

    from corsprobe.audit import judge, plan
    from corsprobe.browser import page, profiles

    found = []
    for module in (checks, engine, spec, profiles, page, judge, plan):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__:
                continue
            for parameter in inspect.signature(function).parameters.values():
                if parameter.name in {"profile", "position_max"}:
                    found.append(name)
                    assert parameter.default is inspect.Parameter.empty, f"{module.__name__}.{name}"
    assert {"simulate", "cors_check", "judge_preflight", "cors_unsafe_header_names", "access", "audit"} <= set(found)
    with pytest.raises(TypeError):
        engine.simulate(probe("GET"))  # type: ignore[call-arg]


# WebKitGTK 2.50 rows (verified: tests/browser/test_differential_webkit.py, docs/browser-notes.md §6).
def test_webkit_preflights_every_later_hop_with_the_first_names() -> None:
    """redirect-json-same-301: POST application/json, 301 to GET: WebKit preflights the GET
    with the first request's names; Firefox too; Chromium sends the GET without a preflight."""
    request = probe("POST", body="{}", headers=(("Content-Type", "application/json"),), send_unsafe=True)
    script = [pf("POST", "content-type"), moved(API + "1", 301), pf("GET", "content-type"), ok()]
    sent, outcome = drive(request, script, W)
    assert [(r.method, r.header("Access-Control-Request-Headers")) for r in sent] == [
        ("OPTIONS", "content-type"), ("POST", None), ("OPTIONS", "content-type"), ("GET", None)]
    assert outcome.verdict is Verdict.ALLOWED
    sent, _ = drive(request, [pf("POST", "content-type"), moved(API + "1", 301), ok()], C)
    assert [r.method for r in sent] == ["OPTIONS", "POST", "GET"]


def test_webkit_lists_authorization_dropped_on_the_cross_origin_hop() -> None:
    """redirect-auth-cross-307: Firefox leaves out the name the hop dropped; WebKit lists it."""
    request = probe("POST", body="x", headers=(("Authorization", "Bearer t"),), send_unsafe=True)
    head = [pf("POST", "authorization"), moved(OTHER, 307)]
    tail = [pf("POST", "authorization", "null"), ok("null")]
    sent, _ = drive(request, head + tail, W)
    assert sent[2].header("Access-Control-Request-Headers") == "authorization"
    assert sent[2].header("Origin") == "null" and sent[3].header("Authorization") is None


def test_webkit_restores_content_type_unless_the_hop_rewrites() -> None:
    """redirect-post-cross-and-back: 301 to GET drops Content-Type, a later 302 puts it back."""
    request = probe("POST", body="hi", send_unsafe=True)
    script = [moved(API + "1", 301), moved(API + "2", 302), ok()]
    got = {p.name: [r.header("Content-Type") for r in drive(request, script, p)[0]] for p in (C, F, W)}
    plain = "text/plain;charset=UTF-8"
    assert got == {"chromium": [plain, None, None], "firefox": [plain, None, None], "webkit": [plain, None, plain]}


@pytest.mark.parametrize(("script", "chromium", "webkit"), [
    ([moved(API, 302)] * 20 + [moved(API, 302, None)], R.TOO_MANY_REDIRECTS, R.MISSING_ALLOW_ORIGIN_HEADER),
    ([moved("http://[bad/", 302, None)], R.INVALID_REDIRECT, R.MISSING_ALLOW_ORIGIN_HEADER),
    ([moved("ftp://127.0.0.1/x", 302)], R.CORS_DISABLED_SCHEME, R.INVALID_REDIRECT),
], ids=["limit-21-last-no-cors", "invalid-location-no-cors", "scheme-ftp"])
def test_webkit_cors_checks_the_3xx_first(script: list[HttpResponse], chromium: Reason, webkit: Reason) -> None:
    got = [drive(probe("GET"), script, p)[1].failure for p in (C, W)]
    assert [f.reason if f else None for f in got] == [chromium, webkit]


def test_webkit_fails_on_two_location_lines() -> None:
    """redirect-get-two-locations-same: libsoup fails the load; Chromium follows the first."""
    twice = HttpResponse(302, (("Location", API + "1"), ("Location", API + "1"), (ACAO, PAGE)))
    _, outcome = drive(probe("GET"), [twice], W)
    assert outcome.failure is not None and outcome.failure.reason is R.INVALID_REDIRECT
    assert len(drive(probe("GET"), [twice, ok()], C)[0]) == 2


@pytest.mark.parametrize(("value", "chromium", "webkit"), [
    ("https://app.example.com https://b.example", R.MULTIPLE_ALLOW_ORIGIN_VALUES, R.INVALID_ALLOW_ORIGIN_VALUE),
    ("https://app.example.com, https://b.example", R.MULTIPLE_ALLOW_ORIGIN_VALUES, R.MULTIPLE_ALLOW_ORIGIN_VALUES),
], ids=["space-list", "comma-list"])
def test_webkit_lists_origins_only_with_commas(value: str, chromium: Reason, webkit: Reason) -> None:
    response = HttpResponse(200, (("Access-Control-Allow-Origin", value),))
    got = [checks.cors_check(response, PAGE, False, p) for p in (C, W)]
    assert [f.reason if f else None for f in got] == [chromium, webkit]


def test_webkit_fails_on_a_preflight_body_it_cannot_read() -> None:
    """net-preflight-short-body: the runner reports the broken body; WebKit fails, Chromium judges the headers."""
    broken = HttpResponse(200, (("Access-Control-Allow-Origin", "*"),), body_error="peer closed connection")
    outcomes = [drive(probe("PUT", send_unsafe=True), [broken], p)[1] for p in (C, W)]
    assert [o.failure.reason if o.failure else None for o in outcomes] == [
        R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, R.NETWORK_ERROR]
