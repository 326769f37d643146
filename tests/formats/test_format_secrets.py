"""No output format leaks a secret: Authorization, Cookie and Set-Cookie values are masked by
header name, a declared secret wherever it appears (URL, names, hop URLs), even with -v.
"""

from __future__ import annotations

import pytest

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
from corsprobe.output.render import FORMATS, RenderOptions, renderer
from corsprobe.output.render.github import step_summary
from corsprobe.output.secrets import MASK, Masker
from corsprobe.reasons import Reason

AUTHORIZATION = "Bearer auth-secret-4711"
COOKIE_VALUE = "cookie-secret-0815"
SET_COOKIE_VALUE = "set-cookie-secret-42"
DECLARED = "url-secret-9000"
ORIGIN = "https://app.example.com"
SECRETS = (AUTHORIZATION, "auth-secret-4711", COOKIE_VALUE, SET_COOKIE_VALUE, DECLARED)


def _leaky_results() -> list[Result]:
    url = f"https://api.example.com/me?key={DECLARED}"
    headers = (("Authorization", AUTHORIZATION),)
    probe = Probe(url=url, origin=ORIGIN, method="GET", headers=headers, credentials=Credentials.INCLUDE,
                  cookie=f"sid={COOKIE_VALUE}")
    preflight = HttpRequest(Stage.PREFLIGHT, "OPTIONS", url, (
        ("Origin", ORIGIN), ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "authorization")))
    preflight_response = HttpResponse(204, (
        ("Access-Control-Allow-Origin", ORIGIN), ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Headers", "Authorization")), "No Content")
    actual = HttpRequest(Stage.ACTUAL, "GET", url, (
        ("Origin", ORIGIN), *headers, ("Cookie", f"sid={COOKIE_VALUE}")))
    actual_response = HttpResponse(200, (
        ("Access-Control-Allow-Origin", ORIGIN), ("Access-Control-Allow-Credentials", "true"),
        ("Set-Cookie", f"sid={SET_COOKIE_VALUE}; Path=/; HttpOnly"),
        ("Location-Note", f"see {url}")), "OK")
    warning = Finding(Reason.COOKIE_NOT_SENT_CROSS_SITE, "sid", Stage.ACTUAL)
    outcome = Outcome(Verdict.ALLOWED, warnings=(warning,), preflight_needed=True,
                      unsafe_headers=("authorization",), actual_checked=True)
    exchanges = (Exchange(preflight, preflight_response), Exchange(actual, actual_response))
    allowed = Result(probe, outcome, exchanges, Expectation(Verdict.BLOCKED), f"scenarios/{DECLARED}.toml:3")
    failure = Finding(Reason.NETWORK_ERROR, f"connection to {url} refused", Stage.ACTUAL)
    errored = Result(probe, Outcome(Verdict.ERROR, failure), (Exchange(actual, None, f"refused: {url}"),))
    return [allowed, errored]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_no_format_leaks_a_secret(fmt: str, verbose: bool) -> None:
    options = RenderOptions(verbose=verbose, masker=Masker.of([DECLARED]))
    text = renderer(fmt)(_leaky_results(), options)
    leaked = [secret for secret in SECRETS if secret in text]
    assert leaked == [], f"{fmt} leaks {leaked}"
    assert "api.example.com" in text or fmt == "github"


@pytest.mark.parametrize("fmt", ["junit", "markdown"])
def test_masked_values_are_visible_as_masks(fmt: str) -> None:
    """The masked exchanges are still shown (verbose), with the header names kept."""
    text = renderer(fmt)(_leaky_results(), RenderOptions(verbose=True, masker=Masker.of([DECLARED])))
    assert f"Authorization: {MASK}" in text
    assert f"Set-Cookie: sid={MASK}; Path=/; HttpOnly" in text
    assert f"?key={MASK}" in text


def test_step_summary_leaks_nothing() -> None:
    text = step_summary(_leaky_results(), RenderOptions(verbose=True, masker=Masker.of([DECLARED])))
    assert [secret for secret in SECRETS if secret in text] == []


def test_the_formats_under_test_are_all_registered() -> None:
    assert {"table", "json", "junit", "markdown", "github"} <= set(FORMATS)
