"""Results built by hand for the output-format tests: one per kind of row a format must show.

Each value is what the runner would return for the exchanges it lists; no I/O.
"""

from __future__ import annotations

from corsprobe.model import (
    Credentials,
    Exchange,
    Expectation,
    Finding,
    HttpRequest,
    HttpResponse,
    Outcome,
    Probe,
    Result,
    Stage,
    Verdict,
)
from corsprobe.reasons import Reason

APP = "https://app.example.com"
EVIL = "https://evil.example"
API = "https://api.example.com"


def _get(url: str, origin: str, *response_headers: tuple[str, str], status: int = 200) -> Exchange:
    request = HttpRequest(Stage.ACTUAL, "GET", url, (("Origin", origin),))
    return Exchange(request, HttpResponse(status, response_headers, "OK"))


def allowed() -> Result:
    url = f"{API}/items"
    probe = Probe(url=url, origin=APP, name="app reads items")
    exchange = _get(url, APP, ("Access-Control-Allow-Origin", APP), ("Vary", "Origin"))
    return Result(probe, Outcome(Verdict.ALLOWED, actual_checked=True), (exchange,),
                  Expectation(Verdict.ALLOWED), "scenarios/x.toml:4")


def blocked_as_expected() -> Result:
    url = f"{API}/items"
    probe = Probe(url=url, origin=EVIL, name="evil origin is blocked")
    failure = Finding(Reason.MISSING_ALLOW_ORIGIN_HEADER, "", Stage.ACTUAL)
    return Result(probe, Outcome(Verdict.BLOCKED, failure, actual_checked=True), (_get(url, EVIL),),
                  Expectation(Verdict.BLOCKED), "scenarios/x.toml:12")


def blocked_failing() -> Result:
    """A PUT whose preflight does not list the method, though the scenario expects it allowed."""
    url = f"{API}/items/1"
    probe = Probe(url=url, origin=APP, method="PUT", name="app, updates: items",
                  headers=(("Content-Type", "application/json"),))
    preflight = HttpRequest(Stage.PREFLIGHT, "OPTIONS", url, (
        ("Origin", APP), ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "content-type")))
    response = HttpResponse(204, (("Access-Control-Allow-Origin", APP),
                                  ("Access-Control-Allow-Methods", "GET, POST")), "No Content")
    failure = Finding(Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, "GET, POST", Stage.PREFLIGHT)
    outcome = Outcome(Verdict.BLOCKED, failure, preflight_needed=True, unsafe_headers=("content-type",))
    return Result(probe, outcome, (Exchange(preflight, response),), Expectation(Verdict.ALLOWED),
                  "scenarios/x.toml:20")


def allowed_failing() -> Result:
    """A credentialed read the scenario expects blocked, but the server reflects any origin."""
    url = f"{API}/me"
    probe = Probe(url=url, origin=EVIL, credentials=Credentials.INCLUDE, name="100% evil reads me")
    exchange = _get(url, EVIL, ("Access-Control-Allow-Origin", EVIL),
                    ("Access-Control-Allow-Credentials", "true"))
    warning = Finding(Reason.REFLECTED_ORIGIN_WITHOUT_VARY, EVIL, Stage.ACTUAL)
    outcome = Outcome(Verdict.ALLOWED, warnings=(warning,), actual_checked=True)
    return Result(probe, outcome, (exchange,), Expectation(Verdict.BLOCKED), "scenarios/y.toml:3")


def error_row() -> Result:
    url = "http://127.0.0.1:9/down"
    probe = Probe(url=url, origin=APP)
    request = HttpRequest(Stage.ACTUAL, "GET", url, (("Origin", APP),))
    failure = Finding(Reason.NETWORK_ERROR, "connection refused", Stage.ACTUAL)
    return Result(probe, Outcome(Verdict.ERROR, failure),
                  (Exchange(request, None, "connection refused"),))


def unchecked() -> Result:
    probe = Probe(url=f"{API}/log", origin=APP, method="POST", body="x", name="simple post")
    warning = Finding(Reason.ACTUAL_NOT_SENT, "POST", Stage.ACTUAL)
    return Result(probe, Outcome(Verdict.UNCHECKED, warnings=(warning,)), (),
                  Expectation(Verdict.ALLOWED), "scenarios/y.toml:9")


def with_warnings() -> Result:
    url = f"{API}/public"
    probe = Probe(url=url, origin=APP, name="public feed")
    exchange = _get(url, APP, ("Access-Control-Allow-Origin", APP))
    warning = Finding(Reason.REFLECTED_ORIGIN_WITHOUT_VARY, APP, Stage.ACTUAL)
    return Result(probe, Outcome(Verdict.ALLOWED, warnings=(warning,), actual_checked=True), (exchange,))


def blocked_unexpected() -> Result:
    """Blocked, no expectation (a plain ``check``): shown, but not a failure."""
    url = f"{API}/private"
    probe = Probe(url=url, origin=EVIL)
    failure = Finding(Reason.ALLOW_ORIGIN_MISMATCH, APP, Stage.ACTUAL)
    return Result(probe, Outcome(Verdict.BLOCKED, failure, actual_checked=True),
                  (_get(url, EVIL, ("Access-Control-Allow-Origin", APP)),))


def every_kind() -> list[Result]:
    return [allowed(), blocked_as_expected(), blocked_failing(), allowed_failing(), error_row(),
            unchecked(), with_warnings(), blocked_unexpected()]
