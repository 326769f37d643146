"""engine.simulate driven by hand: whether a preflight is sent and exactly what it carries, what
the actual request carries, what is refused before sending, and send_unsafe.

Pure: responses are scripted (see engine_script.drive); nothing touches the network.
"""

from __future__ import annotations

import pytest
from engine_script import API, CRED, PAGE, bare, drive, header_names, ok, pf, probe

from corsprobe.browser import spec
from corsprobe.model import Credentials, HttpResponse, Stage, Verdict
from corsprobe.reasons import Reason

INCLUDE = Credentials.INCLUDE


def test_simple_get_sends_one_request_with_origin() -> None:
    sent, outcome = drive(probe("GET"), [ok()])
    assert [(r.stage, r.method, r.url) for r in sent] == [(Stage.ACTUAL, "GET", API)]
    assert sent[0].header("Origin") == PAGE
    assert outcome.verdict is Verdict.ALLOWED and outcome.actual_checked
    assert not outcome.preflight_needed and outcome.failure is None


def test_preflight_request_is_exactly_what_chromium_sends() -> None:
    headers = (("X-B", "1"), ("x-a", "2"), ("X-A", "3"), ("Content-Type", "application/json"),
               ("Accept", "text/html"), ("Authorization", "Bearer t"))
    p = probe("put", f"{API}?q=1#frag", headers=headers, credentials=INCLUDE, cookie="sid=1",
              body="{}", send_unsafe=True)
    allow = pf("PUT", "authorization, content-type, x-a, x-b", PAGE, CRED)
    sent, outcome = drive(p, [allow, ok(PAGE, CRED)])
    pre, actual = sent
    assert (pre.stage, pre.method, pre.url, pre.body) == (Stage.PREFLIGHT, "OPTIONS", f"{API}?q=1", None)
    assert pre.header("Origin") == PAGE
    assert pre.header("Access-Control-Request-Method") == "PUT"
    assert pre.header("Access-Control-Request-Headers") == "authorization,content-type,x-a,x-b"
    assert not header_names(pre) & {"cookie", "authorization", "content-type", "x-a", "x-b"}
    assert (actual.stage, actual.method, actual.url, actual.body) == (Stage.ACTUAL, "PUT", f"{API}?q=1",
                                                                     b"{}")
    assert actual.header("Cookie") == "sid=1" and actual.header("Authorization") == "Bearer t"
    assert outcome.verdict is Verdict.ALLOWED and outcome.preflight_needed
    assert outcome.unsafe_headers == ("authorization", "content-type", "x-a", "x-b")


@pytest.mark.parametrize(("method", "acrm"), [
    pytest.param("delete", "DELETE", id="delete-upper-cased"),
    pytest.param("PUT", "PUT", id="PUT"),
    pytest.param("patch", "patch", id="patch-kept"),
    pytest.param("PATCH", "PATCH", id="PATCH-kept"),
    pytest.param("options", "OPTIONS", id="options-upper-cased"),
    pytest.param("Purge", "Purge", id="custom-kept"),
])
def test_preflight_method_is_normalized(method: str, acrm: str) -> None:
    read_only = acrm == "OPTIONS"  # the actual OPTIONS is sent even without send_unsafe
    sent, outcome = drive(probe(method), [pf(acrm), ok()] if read_only else [pf(acrm)])
    assert sent[0].header("Access-Control-Request-Method") == acrm
    assert sent[0].header("Access-Control-Request-Headers") is None
    assert outcome.verdict is Verdict.ALLOWED and outcome.actual_checked is read_only


@pytest.mark.parametrize(("method", "headers", "body", "preflight"), [
    pytest.param("GET", (), None, False, id="get"),
    pytest.param("HEAD", (), None, False, id="head"),
    pytest.param("POST", (), "x", False, id="post-string-body"),
    pytest.param("POST", (("Content-Type", "application/x-www-form-urlencoded"),), "a=1", False,
                 id="post-form"),
    pytest.param("POST", (("Content-Type", "application/json"),), "{}", True, id="post-json"),
    pytest.param("GET", (("X-Token", "1"),), None, True, id="get-custom-header"),
    pytest.param("GET", (("Accept", "application/json"), ("Accept-Language", "de")), None, False,
                 id="get-safelisted-headers"),
    pytest.param("GET", (("DPR", "2"),), None, False, id="get-dpr-chromium"),
    pytest.param("GET", (("Range", "bytes=0-"),), None, False, id="get-range"),
    pytest.param("GET", (("Range", "bytes=-5"),), None, True, id="get-suffix-range"),
    pytest.param("GET", (("Content-Type", "text/plain"),), None, False, id="get-text-plain"),
    pytest.param("PUT", (), None, True, id="put"),
    pytest.param("OPTIONS", (), None, True, id="options"),
    pytest.param("patch", (), None, True, id="patch"),
])
def test_preflight_needed(method: str, headers: tuple[tuple[str, str], ...], body: str | None,
                          preflight: bool) -> None:
    normalized = spec.normalize_method(method)
    script = [pf(normalized, "content-type, x-token, range"), ok()] if preflight else [ok()]
    p = probe(method, headers=headers, body=body, send_unsafe=True)
    sent, outcome = drive(p, script)
    assert [r.stage for r in sent] == [Stage.PREFLIGHT, Stage.ACTUAL][(0 if preflight else 1):]
    assert outcome.preflight_needed is preflight
    assert outcome.verdict is Verdict.ALLOWED


def test_no_actual_request_after_failed_preflight() -> None:
    sent, outcome = drive(probe("PUT", send_unsafe=True), [bare(403)])
    assert [r.method for r in sent] == ["OPTIONS"]
    assert outcome.verdict is Verdict.BLOCKED and not outcome.actual_checked
    assert outcome.failure is not None and outcome.failure.reason is Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER


@pytest.mark.parametrize("method", ["TRACE", "connect", "Track"])
def test_forbidden_method_sends_nothing(method: str) -> None:
    sent, outcome = drive(probe(method, send_unsafe=True), [])
    assert sent == []
    assert outcome.verdict is Verdict.BLOCKED
    assert outcome.failure is not None and outcome.failure.reason is Reason.FORBIDDEN_METHOD


def test_forbidden_headers_dropped_with_warning() -> None:
    headers = (("Cookie", "a=1"), ("Origin", "https://evil.example"), ("Referer", "https://x/"),
               ("Sec-Fetch-Mode", "no-cors"), ("Proxy-Authorization", "x"),
               ("X-HTTP-Method-Override", "TRACE"), ("Accept", "*/*"))
    sent, outcome = drive(probe("GET", headers=headers), [ok()])
    dropped = ("Cookie", "Origin", "Referer", "Sec-Fetch-Mode", "Proxy-Authorization",
               "X-HTTP-Method-Override")
    assert [r.stage for r in sent] == [Stage.ACTUAL]
    assert sent[0].header("Origin") == PAGE
    assert sent[0].header("Cookie") is None and sent[0].header("Referer") != "https://x/"
    assert sent[0].header("X-HTTP-Method-Override") is None
    assert outcome.dropped_headers == dropped
    warned = [w.detail for w in outcome.warnings if w.reason is Reason.FORBIDDEN_HEADER_DROPPED]
    assert warned == list(dropped)
    assert outcome.verdict is Verdict.ALLOWED and not outcome.preflight_needed


def test_method_override_with_allowed_method_is_kept_and_preflighted() -> None:
    p = probe("GET", headers=(("X-HTTP-Method-Override", "PATCH"),), send_unsafe=True)
    sent, outcome = drive(p, [pf("GET", "x-http-method-override"), ok()])
    assert sent[0].header("Access-Control-Request-Headers") == "x-http-method-override"
    assert sent[1].header("X-HTTP-Method-Override") == "PATCH"
    assert outcome.dropped_headers == () and outcome.verdict is Verdict.ALLOWED


def test_string_body_implies_text_plain() -> None:
    sent, outcome = drive(probe("POST", body="hi", send_unsafe=True), [ok()])
    assert sent[0].header("Content-Type") == "text/plain;charset=UTF-8"
    assert sent[0].body == b"hi"
    assert not outcome.preflight_needed and outcome.unsafe_headers == ()


def test_explicit_content_type_wins_over_implied() -> None:
    p = probe("POST", headers=(("Content-Type", "application/json"),), body="{}", send_unsafe=True)
    sent, _ = drive(p, [pf("POST", "content-type"), ok()])
    assert sent[0].header("Access-Control-Request-Headers") == "content-type"
    assert [v for n, v in sent[1].headers if n.lower() == "content-type"] == ["application/json"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_unsafe_method_without_opt_in_sends_only_the_preflight(method: str) -> None:
    sent, outcome = drive(probe(method), [pf(method)])
    assert [r.method for r in sent] == ["OPTIONS"]
    assert outcome.verdict is Verdict.ALLOWED and not outcome.actual_checked
    assert [w.reason for w in outcome.warnings] == [Reason.ACTUAL_NOT_SENT]


def test_simple_post_without_opt_in_sends_nothing() -> None:
    sent, outcome = drive(probe("POST", body="x"), [])
    assert sent == []
    assert outcome.verdict is Verdict.UNCHECKED and not outcome.actual_checked
    assert Reason.ACTUAL_NOT_SENT in [w.reason for w in outcome.warnings]


def test_blocked_simple_post_warns_about_side_effects() -> None:
    sent, outcome = drive(probe("POST", body="x", send_unsafe=True), [bare(200)])
    assert len(sent) == 1 and outcome.verdict is Verdict.BLOCKED
    assert Reason.SIDE_EFFECT_SIMPLE_REQUEST in [w.reason for w in outcome.warnings]


@pytest.mark.parametrize(("response", "verdict"), [
    pytest.param(ok(PAGE, status=500), Verdict.ALLOWED, id="500-with-acao"),
    pytest.param(ok(PAGE, status=404), Verdict.ALLOWED, id="404-with-acao"),
    pytest.param(bare(500), Verdict.BLOCKED, id="500-without-acao"),
    pytest.param(bare(200), Verdict.BLOCKED, id="200-without-acao"),
])
def test_actual_status_does_not_matter(response: HttpResponse, verdict: Verdict) -> None:
    _, outcome = drive(probe("GET"), [response])
    assert outcome.verdict is verdict


@pytest.mark.parametrize(("credentials", "cookie_sent"), [
    pytest.param(Credentials.INCLUDE, True, id="include"),
    pytest.param(Credentials.OMIT, False, id="omit"),
])
def test_cookies_only_on_actual_with_include(credentials: Credentials, cookie_sent: bool) -> None:
    p = probe("PUT", credentials=credentials, cookie="sid=1", send_unsafe=True)
    sent, outcome = drive(p, [pf("PUT", "", PAGE, CRED), ok(PAGE, CRED)])
    assert sent[0].header("Cookie") is None
    assert (sent[1].header("Cookie") == "sid=1") is cookie_sent
    assert outcome.verdict is Verdict.ALLOWED


def test_exposed_headers_reported() -> None:
    response = ok(PAGE, ("X-Total", "3"), ("Access-Control-Expose-Headers", "X-Total"),
                  ("Content-Type", "application/json"), ("X-Hidden", "1"))
    _, outcome = drive(probe("GET"), [response])
    assert outcome.readable_headers == ("content-type", "x-total")


def test_mixed_content_sends_nothing() -> None:
    sent, outcome = drive(probe("GET", url="http://api.example.com/r"), [])
    assert sent == []
    assert outcome.failure is not None and outcome.failure.reason is Reason.MIXED_CONTENT


@pytest.mark.parametrize(("origin", "url", "warned"), [
    ("https://app.example.com", "http://127.0.0.1:8000/r", True),
    ("http://localhost:3000", "http://127.0.0.1:8000/r", False),
    ("https://app.example.com", "https://api.example.com/r", False),
])
def test_local_network_access_warning(origin: str, url: str, warned: bool) -> None:
    _, outcome = drive(probe("GET", url=url, origin=origin), [ok(origin)])
    codes = {w.reason for w in outcome.warnings}
    assert (Reason.LOCAL_NETWORK_ACCESS in codes) is warned


@pytest.mark.parametrize(("lines", "seconds"), [((), 5), (("600",), 600), (("86400",), 7200), (("0",), 0),
                                                (("abc",), 5), (("-1",), 0)])
def test_preflight_max_age_in_outcome(lines: tuple[str, ...], seconds: int) -> None:
    headers = [("Access-Control-Allow-Origin", PAGE), ("Access-Control-Allow-Methods", "PUT")]
    headers += [("Access-Control-Max-Age", v) for v in lines]
    _, outcome = drive(probe("PUT"), [HttpResponse(204, tuple(headers))])
    assert outcome.preflight_max_age == seconds


@pytest.mark.parametrize(("method", "override"), [
    pytest.param("GET", ("X-HTTP-Method-Override", "DELETE"), id="get-x-http-method-override-delete"),
    pytest.param("POST", ("X-HTTP-Method", "PUT"), id="post-x-http-method-put"),
    pytest.param("GET", ("X-Method-Override", "patch"), id="get-x-method-override-patch-lowercase"),
    pytest.param("POST", ("x-http-method-override", "GET, DELETE"), id="post-list-naming-delete"),
])
def test_method_override_to_a_state_changing_method_needs_opt_in(method: str, override: tuple[str, str]) -> None:
    # corsprobe's own safety policy (issue 15): frameworks honour the override, so no actual request.
    sent, outcome = drive(probe(method, headers=(override,)), [pf(method, override[0])])
    assert [r.method for r in sent] == ["OPTIONS"]
    assert outcome.verdict is Verdict.ALLOWED and not outcome.actual_checked
    [warning] = [w for w in outcome.warnings if w.reason is Reason.ACTUAL_NOT_SENT]
    assert override[0] in warning.detail and "override" in warning.detail


@pytest.mark.parametrize("override", [
    pytest.param(("X-HTTP-Method-Override", "GET"), id="override-to-get"),
    pytest.param(("X-HTTP-Method-Override", "head"), id="override-to-head"),
])
def test_method_override_to_a_safe_method_is_sent(override: tuple[str, str]) -> None:
    sent, outcome = drive(probe("GET", headers=(override,)), [pf("GET", override[0]), ok()])
    assert [r.method for r in sent] == ["OPTIONS", "GET"]
    assert outcome.verdict is Verdict.ALLOWED and outcome.actual_checked


def test_method_override_is_sent_with_opt_in() -> None:
    override = ("X-HTTP-Method-Override", "DELETE")
    sent, outcome = drive(probe("POST", headers=(override,), send_unsafe=True), [pf("POST", override[0]), ok()])
    assert [r.method for r in sent] == ["OPTIONS", "POST"]
    assert outcome.actual_checked
