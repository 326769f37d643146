"""One test per case: corsprobe's verdict and wire behaviour with the Firefox profile must
equal headless Firefox's (ESR), on the same grammar and servers as the Chromium suite.

Compared per case as for Chromium (see compare.py); the reason is compared at Firefox's
granularity (console_firefox.CATEGORIES).
"""

from __future__ import annotations

import pytest

from tests.browser.browsers import FIREFOX_BROWSER
from tests.browser.cases import all_cases
from tests.browser.cases_wire import FIREFOX_READS, parser_difference
from tests.browser.compare import agreed_reasons, assert_agrees, explain
from tests.browser.console_firefox import CATEGORIES
from tests.browser.harness import Observation, Run

CASES = all_cases()


@pytest.mark.parametrize("case_id", [case.id for case in CASES])
def test_case_agrees_with_firefox(firefox_run: Run, case_id: str) -> None:
    browser, mine = firefox_run.browser[case_id], firefox_run.corsprobe[case_id]
    def known(b: Observation, m: Observation) -> str | None:
        return transport_gap(b, m) or parser_difference("Firefox", FIREFOX_READS, case_id, b.allowed)
    assert_agrees(browser, mine, FIREFOX_BROWSER.agree, FIREFOX_BROWSER.not_cors, known)


def transport_gap(browser: Observation, mine: Observation) -> str | None:
    """Known differences of Firefox's HTTP layer (not CORS) from corsprobe's, recognised by
    what each side did; the verdict is the same (blocked)."""
    if browser.allowed or mine.allowed:
        return None
    requests = {(s.hop, s.method, s.acrm) for s in browser.seen}
    if browser.reason is None and len(browser.seen) > 1 and len(requests) == 1 and len(mine.seen) == 1 \
            and "an empty reply" in mine.detail:
        return f"Firefox retries a request after an empty reply ({len(browser.seen)} attempts); corsprobe does not"
    if browser.reason == "CORSMissingAllowOrigin2" and mine.reason in ("network_error", "invalid_response") \
            and [s.method for s in browser.seen] == [s.method for s in mine.seen]:
        return "Firefox reads a reply without a status line as an HTTP/0.9 body (then fails the CORS check)"
    return None


@pytest.mark.parametrize("case_id", [case.id for case in CASES
                                     if case.request.method != case.request.method.upper()])
def test_runner_sends_methods_as_written_firefox(firefox_run: Run, case_id: str) -> None:
    """The method on corsprobe's wire equals Firefox's: `patch` stays `patch`."""
    browser, mine = firefox_run.browser[case_id], firefox_run.corsprobe[case_id]
    assert [s.method for s in mine.seen] == [s.method for s in browser.seen], explain(browser, mine)


def test_every_firefox_category_is_produced_and_agreed(firefox_run: Run) -> None:
    """Each Firefox CORS category a server can cause over plain http shows up in an agreeing case."""
    agreed = agreed_reasons(firefox_run, FIREFOX_BROWSER.agree, FIREFOX_BROWSER.not_cors)
    reachable = set(CATEGORIES) - {"CORSRequestNotHttp"}  # needs a non-HTTP fetch() URL
    assert reachable - agreed == set()
