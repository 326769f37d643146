"""The browser's reason next to corsprobe's live verdict: agree, or differ and why.

Firefox and Safari name failures more coarsely than Chromium (Safari's "Origin X is not allowed"
covers a missing and a mismatching Access-Control-Allow-Origin; neither says whether the preflight
or the actual response failed), so their reasons agree with every corsprobe code they cover.
Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from corsprobe.model import Result, Verdict
from corsprobe.paste.item import Kind, Pasted
from corsprobe.reasons import Reason

_R = Reason
_ORIGIN_VALUE = frozenset({_R.ALLOW_ORIGIN_MISMATCH, _R.INVALID_ALLOW_ORIGIN_VALUE, _R.MULTIPLE_ALLOW_ORIGIN_VALUES})
# (kind, browser reason) -> the corsprobe reasons (and their preflight twins) it covers.
_COVERS: dict[tuple[Kind, Reason], frozenset[Reason]] = {
    (Kind.FIREFOX, _R.ALLOW_ORIGIN_MISMATCH): _ORIGIN_VALUE,
    (Kind.SAFARI, _R.MISSING_ALLOW_ORIGIN_HEADER): _ORIGIN_VALUE | {_R.MISSING_ALLOW_ORIGIN_HEADER},
}
_PREFLIGHT_ONLY = frozenset({
    _R.PREFLIGHT_INVALID_STATUS, _R.PREFLIGHT_DISALLOWED_REDIRECT, _R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
    _R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, _R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
    _R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
})
_UNKNOWN_FIELD = {
    "method": "the method (not in the paste; probed {method})",
    "headers": "the request headers (not in the paste)",
    "credentials": "the credentials mode (not in the paste; probed {credentials})",
}


class Agreement(StrEnum):
    AGREE = "agree"
    DIFFER = "differ"
    UNCHECKED = "unchecked"  # the live probe could not decide (actual not sent)
    NO_VERDICT = "no-browser-verdict"  # a copy without the browser's outcome


@dataclass(frozen=True, slots=True)
class Comparison:
    """The agreement and one sentence saying why."""

    agreement: Agreement
    why: str


def covered(item: Pasted) -> frozenset[Reason]:
    """The corsprobe reasons the browser's reason stands for."""
    reason = item.browser_reason
    if reason is None:
        return frozenset()
    base = _COVERS.get((item.kind, reason), frozenset({reason}))
    if item.kind is Kind.CHROME:
        return base
    return base | {r.preflight_variant for r in base}


def compare(item: Pasted, result: Result) -> Comparison:
    outcome = result.outcome
    live = outcome.failure.reason if outcome.failure is not None else None
    said = item.browser_reason
    label = f"{outcome.verdict.value}" + (f" ({live.value})" if live else "")
    if said is None and item.failed is None:
        return Comparison(Agreement.NO_VERDICT, f"the paste holds no browser verdict; live: {label}")
    if outcome.verdict is Verdict.UNCHECKED or (outcome.verdict is Verdict.ALLOWED and not outcome.actual_checked
                                                and said is not None and said not in _PREFLIGHT_ONLY):
        return Comparison(Agreement.UNCHECKED, "the preflight passed but the actual request was not sent, so the "
                                               "browser's reason cannot be checked (pass --send-unsafe)")
    browser = said.value if said else ("failed" if item.failed else "allowed")
    if said is Reason.LOCAL_NETWORK_ACCESS:
        warned = any(w.reason is Reason.LOCAL_NETWORK_ACCESS for w in outcome.warnings)
        if warned:
            return Comparison(Agreement.AGREE, "corsprobe warns about Local Network Access for this target too")
        return Comparison(Agreement.DIFFER, "the browser refused a Local Network Access request; corsprobe sees no "
                                            "private or loopback target (the page's address space may differ)")
    if said is Reason.NETWORK_ERROR:
        if outcome.verdict is Verdict.ERROR:
            return Comparison(Agreement.AGREE, f"a transport failure in the browser and live ({label})")
        return _differ(item, result, browser, label)
    if said is None:
        blocked = outcome.verdict in (Verdict.BLOCKED, Verdict.ERROR)
        if blocked == bool(item.failed):
            return Comparison(Agreement.AGREE, f"browser: {browser}; live: {label}")
        return _differ(item, result, browser, label)
    if live is not None and live in covered(item):
        return Comparison(Agreement.AGREE, f"browser: {browser}; live: {label}")
    return _differ(item, result, browser, label)


def _differ(item: Pasted, result: Result, browser: str, label: str) -> Comparison:
    outcome = result.outcome
    causes = [text.format(method=result.probe.method, credentials=result.probe.credentials.value)
              for field, text in _UNKNOWN_FIELD.items() if field in item.unknown]
    said = item.browser_reason
    preflighted = said is not None and (said in _PREFLIGHT_ONLY or said.value.startswith("preflight_"))
    if preflighted and not outcome.preflight_needed:
        hint = ("the browser sent a preflight, but the request as rebuilt needs none: the page used a "
                "non-safelisted method or header that the paste does not show (pass --method / -H)")
        return Comparison(Agreement.DIFFER, f"browser: {browser}; live: {label}. {hint}")
    where = "the server has changed since the browser's attempt"
    if causes:
        where += ", or the browser's request differed in " + "; ".join(causes)
    return Comparison(Agreement.DIFFER, f"browser: {browser}; live: {label}. Either {where}")
