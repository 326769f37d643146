"""How one case's two observations are compared, and the runner gaps that are known.

``compare`` raises AssertionError naming the first field that differs. Pure; no I/O.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import pytest

from corsprobe.reasons import Reason
from tests.browser.console import NOT_CORS
from tests.browser.harness import Observation, Run

# Known gaps of corsprobe/runner.py (not the engine), recognised by what the runner reported.
# A case only xfails when its comparison fails *and* the runner reported this signature. None today:
# response heads are read as Chromium reads them (corsprobe.wire.head; docs/wire-head.md).
RUNNER_GAPS: dict[str, str] = {}


def explain(browser: Observation, mine: Observation) -> str:
    return f"\n  browser:   {browser}\n  corsprobe: {mine}"


def runner_gap(mine: Observation) -> str | None:
    return next((why for signature, why in RUNNER_GAPS.items() if signature in mine.detail), None)


def assert_agrees(browser: Observation, mine: Observation,
                  agree: Callable[[str | None, str | None], bool] = operator.eq,
                  not_cors: frozenset[Reason] = NOT_CORS,
                  known_gap: Callable[[Observation, Observation], str | None] | None = None) -> None:
    """compare(); a disagreement that a known gap (the runner's, or ``known_gap``) explains
    becomes an xfail naming the gap."""
    try:
        compare(browser, mine, agree, not_cors)
    except AssertionError:
        gap = (known_gap(browser, mine) if known_gap else None) or runner_gap(mine)
        if gap is None:
            raise
        pytest.xfail(gap)


def compare(browser: Observation, mine: Observation,
            agree: Callable[[str | None, str | None], bool] = operator.eq,
            not_cors: frozenset[Reason] = NOT_CORS) -> None:
    """Verdict, requests on the wire, readable headers, status, reason: in that order.

    ``agree`` says whether the browser's reason label and corsprobe's reason code match
    (Chromium: equal; Firefox: the code is one its console category covers); ``not_cors``
    are the codes of failures the browser reports without a CORS console message.
    """
    why = explain(browser, mine)
    assert mine.allowed == browser.allowed, "verdict differs" + why
    assert list(mine.intended) == [s.method for s in browser.seen], "request methods differ" + why
    assert [(s.acrm, s.acrh) for s in mine.seen] == [(s.acrm, s.acrh) for s in browser.seen], (
        "preflight headers differ" + why)
    assert [(s.hop, s.server, s.origin) for s in mine.seen] == [
        (s.hop, s.server, s.origin) for s in browser.seen], "origins differ" + why
    assert mine.seen == browser.seen, "methods on the wire, authored request headers or bodies differ" + why
    assert mine.readable == browser.readable, "readable headers differ" + why
    assert mine.status == browser.status, "status differs" + why
    if browser.reason is None and not browser.allowed:
        assert mine.reason in not_cors, "the browser failed without a CORS error" + why
    else:
        assert agree(browser.reason, mine.reason), "reason differs" + why


def agreed_reasons(run: Run, agree: Callable[[str | None, str | None], bool],
                   not_cors: frozenset[Reason]) -> set[str]:
    """The browser's reason labels over every case of ``run`` where corsprobe agrees with it."""
    agreed: set[str] = set()
    for case_id, mine in run.corsprobe.items():
        browser = run.browser[case_id]
        try:
            compare(browser, mine, agree, not_cors)
        except AssertionError:
            continue
        if browser.reason is not None:
            agreed.add(browser.reason)
    return agreed
