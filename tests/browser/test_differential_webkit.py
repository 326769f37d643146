"""One test per case: corsprobe's verdict and wire behaviour with the WebKit profile must
equal WebKitGTK's (driven through WebKitWebDriver under Xvfb), on the same grammar and
servers as the Chromium and Firefox suites.

Compared per case as for Chromium (see compare.py); the reason is compared at WebKit's
granularity (console_webkit.CATEGORIES).
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.browser.browsers import WEBKIT_BROWSER
from tests.browser.cases import all_cases
from tests.browser.compare import assert_agrees, compare, explain
from tests.browser.console_webkit import CATEGORIES, NOT_CORS_CATEGORIES
from tests.browser.harness import Observation, Run
from tests.browser.servers import Seen

CASES = all_cases()


@pytest.mark.parametrize("case_id", [case.id for case in CASES])
def test_case_agrees_with_webkit(webkit_run: Run, case_id: str) -> None:
    browser, mine = webkit_run.browser[case_id], webkit_run.corsprobe[case_id]
    assert_agrees(browser, mine, WEBKIT_BROWSER.agree, WEBKIT_BROWSER.not_cors, transport_gap)


def transport_gap(browser: Observation, mine: Observation) -> str | None:
    """Known differences of WebKitGTK's HTTP layer (libsoup, not CORS) from corsprobe's,
    recognised by exactly what each side did."""
    if browser.allowed == mine.allowed and _utf8_on_wire(browser, mine):
        return "libsoup sends a header value's U+0080-U+00FF characters as UTF-8, not as Latin-1 bytes"
    if not browser.allowed and not mine.allowed and browser.reason is None \
            and browser.detail == "Connection terminated unexpectedly" and mine.reason is not None \
            and [s.method for s in browser.seen] == [s.method for s in mine.seen] == ["OPTIONS"]:
        return ("WebKit reads a preflight's body and fails on a short one (libsoup: 'Connection terminated "
                "unexpectedly'); corsprobe's runner, as Chromium, never reads a preflight's body")
    return None


def _utf8_on_wire(browser: Observation, mine: Observation) -> bool:
    """Every request is equal once corsprobe's authored values are re-encoded as libsoup does."""
    def recoded(seen: Seen) -> Seen:
        authored = tuple((n, v.encode("utf-8").decode("latin-1")) for n, v in seen.authored)
        return dataclasses.replace(seen, authored=authored)
    changed = any(any(ord(c) > 0x7F for _, v in s.authored for c in v) for s in mine.seen)
    return changed and tuple(map(recoded, mine.seen)) == browser.seen


@pytest.mark.parametrize("case_id", [case.id for case in CASES
                                     if case.request.method != case.request.method.upper()])
def test_runner_sends_methods_as_written_webkit(webkit_run: Run, case_id: str) -> None:
    """The method on corsprobe's wire equals WebKit's: `patch` stays `patch`."""
    browser, mine = webkit_run.browser[case_id], webkit_run.corsprobe[case_id]
    assert [s.method for s in mine.seen] == [s.method for s in browser.seen], explain(browser, mine)


def test_every_webkit_category_is_produced_and_agreed(webkit_run: Run) -> None:
    """Each WebKit CORS category a server can cause over plain http shows up in an agreeing case."""
    agreed: set[str] = set()
    for case_id, mine in webkit_run.corsprobe.items():
        browser = webkit_run.browser[case_id]
        try:
            compare(browser, mine, WEBKIT_BROWSER.agree, WEBKIT_BROWSER.not_cors)
        except AssertionError:
            continue
        if browser.reason is not None:
            agreed.add(browser.reason)
    assert set(CATEGORIES) - NOT_CORS_CATEGORIES - agreed == set()
