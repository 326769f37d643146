"""Each exchange judged by the browser engine as a non-credentialed and as a credentialed request.

Pure. corsprobe sends no cookies, so the credentialed verdict is the engine's verdict for the same
``fetch()`` with ``credentials: 'include'`` over the responses that were received (the engine is replayed,
nothing is sent again). The response's own Access-Control-Allow-Credentials decides which verdict applies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corsprobe.browser.checks import ACAO
from corsprobe.browser.engine import simulate
from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import Credentials, Exchange, Outcome, Probe, Result, Stage, Verdict


@dataclass(frozen=True, slots=True)
class Access:
    """What a page on the probe's origin gets: whether it passes without and with credentials, whether the
    server named that exact origin (not '*'), and the exchange that decided it."""

    omit: bool
    include: bool
    named: bool
    read: bool  # the decision was on a response the page reads (False: only a preflight was sent)
    exchange: Exchange | None

    @property
    def trusted(self) -> bool:
        """The server trusts this origin by name and a browser lets the page through."""
        return self.named and (self.omit or self.include)


def replay(probe: Probe, exchanges: tuple[Exchange, ...], profile: BrowserProfile) -> Outcome | None:
    """The engine's outcome for ``probe`` fed the recorded responses, or None when it would ask for a
    request that was not made (or a recorded one failed)."""
    simulation = simulate(probe, profile)
    try:
        request = next(simulation)
        for exchange in exchanges:
            if exchange.response is None or (request.method, request.url) != (exchange.request.method,
                                                                               exchange.request.url):
                return None
            request = simulation.send(exchange.response)
    except StopIteration as stop:
        outcome: Outcome = stop.value
        return outcome
    return None


def access(result: Result, profile: BrowserProfile) -> Access:
    """Judge one probe's exchanges (sent without credentials) both ways."""
    omit_probe = replace(result.probe, credentials=Credentials.OMIT)
    omit = result.outcome if result.probe.credentials is Credentials.OMIT else replay(omit_probe, result.exchanges,
                                                                                      profile)
    include = replay(replace(result.probe, credentials=Credentials.INCLUDE), result.exchanges, profile)
    last = next((e for e in reversed(result.exchanges) if e.response is not None), None)
    named = False
    if last is not None and last.response is not None:
        sent = last.request.header("origin")
        named = sent is not None and last.response.combined(ACAO) == sent
    return Access(
        omit=_passed(omit), include=_passed(include), named=named,
        read=last is not None and last.request.stage is Stage.ACTUAL, exchange=last,
    )


def _passed(outcome: Outcome | None) -> bool:
    return outcome is not None and outcome.verdict is Verdict.ALLOWED
