"""Secure contexts against headless Chromium: from https://app.test:P, mixed content is blocked
before any traffic (also on a redirect hop, after the 3xx's CORS check), loopback http targets
get ordinary CORS, https APIs by name and address likewise; every case must agree with
corsprobe as in test_differential.py, plus each request's Host and Sec-Fetch-Site.

The secure-lna cases load the same page with Chromium told its address is public; the
insecure-* cases load an http page on the same name (Sec-Fetch-* only to trustworthy URLs).
"""

from __future__ import annotations

from collections import Counter

import pytest

from corsprobe.browser.address_space import AddressSpace, address_space
from tests.browser.cases_secure import insecure_cases, lna_cases, secure_cases
from tests.browser.compare import assert_agrees, compare
from tests.browser.secure import LNA, MIXED, SecureRun
from tests.browser.secure_servers import SecureServers

CASES = secure_cases()
IDS = [case.id for case in CASES]


def test_secure_groups() -> None:
    groups = Counter(case.group for case in CASES)
    assert len(CASES) >= 30, groups
    assert all(groups[name] >= 8 for name in ("secure-mixed", "secure-loopback", "secure-tls",
                                               "secure-redirect")), groups


def test_page_is_a_secure_context(secure_chromium_run: SecureRun, secure_servers: SecureServers) -> None:
    assert secure_chromium_run.page == {"secure": True, "origin": secure_servers.page_origin}


@pytest.mark.parametrize("case_id", IDS)
def test_secure_case_agrees_with_chromium(secure_chromium_run: SecureRun, case_id: str) -> None:
    browser, mine = secure_chromium_run.run.browser[case_id], secure_chromium_run.run.corsprobe[case_id]
    assert_agrees(browser, mine)


@pytest.mark.parametrize("case_id", IDS)
def test_secure_host_and_fetch_site_agree_with_chromium(secure_chromium_run: SecureRun, case_id: str) -> None:
    """The Host each request named and the Sec-Fetch-Site it carried, request by request."""
    assert secure_chromium_run.corsprobe_wire[case_id] == secure_chromium_run.browser_wire[case_id]


def test_the_premises_hold_in_chromium(secure_chromium_run: SecureRun) -> None:
    """What the groups are for: mixed content blocked with nothing sent; every loopback and
    https API reached (whatever CORS then says)."""
    browser = secure_chromium_run.run.browser
    for case in CASES:
        seen = browser[case.id].seen
        if case.group == "secure-mixed":
            assert (browser[case.id].reason, seen) == (MIXED, ()), case.id
        elif case.group in ("secure-loopback", "secure-tls"):
            assert seen and seen[0].hop == 0, case.id
    mixed_hops = [case.id for case in CASES if case.group == "secure-redirect" and browser[case.id].reason == MIXED]
    assert len(mixed_hops) >= 8, mixed_hops


def test_lna_public_page_to_loopback(lna_chromium_run: SecureRun) -> None:
    """A page Chromium sees as public asks before reaching loopback; headless has no one to
    ask, so the permission is denied (a CORS console message, nothing sent). Mixed content
    is refused first. corsprobe cannot know a page's address: it warns (verdict unchanged)
    wherever the target's space is plain from the URL (an IP literal or localhost)."""
    run = lna_chromium_run.run
    for case in lna_cases():
        browser, mine = run.browser[case.id], run.corsprobe[case.id]
        url = lna_chromium_run.urls[case.id]
        assert browser.seen == () and not browser.allowed, case.id
        if case.start == "http-name":
            assert browser.reason == MIXED, case.id
            compare(browser, mine)
            continue
        assert browser.reason == LNA, case.id
        warned = LNA in lna_chromium_run.warnings[case.id]
        assert warned is (address_space(url) is not AddressSpace.UNKNOWN), (case.id, url)


@pytest.mark.parametrize("case_id", [case.id for case in insecure_cases()])
def test_insecure_case_agrees_with_chromium(insecure_chromium_run: SecureRun, case_id: str) -> None:
    run = insecure_chromium_run
    compare(run.run.browser[case_id], run.run.corsprobe[case_id])
    assert run.corsprobe_wire[case_id] == run.browser_wire[case_id]


def test_insecure_premises_hold_in_chromium(insecure_chromium_run: SecureRun,
                                            insecure_servers: SecureServers) -> None:
    """Not a secure context; no Sec-Fetch-* to http://api.test, but to http://127.0.0.1."""
    assert insecure_chromium_run.page == {"secure": False, "origin": insecure_servers.page_origin}
    wire = insecure_chromium_run.browser_wire
    assert [w.site for w in wire["insecure-name-get"]] == [None]
    assert [w.site for w in wire["insecure-ip-get"]] == ["cross-site"]
