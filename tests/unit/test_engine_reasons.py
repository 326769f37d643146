"""Every failure reason the engine can produce, once produced and once as a near miss that
passes; a guard test fails when a new Reason member has no row here.

Pure: responses are scripted (see engine_script.drive).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from engine_script import CRED, PAGE, bare, drive, moved, ok, pf, probe

from corsprobe.model import Credentials, HttpResponse, Probe, Verdict
from corsprobe.reasons import Reason

R = Reason
INC = Credentials.INCLUDE
# Reasons that are not failures decided by the engine: transport failures found by the runner,
# and warnings or notes that never block.
RUNNER_ONLY = {R.NETWORK_ERROR, R.TIMEOUT, R.TLS_ERROR, R.INVALID_RESPONSE, R.PROBE_FAILED}
NOT_FAILURES = {
    R.ACTUAL_NOT_SENT, R.AUTHORIZATION_COVERED_BY_WILDCARD, R.REFLECTED_ORIGIN_WITHOUT_VARY,
    R.CREDENTIALS_WITH_NULL_ORIGIN, R.COOKIE_NOT_SENT_CROSS_SITE, R.SIDE_EFFECT_SIMPLE_REQUEST,
    R.FORBIDDEN_HEADER_DROPPED, R.LOCAL_NETWORK_ACCESS, R.ANY_ORIGIN_WITH_CREDENTIALS,
}
ENGINE_FAILURES = set(Reason) - RUNNER_ONLY - NOT_FAILURES


@dataclass(frozen=True)
class Case:
    """``reason`` set: the engine must block with it. ``near`` set: must be allowed."""

    id: str
    probe: Probe
    script: tuple[HttpResponse, ...]
    reason: Reason | None = None
    near: Reason | None = None


def blocked(reason: Reason, p: Probe, *script: HttpResponse, tag: str = "") -> Case:
    return Case(f"{reason}{tag}", p, script, reason=reason)


def near(reason: Reason, p: Probe, *script: HttpResponse, tag: str = "") -> Case:
    return Case(f"near-{reason}{tag}", p, script, near=reason)


GET = probe("GET")
GET_INC = probe("GET", credentials=INC)
PUT = probe("PUT")  # preflight only: send_unsafe is off
PUT_INC = probe("PUT", credentials=INC)
GET_TOKEN = probe("GET", headers=(("X-Token", "1"),))
OK_PF = pf("PUT")


def hops(count: int) -> tuple[HttpResponse, ...]:
    return tuple(moved(f"/r{i}") for i in range(count))


CASES = [
    blocked(R.MISSING_ALLOW_ORIGIN_HEADER, GET, bare(200)),
    near(R.MISSING_ALLOW_ORIGIN_HEADER, GET, ok()),
    blocked(R.MISSING_ALLOW_ORIGIN_HEADER, GET, moved("/s", 302, None), tag="-on-redirect"),
    near(R.MISSING_ALLOW_ORIGIN_HEADER, GET, moved("/s"), ok(), tag="-on-redirect"),
    blocked(R.ALLOW_ORIGIN_MISMATCH, GET, ok(f"{PAGE}/")),
    near(R.ALLOW_ORIGIN_MISMATCH, GET, ok(PAGE)),
    blocked(R.MULTIPLE_ALLOW_ORIGIN_VALUES, GET, ok(PAGE, ("Access-Control-Allow-Origin", PAGE))),
    near(R.MULTIPLE_ALLOW_ORIGIN_VALUES, GET, ok(PAGE, ("Vary", "Origin"))),
    blocked(R.INVALID_ALLOW_ORIGIN_VALUE, GET, ok("*.example.com")),
    near(R.INVALID_ALLOW_ORIGIN_VALUE, GET, ok("*")),
    blocked(R.WILDCARD_ORIGIN_NOT_ALLOWED, GET_INC, ok("*", CRED)),
    near(R.WILDCARD_ORIGIN_NOT_ALLOWED, GET_INC, ok(PAGE, CRED)),
    blocked(R.INVALID_ALLOW_CREDENTIALS, GET_INC, ok(PAGE, ("Access-Control-Allow-Credentials", "True"))),
    near(R.INVALID_ALLOW_CREDENTIALS, GET_INC, ok(PAGE, CRED)),
    blocked(R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, PUT, bare(204, ("Access-Control-Allow-Methods", "PUT"))),
    near(R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, PUT, OK_PF),
    blocked(R.PREFLIGHT_ALLOW_ORIGIN_MISMATCH, PUT, pf("PUT", "", "https://app.example.com:443")),
    near(R.PREFLIGHT_ALLOW_ORIGIN_MISMATCH, PUT, pf("PUT", "", PAGE)),
    blocked(R.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, PUT, pf("PUT", "", f"{PAGE},{PAGE}")),
    near(R.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, PUT, pf("PUT", "", PAGE)),
    blocked(R.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, PUT, pf("PUT", "", "app.example.com")),
    near(R.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, PUT, pf("PUT", "", "*")),
    blocked(R.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, PUT_INC, pf("PUT", "", "*", CRED)),
    near(R.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, PUT_INC, pf("PUT", "", PAGE, CRED)),
    blocked(R.PREFLIGHT_INVALID_ALLOW_CREDENTIALS, PUT_INC, pf("PUT", "", PAGE)),
    near(R.PREFLIGHT_INVALID_ALLOW_CREDENTIALS, PUT_INC, pf("PUT", "", PAGE, CRED)),
    blocked(R.PREFLIGHT_INVALID_STATUS, PUT, pf("PUT", status=404)),
    near(R.PREFLIGHT_INVALID_STATUS, PUT, pf("PUT", status=299)),
    blocked(R.PREFLIGHT_DISALLOWED_REDIRECT, PUT, pf("PUT", "", PAGE, ("Location", "/s"), status=307)),
    near(R.PREFLIGHT_DISALLOWED_REDIRECT, PUT, pf("PUT", "", PAGE, ("Location", "/s"), status=200)),
    blocked(R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, PUT, pf("PUT DELETE")),
    near(R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, PUT, pf("PUT, DELETE")),
    blocked(R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, GET_TOKEN, pf("GET", "X-Token;")),
    near(R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, GET_TOKEN, pf("GET", "X-Token"), ok()),
    blocked(R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, PUT, pf("put")),
    near(R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, PUT, pf("PUT")),
    blocked(R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, probe("patch"), pf("PATCH"), tag="-patch"),
    near(R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, probe("PATCH"), pf("PATCH"), tag="-PATCH"),
    blocked(R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, GET_TOKEN, pf("GET", "X-Other")),
    near(R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, GET_TOKEN, pf("GET", "x-other, X-TOKEN"), ok()),
    blocked(R.REDIRECT_CONTAINS_CREDENTIALS, GET, moved("https://u:p@api.example.com/s")),
    near(R.REDIRECT_CONTAINS_CREDENTIALS, GET, moved("https://api.example.com/s"), ok()),
    blocked(R.CORS_DISABLED_SCHEME, GET, moved("ftp://api.example.com/s")),
    near(R.CORS_DISABLED_SCHEME, GET, moved("https://other.example.com/s"), ok("null")),
    blocked(R.CORS_DISABLED_SCHEME, probe("GET", "ftp://api.example.com/r"), tag="-url"),
    near(R.CORS_DISABLED_SCHEME, probe("GET", "https://api.example.com/r"), ok(), tag="-url"),
    blocked(R.TOO_MANY_REDIRECTS, GET, *hops(21)),
    near(R.TOO_MANY_REDIRECTS, GET, *hops(20), ok()),
    blocked(R.INVALID_REDIRECT, GET, moved("https://[::1/s")),
    near(R.INVALID_REDIRECT, GET, moved("https://[::1]/s"), ok("null")),
    blocked(R.INVALID_REDIRECT, GET, moved("https://exa mple.com/s"), tag="-space-in-host"),
    near(R.INVALID_REDIRECT, GET, moved("https://example.com/s%20x"), ok("null"), tag="-space-in-path"),
    blocked(R.FORBIDDEN_METHOD, probe("TRACE")),
    near(R.FORBIDDEN_METHOD, probe("PATCH"), pf("PATCH")),
    blocked(R.INVALID_REQUEST, probe("GET", body="x")),
    near(R.INVALID_REQUEST, probe("POST", body="x", send_unsafe=True), ok()),
    blocked(R.INVALID_REQUEST, probe("GET", headers=(("X-A", "a\nb"),)), tag="-header-value"),
    near(R.INVALID_REQUEST, probe("GET", headers=(("X-A", "a b"),)), pf("GET", "x-a"), ok(),
         tag="-header-value"),
    blocked(R.INVALID_REQUEST, probe("GE T"), tag="-method"),
    blocked(R.INVALID_REQUEST, probe("GET", origin="ftp://app.example.com"), tag="-origin"),
    near(R.INVALID_REQUEST, probe("GET", origin="null"), ok("null"), tag="-null-origin"),
    blocked(R.MIXED_CONTENT, probe("GET", url="http://api.example.com/r"), tag="-http-api"),
    near(R.MIXED_CONTENT, probe("GET", url="http://127.0.0.1:8000/r"), ok(), tag="-loopback-api"),
    blocked(R.MIXED_CONTENT, GET, moved("http://api.example.com/r"), tag="-redirect-to-http"),
    near(R.MIXED_CONTENT, GET, moved("https://api.example.com/s"), ok(), tag="-redirect-to-https"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_reason_case(case: Case) -> None:
    _, outcome = drive(case.probe, case.script)
    if case.reason is not None:
        assert outcome.verdict is Verdict.BLOCKED
        assert outcome.failure is not None and outcome.failure.reason is case.reason
    else:
        assert outcome.verdict is Verdict.ALLOWED, outcome.failure
        assert outcome.failure is None


def test_every_engine_failure_reason_is_produced_and_nearly_missed() -> None:
    produced = {c.reason for c in CASES if c.reason is not None}
    nearly = {c.near for c in CASES if c.near is not None}
    assert ENGINE_FAILURES - produced == set(), "failure reasons never produced by a case"
    assert ENGINE_FAILURES - nearly == set(), "failure reasons without a near-miss case"
    assert produced | nearly <= ENGINE_FAILURES


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))

