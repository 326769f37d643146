"""corsprobe.reasons: every Reason has an explanation, explain() fills every placeholder, and
the preflight_* twins map both ways.

Pure; no I/O.
"""

from __future__ import annotations

import re

import pytest

from corsprobe.reasons import TEXTS, Reason, explain

R = Reason
TWINS = {
    R.MISSING_ALLOW_ORIGIN_HEADER: R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
    R.ALLOW_ORIGIN_MISMATCH: R.PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
    R.MULTIPLE_ALLOW_ORIGIN_VALUES: R.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
    R.INVALID_ALLOW_ORIGIN_VALUE: R.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
    R.WILDCARD_ORIGIN_NOT_ALLOWED: R.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
    R.INVALID_ALLOW_CREDENTIALS: R.PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
}
DETAIL, ORIGIN, METHOD = "DETAIL-1x", "https://origin-2x.example", "METHOD3X"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
ALL = [pytest.param(r, id=str(r)) for r in Reason]


@pytest.mark.parametrize("reason", ALL)
def test_code_is_snake_case(reason: Reason) -> None:
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", reason.value)


@pytest.mark.parametrize("reason", ALL)
@pytest.mark.parametrize("preflight", [False, True], ids=["actual", "preflight"])
def test_explain_fills_every_placeholder(reason: Reason, preflight: bool) -> None:
    explanation, fix = explain(reason, DETAIL, origin=ORIGIN, method=METHOD, preflight=preflight)
    assert explanation.strip() and explanation.rstrip().endswith((".", "!"))
    for text in (explanation, fix or ""):
        assert "{" not in text and "}" not in text, text
        assert not PLACEHOLDER.search(text)


@pytest.mark.parametrize("reason", ALL)
def test_explain_uses_what_its_template_asks_for(reason: Reason) -> None:
    base = next((b for b, twin in TWINS.items() if twin is reason), reason)
    templates = " ".join(t for t in TEXTS[base] if t)
    explanation, fix = explain(reason, DETAIL, origin=ORIGIN, method=METHOD)
    text = f"{explanation} {fix or ''}"
    for field, value in (("detail", DETAIL), ("origin", ORIGIN), ("method", METHOD)):
        assert (value in text) is (f"{{{field}}}" in templates), field


@pytest.mark.parametrize("reason", ALL)
def test_every_reason_has_a_text(reason: Reason) -> None:
    assert reason in TEXTS or reason in TWINS.values()


@pytest.mark.parametrize(("base", "twin"), [pytest.param(b, t, id=str(b)) for b, t in TWINS.items()])
def test_preflight_variant(base: Reason, twin: Reason) -> None:
    assert base.preflight_variant is twin
    assert twin.preflight_variant is twin


@pytest.mark.parametrize("reason", [pytest.param(r, id=str(r)) for r in Reason
                                    if r not in TWINS and r not in TWINS.values()])
def test_other_reasons_are_their_own_preflight_variant(reason: Reason) -> None:
    assert reason.preflight_variant is reason


@pytest.mark.parametrize(("base", "twin"), [pytest.param(b, t, id=str(b)) for b, t in TWINS.items()])
def test_preflight_twin_says_preflight(base: Reason, twin: Reason) -> None:
    plain, _ = explain(base, DETAIL, origin=ORIGIN)
    on_preflight, _ = explain(twin, DETAIL, origin=ORIGIN)
    assert "preflight" not in plain.lower()
    assert "preflight" in on_preflight.lower()
    assert explain(base, DETAIL, origin=ORIGIN, preflight=True)[0] == on_preflight


@pytest.mark.parametrize("reason", [pytest.param(r, id=str(r)) for r in TWINS])
def test_cors_check_failures_tell_the_operator_a_fix(reason: Reason) -> None:
    assert explain(reason, DETAIL, origin=ORIGIN)[1]
