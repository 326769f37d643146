"""engine.simulate across redirects of the actual request (rule book §1.6, §1.10): the CORS
check on each 3xx, origin tainting, re-preflights, method rewriting, Location checks, limits.

Pure: responses are scripted (see engine_script.drive).
"""

from __future__ import annotations

import pytest
from engine_script import API, CRED, OTHER, PAGE, bare, drive, header_names, moved, ok, pf, probe

from corsprobe.model import Credentials, HttpResponse, Stage, Verdict
from corsprobe.reasons import Reason

API2 = "https://api.example.com/s"


def test_redirect_without_acao_blocks_before_following() -> None:
    sent, outcome = drive(probe("GET"), [moved("/s", 302, None)])
    assert len(sent) == 1 and outcome.verdict is Verdict.BLOCKED
    assert outcome.failure is not None
    assert (outcome.failure.reason, outcome.failure.stage) == (Reason.MISSING_ALLOW_ORIGIN_HEADER,
                                                               Stage.ACTUAL)


def test_redirect_without_credentials_header_blocks_credentialed_request() -> None:
    p = probe("GET", credentials=Credentials.INCLUDE)
    sent, outcome = drive(p, [moved("/s", 302, PAGE)])
    assert len(sent) == 1
    assert outcome.failure is not None and outcome.failure.reason is Reason.INVALID_ALLOW_CREDENTIALS


def test_same_origin_hop_keeps_origin() -> None:
    sent, outcome = drive(probe("GET"), [moved("/s?x=1#f"), ok()])
    assert [r.url for r in sent] == [API, f"{API2}?x=1"]
    assert [r.header("Origin") for r in sent] == [PAGE, PAGE]
    assert outcome.verdict is Verdict.ALLOWED


@pytest.mark.parametrize(("final", "verdict", "reason"), [
    pytest.param(ok(PAGE), Verdict.BLOCKED, Reason.ALLOW_ORIGIN_MISMATCH, id="page-origin-mismatch"),
    pytest.param(ok("null"), Verdict.ALLOWED, None, id="null-allowed"),
    pytest.param(ok("*"), Verdict.ALLOWED, None, id="star-allowed"),
])
def test_cross_origin_hop_taints_origin(final: HttpResponse, verdict: Verdict,
                                        reason: Reason | None) -> None:
    sent, outcome = drive(probe("GET"), [moved(OTHER), final])
    assert [r.url for r in sent] == [API, OTHER]
    assert [r.header("Origin") for r in sent] == [PAGE, "null"]
    assert outcome.verdict is verdict
    assert (outcome.failure.reason if outcome.failure else None) == reason


def test_taint_sticks_for_later_hops() -> None:
    script = [moved(OTHER), moved(API2, 302, "null"), ok("null")]
    sent, outcome = drive(probe("GET"), script)
    assert [r.header("Origin") for r in sent] == [PAGE, "null", "null"]
    assert outcome.verdict is Verdict.ALLOWED


def test_hop_from_page_origin_does_not_taint() -> None:
    sent, outcome = drive(probe("GET", f"{PAGE}/redir"), [moved(API, 302, None), ok()])
    assert [r.url for r in sent] == [f"{PAGE}/redir", API]
    assert sent[1].header("Origin") == PAGE
    assert outcome.verdict is Verdict.ALLOWED


def test_preflighted_request_preflights_again_at_the_new_url() -> None:
    script = [pf("PUT"), moved(API2, 307), pf("PUT"), ok()]
    sent, outcome = drive(probe("PUT", send_unsafe=True), script)
    assert [(r.method, r.url) for r in sent] == [("OPTIONS", API), ("PUT", API), ("OPTIONS", API2),
                                                 ("PUT", API2)]
    assert outcome.verdict is Verdict.ALLOWED


def test_cross_origin_re_preflight_carries_null_origin() -> None:
    script = [pf("PUT"), moved(OTHER, 307), pf("PUT", "", "null"), ok("null")]
    sent, outcome = drive(probe("PUT", send_unsafe=True), script)
    assert [(r.method, r.header("Origin")) for r in sent] == [
        ("OPTIONS", PAGE), ("PUT", PAGE), ("OPTIONS", "null"), ("PUT", "null")]
    assert outcome.verdict is Verdict.ALLOWED


def test_failed_re_preflight_stops_the_walk() -> None:
    script = [pf("PUT"), moved(API2, 307), bare(404)]
    sent, outcome = drive(probe("PUT", send_unsafe=True), script)
    assert [r.method for r in sent] == ["OPTIONS", "PUT", "OPTIONS"]
    assert outcome.failure is not None
    assert outcome.failure.reason is Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER


@pytest.mark.parametrize("status", [301, 302])
def test_301_302_post_becomes_get_without_body(status: int) -> None:
    sent, outcome = drive(probe("POST", body="x", send_unsafe=True), [moved("/s", status), ok()])
    assert [r.method for r in sent] == ["POST", "GET"]
    assert sent[0].header("Content-Type") == "text/plain;charset=UTF-8"
    assert sent[1].body is None and "content-type" not in header_names(sent[1])
    assert outcome.verdict is Verdict.ALLOWED


def test_rewritten_json_post_needs_no_second_preflight() -> None:
    p = probe("POST", headers=(("Content-Type", "application/json"),), body="{}", send_unsafe=True)
    sent, _ = drive(p, [pf("POST", "content-type"), moved("/s", 302), ok()])
    assert [(r.stage, r.method) for r in sent] == [(Stage.PREFLIGHT, "OPTIONS"), (Stage.ACTUAL, "POST"),
                                                   (Stage.ACTUAL, "GET")]


@pytest.mark.parametrize(("method", "script_head", "after"), [
    pytest.param("PUT", [pf("PUT")], "GET", id="put-becomes-get"),
    pytest.param("POST", [], "GET", id="post-becomes-get"),
    pytest.param("GET", [], "GET", id="get-stays-get"),
    pytest.param("HEAD", [], "HEAD", id="head-stays-head"),
])
def test_303(method: str, script_head: list[HttpResponse], after: str) -> None:
    body = "x" if method in ("PUT", "POST") else None
    sent, _ = drive(probe(method, body=body, send_unsafe=True), [*script_head, moved("/s", 303), ok()])
    assert sent[-1].method == after and sent[-1].body is None


@pytest.mark.parametrize("status", [307, 308])
def test_307_308_keep_method_body_and_content_type(status: int) -> None:
    sent, _ = drive(probe("POST", body="x", send_unsafe=True), [moved("/s", status), ok()])
    assert [(r.method, r.body, r.header("Content-Type")) for r in sent] == [
        ("POST", b"x", "text/plain;charset=UTF-8")] * 2


def test_authorization_removed_on_cross_origin_hop() -> None:
    p = probe("GET", headers=(("Authorization", "Bearer t"),))
    sent, outcome = drive(p, [pf("GET", "authorization"), moved(OTHER, 307), ok("null")])
    assert [r.stage for r in sent] == [Stage.PREFLIGHT, Stage.ACTUAL, Stage.ACTUAL]
    assert sent[1].header("Authorization") == "Bearer t"
    assert sent[2].header("Authorization") is None
    assert outcome.verdict is Verdict.ALLOWED


@pytest.mark.parametrize("location", [
    "https://user:pw@api.example.com/s", "https://user@other.example.net/r", "//u:p@api.example.com/s",
])
def test_location_with_credentials(location: str) -> None:
    sent, outcome = drive(probe("GET"), [moved(location)])
    assert len(sent) == 1
    assert outcome.failure is not None and outcome.failure.reason is Reason.REDIRECT_CONTAINS_CREDENTIALS


@pytest.mark.parametrize(("location", "reason"), [
    ("ftp://api.example.com/s", Reason.CORS_DISABLED_SCHEME),
    ("javascript:alert(1)", Reason.CORS_DISABLED_SCHEME),
    # Chromium's network stack refuses these itself (ERR_UNSAFE_REDIRECT): docs/browser-notes.md.
    ("data:,x", Reason.INVALID_REDIRECT),
    ("file:///etc/passwd", Reason.INVALID_REDIRECT),
])
def test_non_http_location(location: str, reason: Reason) -> None:
    sent, outcome = drive(probe("GET"), [moved(location)])
    assert len(sent) == 1
    assert outcome.failure is not None and outcome.failure.reason is reason


@pytest.mark.parametrize("status", [300, 304])
def test_non_redirect_3xx_with_location_is_final(status: int) -> None:
    sent, outcome = drive(probe("GET"), [moved("/s", status)])
    assert len(sent) == 1 and outcome.verdict is Verdict.ALLOWED and outcome.actual_checked


@pytest.mark.parametrize(("redirects", "verdict"), [
    pytest.param(20, Verdict.ALLOWED, id="20-followed"),
    pytest.param(21, Verdict.BLOCKED, id="21-too-many"),
])
def test_redirect_limit(redirects: int, verdict: Verdict) -> None:
    script = [moved(f"/r{i}") for i in range(redirects)] + ([ok()] if redirects <= 20 else [])
    sent, outcome = drive(probe("GET"), script)
    assert len(sent) == len(script) and outcome.verdict is verdict
    if verdict is Verdict.BLOCKED:
        assert outcome.failure is not None and outcome.failure.reason is Reason.TOO_MANY_REDIRECTS


def test_relative_location_resolved_against_current_url() -> None:
    sent, _ = drive(probe("GET", "https://api.example.com/a/b/c"), [moved("../d?q=1"), ok()])
    assert sent[1].url == "https://api.example.com/a/d?q=1"


def test_readable_headers_come_from_the_final_response() -> None:
    first = moved("/s", 302, PAGE, ("X-First", "1"), ("Access-Control-Expose-Headers", "X-First"))
    final = ok(PAGE, ("X-Final", "1"), ("Access-Control-Expose-Headers", "X-Final"), CRED)
    _, outcome = drive(probe("GET"), [first, final])
    assert outcome.readable_headers == ("x-final",)


def test_first_non_empty_location_is_followed() -> None:
    """Chromium's HttpResponseHeaders::IsRedirect skips empty Location lines, for a preflight
    and an actual response alike (checks.redirect_location serves both)."""
    sent, outcome = drive(probe("GET"), [moved("", 302, PAGE, ("Location", "/s")), ok()])
    assert [r.url for r in sent] == [API, "https://api.example.com/s"]
    assert outcome.verdict is Verdict.ALLOWED
