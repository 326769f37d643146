"""Secure contexts against headless Firefox ESR: the secure-* cases of test_secure.py from
https://app.test:P (Firefox resolves *.test to loopback via network.dns.localDomains and
trusts the test CA), compared with corsprobe's FIREFOX profile.

Firefox refuses a redirect to mixed content before anything else looks at the 3xx; the
FIREFOX profile models that order (mixed_content_first_on_redirect).
"""

from __future__ import annotations

import pytest

from tests.browser.browsers import FIREFOX_BROWSER
from tests.browser.cases_secure import insecure_cases, secure_cases
from tests.browser.compare import assert_agrees, compare
from tests.browser.secure import MIXED, SecureRun, firefox_agree
from tests.browser.secure_servers import SecureServers

CASES = secure_cases()
IDS = [case.id for case in CASES]
def test_page_is_a_secure_context(secure_firefox_run: SecureRun, secure_servers: SecureServers) -> None:
    assert secure_firefox_run.page == {"secure": True, "origin": secure_servers.page_origin}


@pytest.mark.parametrize("case_id", IDS)
def test_secure_case_agrees_with_firefox(secure_firefox_run: SecureRun, case_id: str) -> None:
    browser, mine = secure_firefox_run.run.browser[case_id], secure_firefox_run.run.corsprobe[case_id]
    assert_agrees(browser, mine, firefox_agree, FIREFOX_BROWSER.not_cors)


@pytest.mark.parametrize("case_id", IDS)
def test_secure_host_and_fetch_site_agree_with_firefox(secure_firefox_run: SecureRun, case_id: str) -> None:
    assert secure_firefox_run.corsprobe_wire[case_id] == secure_firefox_run.browser_wire[case_id]


def test_the_premises_hold_in_firefox(secure_firefox_run: SecureRun) -> None:
    browser = secure_firefox_run.run.browser
    for case in CASES:
        seen = browser[case.id].seen
        if case.group == "secure-mixed":
            assert (browser[case.id].reason, seen) == (MIXED, ()), case.id
        elif case.group in ("secure-loopback", "secure-tls"):
            assert seen and seen[0].hop == 0, case.id


@pytest.mark.parametrize("case_id", [case.id for case in insecure_cases()])
def test_insecure_case_agrees_with_firefox(insecure_firefox_run: SecureRun, case_id: str) -> None:
    run = insecure_firefox_run
    compare(run.run.browser[case_id], run.run.corsprobe[case_id], firefox_agree, FIREFOX_BROWSER.not_cors)
    assert run.corsprobe_wire[case_id] == run.browser_wire[case_id]


def test_insecure_page_is_not_a_secure_context(insecure_firefox_run: SecureRun,
                                               insecure_servers: SecureServers) -> None:
    assert insecure_firefox_run.page == {"secure": False, "origin": insecure_servers.page_origin}
