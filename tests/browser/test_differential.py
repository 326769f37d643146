"""One test per case: corsprobe's verdict and wire behaviour must equal headless Chromium's.

Compared per case (see compare.py): verdict, the requests each side put on the wire
(preflight or not, its Access-Control-Request-Method/-Headers, every hop's Origin, whether
the actual request arrived, authored headers and body size), the readable response header
names, the status and, when blocked, the reason (Chromium's console message classified).
"""

from __future__ import annotations

import pytest

from tests.browser.cases import all_cases
from tests.browser.compare import assert_agrees, explain
from tests.browser.harness import Run

CASES = all_cases()


@pytest.mark.parametrize("case_id", [case.id for case in CASES])
def test_case_agrees_with_chromium(browser_run: Run, case_id: str) -> None:
    browser, mine = browser_run.browser[case_id], browser_run.corsprobe[case_id]
    assert_agrees(browser, mine)


@pytest.mark.parametrize("case_id", [case.id for case in CASES
                                     if case.request.method != case.request.method.upper()])
def test_runner_sends_methods_as_written(browser_run: Run, case_id: str) -> None:
    """The method on corsprobe's wire equals Chromium's: `patch` stays `patch`."""
    browser, mine = browser_run.browser[case_id], browser_run.corsprobe[case_id]
    wire, expected = [s.method for s in mine.seen], [s.method for s in browser.seen]
    assert wire == expected, explain(browser, mine)
