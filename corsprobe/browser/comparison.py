"""Extra safe comparison probes: which to send for a finished row, and what they show. Pure.

A browser sends nothing of this; corsprobe adds at most ``MAX_EXTRA`` requests per row, GET/HEAD/OPTIONS
only, never with credentials or cookies (an OPTIONS never carries them anyway), each shown in ``-v`` and
counted in JSON:

- a failed preflight without Allow-Origin: a GET to the same URL (does the CORS layer answer GETs but not
  OPTIONS?);
- an actual response without Allow-Origin, when no preflight of the row carried one: an OPTIONS preflight to
  the same URL (does the layer answer preflights but skip error or ordinary responses?);
- an allowed credentialed row whose Allow-Origin equals the Origin, or a reflected-origin-without-Vary
  warning: the same request from a canary origin nobody lists (is any origin allowed with credentials? is
  the value fixed, so that the Vary warning does not apply?).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corsprobe.browser import checks, spec
from corsprobe.browser.engine import USER_AGENT
from corsprobe.model import Credentials, ExtraPurpose, Finding, HttpRequest, Result, Stage, Verdict
from corsprobe.reasons import Reason

CANARY_ORIGIN = "https://corsprobe-canary.invalid"
MAX_EXTRA = 2


@dataclass(frozen=True, slots=True)
class ExtraRequest:
    """One extra request to send, and why."""

    purpose: ExtraPurpose
    request: HttpRequest


def plan(result: Result) -> tuple[ExtraRequest, ...]:
    """The comparison requests worth sending for ``result`` (at most MAX_EXTRA, safe methods only)."""
    outcome = result.outcome
    if outcome.verdict is Verdict.ERROR:
        return ()
    planned: list[ExtraRequest] = []
    preflights = [e for e in result.exchanges if e.request.stage is Stage.PREFLIGHT and e.response is not None]
    actuals = [e for e in result.exchanges if e.request.stage is Stage.ACTUAL and e.response is not None]
    failure = outcome.failure
    if failure is not None and failure.stage is Stage.PREFLIGHT and preflights:
        last = preflights[-1]
        assert last.response is not None
        if last.response.combined(checks.ACAO) is None:
            origin = last.request.header("origin") or result.probe.origin
            planned.append(ExtraRequest(ExtraPurpose.GET_COMPARISON, _get(last.request.url, origin)))
    elif actuals:
        last = actuals[-1]
        assert last.response is not None
        # A row to fix without a preflight of its own: the layer's preflight tells whether it skips this
        # response, and is its best fingerprint.
        if (failure is not None or result.passed is False) and not preflights:
            origin = last.request.header("origin") or result.probe.origin
            planned.append(ExtraRequest(ExtraPurpose.OPTIONS_COMPARISON,
                                        _options(last.request.url, origin, last.request.method)))
        if _wants_canary(result):
            # A preflight from the canary: never credentials, and the layer's preflight is its best fingerprint.
            planned.append(ExtraRequest(ExtraPurpose.CANARY_ORIGIN,
                                        _options(last.request.url, CANARY_ORIGIN, last.request.method)))
    return tuple(planned[:MAX_EXTRA])


def _wants_canary(result: Result) -> bool:
    outcome = result.outcome
    if any(w.reason is Reason.REFLECTED_ORIGIN_WITHOUT_VARY for w in outcome.warnings):
        return True
    if outcome.verdict is not Verdict.ALLOWED or result.probe.credentials is not Credentials.INCLUDE:
        return False
    last = next((e for e in reversed(result.exchanges) if e.response is not None), None)
    if last is None or last.response is None:
        return False
    return last.response.combined(checks.ACAO) == last.request.header("origin")


def conclude(result: Result) -> Result:
    """``result`` with the warnings its extra probes decide: the Vary warning dropped when the canary got the
    same fixed Allow-Origin, ``any_origin_with_credentials`` added when the canary was allowed with
    credentials."""
    canary = next((x.exchange for x in result.extra if x.purpose is ExtraPurpose.CANARY_ORIGIN), None)
    if canary is None or canary.response is None:
        return result
    warnings = list(result.outcome.warnings)
    answered = canary.response.combined(checks.ACAO)
    reflected = answered == CANARY_ORIGIN
    own = next((e.response.combined(checks.ACAO) for e in reversed(result.exchanges) if e.response is not None), None)
    if not reflected and answered == own:
        warnings = [w for w in warnings if w.reason is not Reason.REFLECTED_ORIGIN_WITHOUT_VARY]
    if (reflected and canary.response.combined(checks.ACAC) == "true"
            and result.probe.credentials is Credentials.INCLUDE and result.outcome.verdict is Verdict.ALLOWED):
        warnings.append(Finding(Reason.ANY_ORIGIN_WITH_CREDENTIALS, CANARY_ORIGIN))
    return replace(result, outcome=replace(result.outcome, warnings=tuple(dict.fromkeys(warnings))))


EXTRA_USER_AGENT = USER_AGENT.replace(")", "; extra probe)")  # lets a server log tell them apart


def _base(origin: str) -> list[tuple[str, str]]:
    return [("Accept", "*/*"), ("Origin", origin), ("User-Agent", EXTRA_USER_AGENT)]


def _get(url: str, origin: str, method: str = "GET") -> HttpRequest:
    return HttpRequest(Stage.ACTUAL, method, url, tuple(_base(origin)))


def _options(url: str, origin: str, method: str) -> HttpRequest:
    headers = [("Accept", "*/*"), ("Access-Control-Request-Method", spec.normalize_method(method)),
               ("Origin", origin), ("User-Agent", EXTRA_USER_AGENT)]
    return HttpRequest(Stage.PREFLIGHT, "OPTIONS", url, tuple(headers))
