"""The case grammar: server behaviours x client requests, grouped by the rule they exercise.

``all_cases()`` returns every scripted case with a stable, unique id. Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import GET, PUT_XA, REFLECT_ACTUAL, pf_ok, reflect_hop
from tests.browser.cases_acao import acao_cases
from tests.browser.cases_need import need_cases
from tests.browser.cases_preflight import preflight_cases
from tests.browser.cases_redirect import expose_cases, redirect_cases
from tests.browser.frameworks import framework_cases
from tests.browser.grammar import Case, Hop, Reply


def smoke() -> list[Case]:
    return [
        Case("smoke", "get", GET, (reflect_hop(),)),
        Case("smoke", "put", PUT_XA, (reflect_hop(),)),
        Case("smoke", "put-nopf", PUT_XA, (Hop(Reply(404), Reply(200, REFLECT_ACTUAL)),)),
        Case("smoke", "get-noacao", GET, (Hop(pf_ok(), Reply(200)),)),
    ]


def all_cases() -> list[Case]:
    cases = (smoke() + need_cases() + acao_cases() + preflight_cases() + redirect_cases()
             + expose_cases() + framework_cases())
    ids = [case.id for case in cases]
    duplicates = {case_id for case_id in ids if ids.count(case_id) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    return cases
