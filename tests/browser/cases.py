"""The case grammar: server behaviours x client requests, grouped by the rule they exercise.

``all_cases()`` returns every scripted case with a stable, unique id. Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import GET, PUT_XA, REFLECT_ACTUAL, pf_ok, reflect_hop
from tests.browser.cases_acao import acao_cases
from tests.browser.cases_misc import misc_cases
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
             + expose_cases() + misc_cases() + framework_cases())
    ids = [case.id for case in cases]
    duplicates = {case_id for case_id in ids if ids.count(case_id) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    return cases


# Rule book sections (cors-rules.md §1.2-§1.10) -> the case groups that exercise them.
RULES: dict[str, tuple[str, ...]] = {
    "1.2 is a preflight needed": ("pf-need", "pf-need-refused", "pf-need-cred"),
    "1.3 what the preflight carries": ("pf-need", "redirect"),
    "1.4 judging the preflight": ("pf-status", "pf-status-cred", "pf-acam", "pf-acam-cred", "pf-acah",
                                  "pf-acah-cred", "pf-acao", "pf-acac", "net-preflight"),
    "1.5 the CORS check": ("acao", "acac", "acac-post", "acac-omit"),
    "1.6 the null origin": ("redirect",),
    "1.7 the actual response": ("status", "net-actual"),
    "1.8 preflight cache lifetime": ("pf-maxage",),
    "1.9 exposed headers": ("expose", "expose-cred", "expose-put"),
    "1.10 redirects": ("redirect", "pf-status"),
}
