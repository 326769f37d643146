"""Table-driven: diagnose() lists every problem of a row (not only the browser's first failure), with the
right wording, and plan()/conclude() pick and read the extra comparison probes."""

from __future__ import annotations

import pytest

from corsprobe.browser import comparison
from corsprobe.browser.diagnosis import ACTUAL_UNSEEN, diagnose
from corsprobe.layers.base import ProblemCode as P
from corsprobe.model import (
    Credentials,
    Exchange,
    Expectation,
    ExtraExchange,
    ExtraPurpose,
    Finding,
    HttpResponse,
    Outcome,
    Probe,
    Result,
    Verdict,
)
from corsprobe.reasons import Reason
from tests.unit.engine_script import ACAC, API, PAGE, bare, drive, ok, pf

INC = Credentials.INCLUDE
ACAM, ACAH, ACEH = "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers"


def run(probe: Probe, responses: list[HttpResponse], expect: Expectation | None = None,
        extra: tuple[ExtraExchange, ...] = ()) -> Result:
    sent, outcome = drive(probe, responses)
    return Result(probe, outcome, tuple(Exchange(q, r) for q, r in zip(sent, responses, strict=True)), expect,
                  extra=extra)


PUT_TOKEN = Probe(API, PAGE, "PUT", (("X-Token", "1"),), INC, send_unsafe=True)
CASES = [
    # (id, probe, responses, expect, codes, words in the changes)
    ("everything wrong on one preflight", PUT_TOKEN, [HttpResponse(405, ((ACAM, "GET"),))], None,
     [P.ORIGIN_NOT_ALLOWED, P.CREDENTIALS_NOT_ALLOWED, P.METHOD_NOT_ALLOWED, P.HEADER_NOT_ALLOWED, P.PREFLIGHT_STATUS],
     ["the header is absent", "it got 405", "(it is 'GET')", "'X-Token'", "(the header is absent)"]),
    ("nginx: 405 without any CORS header folds the lists into the origin", PUT_TOKEN, [bare(405)], None,
     [P.ORIGIN_NOT_ALLOWED, P.CREDENTIALS_NOT_ALLOWED, P.PREFLIGHT_STATUS], ["must also allow method 'PUT'"]),
    ("disallowed header names the server's list", Probe(API, PAGE, "PUT", (("X-Token", "1"),), send_unsafe=True),
     [pf("PUT", "X-Other")], None, [P.HEADER_NOT_ALLOWED], ["the server's list is 'X-Other'"]),
    ("empty credentials is worded as empty", Probe(API, PAGE, credentials=INC), [ok(PAGE, (ACAC, ""))], None,
     [P.CREDENTIALS_NOT_ALLOWED], ["it is ''"]),
    ("absent credentials", Probe(API, PAGE, credentials=INC), [ok(PAGE)], None, [P.CREDENTIALS_NOT_ALLOWED],
     ["it is absent"]),
    ("wildcard with credentials and no Allow-Credentials", Probe(API, PAGE, credentials=INC), [ok("*")], None,
     [P.WILDCARD_WITH_CREDENTIALS, P.CREDENTIALS_NOT_ALLOWED], ["instead of '*'"]),
    ("trailing slash in the answer", Probe(API, PAGE), [ok(PAGE + "/")], None, [P.INVALID_ALLOW_ORIGIN],
     ["a trailing slash or path", f"answer exactly '{PAGE}'"]),
    ("another scheme", Probe(API, PAGE), [ok("http://app.example.com")], None, [P.ORIGIN_NOT_ALLOWED],
     ["scheme http://"]),
    ("a layer that answers CORS but not this origin: exact serialized origin",
     Probe(API, PAGE), [bare(200, ("Vary", "Origin"), (ACAC, "true"))], None, [P.ORIGIN_NOT_ALLOWED],
     [f"list '{PAGE}'", "no trailing slash"]),
    ("unmet expect_readable is Expose-Headers, never 'stop allowing'", Probe(API, PAGE),
     [ok(PAGE, ("X-Total", "3"))], Expectation(Verdict.ALLOWED, readable=("X-Total",)), [P.HEADER_NOT_EXPOSED],
     ["to Access-Control-Expose-Headers", "it is absent"]),
    ("'*' does not expose with credentials", Probe(API, PAGE, credentials=INC),
     [ok(PAGE, CRED := (ACAC, "true"), (ACEH, "*"), ("X-Total", "3"))],
     Expectation(Verdict.ALLOWED, readable=("X-Total",)), [P.HEADER_NOT_EXPOSED], ["'*' does not expose"]),
    ("blocked as expected: nothing to fix", Probe(API, "https://evil.example"), [bare()],
     Expectation(Verdict.BLOCKED), [], []),
    ("allowed but expected blocked", Probe(API, "https://evil.example"), [ok("https://evil.example")],
     Expectation(Verdict.BLOCKED), [P.UNWANTED_ORIGIN_ALLOWED], ["Stop allowing origin 'https://evil.example'"]),
    ("lower-case method", Probe(API, PAGE, "patch", send_unsafe=True), [pf("PATCH")], None, [P.METHOD_NOT_ALLOWED],
     ["write 'PATCH' in the page"]),
]


@pytest.mark.parametrize(("probe", "responses", "expect", "codes", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_every_problem_is_listed(probe: Probe, responses: list[HttpResponse], expect: Expectation | None,
                                 codes: list[P], words: list[str]) -> None:
    result = run(probe, responses, expect)
    diagnosis = diagnose(result)
    assert [p.code for p in diagnosis.problems] == codes, [p.change for p in diagnosis.problems]
    text = " ".join(p.change for p in diagnosis.problems)
    for word in words:
        assert word in text
    assert "Stop allowing" not in text or P.UNWANTED_ORIGIN_ALLOWED in codes


def test_a_failed_preflight_says_the_actual_response_is_unseen() -> None:
    diagnosis = diagnose(run(PUT_TOKEN, [bare(405)]))
    assert diagnosis.actual_unseen and diagnosis.note == ACTUAL_UNSEEN


def test_https_to_a_plain_http_port() -> None:
    failure = Finding(Reason.TLS_ERROR, "actual GET https://127.0.0.1:8000/x: [SSL: WRONG_VERSION_NUMBER] wrong "
                                        "version number (_ssl.c:1000)")
    result = Result(Probe("https://127.0.0.1:8000/x", PAGE), Outcome(Verdict.ERROR, failure))
    (problem,) = diagnose(result).problems
    assert problem.code is P.PLAIN_HTTP_PORT and "use http://127.0.0.1:8000/x" in problem.change


def test_preflight_skipping_the_layer_needs_the_get_comparison() -> None:
    result = run(PUT_TOKEN, [bare(405)])
    (planned,) = comparison.plan(result)
    assert planned.purpose is ExtraPurpose.GET_COMPARISON and planned.request.method == "GET"
    assert planned.request.header("cookie") is None
    extra = (ExtraExchange(planned.purpose, Exchange(planned.request, ok(PAGE, CRED))),)
    codes = [p.code for p in diagnose(run(PUT_TOKEN, [bare(405)], extra=extra)).problems]
    assert codes[0] is P.PREFLIGHT_SKIPS_LAYER


def test_error_skipping_the_layer_needs_the_options_comparison() -> None:
    result = run(Probe(API, PAGE), [bare(500)])
    (planned,) = comparison.plan(result)
    assert planned.purpose is ExtraPurpose.OPTIONS_COMPARISON and planned.request.method == "OPTIONS"
    extra = (ExtraExchange(planned.purpose, Exchange(planned.request, pf("GET"))),)
    (problem,) = diagnose(run(Probe(API, PAGE), [bare(500)], extra=extra)).problems
    assert problem.code is P.ERROR_SKIPS_LAYER and problem.status == 500


def _canary(result: Result, answer: HttpResponse) -> Result:
    (planned,) = comparison.plan(result)
    assert planned.purpose is ExtraPurpose.CANARY_ORIGIN and planned.request.method == "OPTIONS"
    assert planned.request.header("origin") == comparison.CANARY_ORIGIN
    return comparison.conclude(Result(result.probe, result.outcome, result.exchanges, result.expect,
                                      extra=(ExtraExchange(planned.purpose, Exchange(planned.request, answer)),)))


def test_a_fixed_allow_origin_drops_the_vary_warning() -> None:
    result = run(Probe(API, PAGE), [ok(PAGE)])
    assert Reason.REFLECTED_ORIGIN_WITHOUT_VARY in {w.reason for w in result.outcome.warnings}
    fixed = _canary(result, pf("GET", "", PAGE))
    assert Reason.REFLECTED_ORIGIN_WITHOUT_VARY not in {w.reason for w in fixed.outcome.warnings}
    reflected = _canary(result, pf("GET", "", comparison.CANARY_ORIGIN))
    assert Reason.REFLECTED_ORIGIN_WITHOUT_VARY in {w.reason for w in reflected.outcome.warnings}


def test_any_origin_with_credentials() -> None:
    result = run(Probe(API, PAGE, credentials=INC), [ok(PAGE, CRED, ("Vary", "Origin"))])
    found = _canary(result, pf("GET", "", comparison.CANARY_ORIGIN, CRED))
    assert Reason.ANY_ORIGIN_WITH_CREDENTIALS in {w.reason for w in found.outcome.warnings}
    (problem,) = diagnose(found).problems
    assert problem.code is P.ANY_ORIGIN_WITH_CREDENTIALS
    safe = _canary(result, bare(204))
    assert Reason.ANY_ORIGIN_WITH_CREDENTIALS not in {w.reason for w in safe.outcome.warnings}
    assert diagnose(safe).problems == ()


def test_extra_probes_are_bounded_and_safe() -> None:
    for case in CASES:
        for planned in comparison.plan(run(case[1], case[2], case[3])):
            assert planned.request.method in ("GET", "HEAD", "OPTIONS")
            assert not {n.lower() for n, _ in planned.request.headers} & {"cookie", "authorization"}
    assert comparison.MAX_EXTRA == 2
