"""The grammar itself: big enough, well-formed, and covering every rule section and every
failure reason a real server can cause (the latter checked on the browser run's results).
"""

from __future__ import annotations

from collections import Counter

import pytest

from corsprobe.reasons import Reason
from tests.browser.cases import RULES, all_cases
from tests.browser.compare import compare
from tests.browser.grammar import parse_path, path
from tests.browser.harness import Run

CASES = all_cases()
# Every reason a server's answers can produce over plain http.
SERVER_REASONS = frozenset({
    Reason.MISSING_ALLOW_ORIGIN_HEADER, Reason.ALLOW_ORIGIN_MISMATCH, Reason.MULTIPLE_ALLOW_ORIGIN_VALUES,
    Reason.INVALID_ALLOW_ORIGIN_VALUE, Reason.WILDCARD_ORIGIN_NOT_ALLOWED, Reason.INVALID_ALLOW_CREDENTIALS,
    Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, Reason.PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
    Reason.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES, Reason.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
    Reason.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, Reason.PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
    Reason.PREFLIGHT_INVALID_STATUS, Reason.PREFLIGHT_DISALLOWED_REDIRECT,
    Reason.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, Reason.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
    Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
    Reason.REDIRECT_CONTAINS_CREDENTIALS, Reason.CORS_DISABLED_SCHEME, Reason.TOO_MANY_REDIRECTS,
    Reason.INVALID_REDIRECT, Reason.NETWORK_ERROR, Reason.INVALID_RESPONSE,
})


def test_grammar_size() -> None:
    groups = Counter(case.group.startswith("framework-") for case in CASES)
    assert groups[False] >= 300 and groups[True] >= 30, groups


def test_case_ids_are_unique_and_routable() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    for case_id in ids:
        assert parse_path(path(case_id, "b", 0)) == (case_id, "b", 0)


@pytest.mark.parametrize("section", sorted(RULES))
def test_every_rule_section_has_cases(section: str) -> None:
    groups = Counter(case.group for case in CASES)
    assert all(groups[group] > 0 for group in RULES[section]), (section, RULES[section])


def test_every_server_reason_is_produced_and_agreed(browser_run: Run) -> None:
    agreed: set[str] = set()
    for case_id, mine in browser_run.corsprobe.items():
        try:
            compare(browser_run.browser[case_id], mine)
        except AssertionError:
            continue
        if mine.reason is not None:
            agreed.add(mine.reason)
    missing = sorted(reason.value for reason in SERVER_REASONS if reason.value not in agreed)
    assert not missing, f"no agreeing case produces: {missing}"
