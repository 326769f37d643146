"""Small readers over a row's exchanges that every layer's fingerprint uses. Pure.

A ``Score`` collects points and the sentence that justifies each, so a fingerprint reads as a list of
tells; ``Score.match()`` caps the total at 100.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from corsprobe.layers.base import Match
from corsprobe.model import Exchange, HttpResponse


@dataclass
class Score:
    """Points and evidence sentences of one layer's claim (mutable while a fingerprint runs)."""

    points: int = 0
    evidence: list[str] = field(default_factory=list)

    def add(self, points: int, sentence: str) -> None:
        if sentence not in self.evidence:
            self.points += points
            self.evidence.append(sentence)

    def match(self) -> Match | None:
        return Match(min(self.points, 100), tuple(self.evidence)) if self.points > 0 else None


def answered(exchanges: Sequence[Exchange]) -> Iterator[tuple[Exchange, HttpResponse]]:
    """Each exchange that got a response, with it."""
    for exchange in exchanges:
        if exchange.response is not None:
            yield exchange, exchange.response


def preflights(exchanges: Sequence[Exchange]) -> list[HttpResponse]:
    """Responses to OPTIONS requests that carried Access-Control-Request-Method."""
    return [r for e, r in answered(exchanges)
            if e.request.method == "OPTIONS" and e.request.header("access-control-request-method")]


def actuals(exchanges: Sequence[Exchange]) -> list[HttpResponse]:
    """Responses to every other request."""
    return [r for e, r in answered(exchanges)
            if not (e.request.method == "OPTIONS" and e.request.header("access-control-request-method"))]


def cors_names(response: HttpResponse) -> list[str]:
    """The access-control-* header names as received (casing kept), in order."""
    return [name for name, _ in response.headers if name.lower().startswith("access-control-")]


def names_lower_case(responses: Sequence[HttpResponse]) -> bool | None:
    """True when every access-control-* name is lower-case, False when every one is not; None when there
    are none or they are mixed."""
    names = [n for r in responses for n in cors_names(r)]
    if not names:
        return None
    lower = [n == n.lower() for n in names]
    return True if all(lower) else False if not any(lower) else None


def server(responses: Sequence[HttpResponse]) -> str:
    """The first Server header value (lower-cased), or ''."""
    return next((v.lower() for r in responses for v in r.values("server")), "")
