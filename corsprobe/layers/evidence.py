"""Small readers over a row's exchanges that every layer's fingerprint uses. Pure.

A ``Score`` collects points and the sentence that justifies each, so a fingerprint reads as a list of
tells; ``Score.match()`` caps the total at 100.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from corsprobe.layers.base import Match
from corsprobe.model import Exchange, HttpRequest, HttpResponse


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


CORS_PREFIX = "access-control-"


@dataclass(frozen=True, slots=True)
class Seen:
    """One answered request of a row (a preflight, an actual request, or an extra probe)."""

    request: HttpRequest
    response: HttpResponse

    @property
    def is_preflight(self) -> bool:
        """An OPTIONS carrying Access-Control-Request-Method (what CORS layers treat as a preflight)."""
        return self.is_options and self.request.header("access-control-request-method") is not None

    @property
    def is_options(self) -> bool:
        return self.request.method.upper() == "OPTIONS"

    def value(self, name: str) -> str | None:
        """The first line of header ``name`` as received (None when absent)."""
        values = self.response.values(name)
        return values[0] if values else None

    def cors_lines(self) -> tuple[tuple[str, str], ...]:
        """The Access-Control-* lines, names and order as received."""
        return tuple((k, v) for k, v in self.response.headers if k.lower().startswith(CORS_PREFIX))

    def cors_order(self) -> tuple[str, ...]:
        """Lower-cased CORS header names (and ``vary``) in received order, first occurrence each."""
        names: list[str] = []
        for key, _ in self.response.headers:
            lower = key.lower()
            if (lower.startswith(CORS_PREFIX) or lower == "vary") and lower not in names:
                names.append(lower)
        return tuple(names)

    def body(self) -> str:
        """The start of the body when the runner kept it (non-2xx preflights, extra probes), else ''."""
        return self.response.body


def seen_all(exchanges: Sequence[Exchange]) -> Iterator[Seen]:
    """Every exchange that got a response, as a Seen."""
    for exchange in exchanges:
        if exchange.response is not None:
            yield Seen(exchange.request, exchange.response)


def casing(names: Sequence[str]) -> str:
    """``lower`` when every name is lower-case, ``canonical`` when each word is capitalised, else ``mixed``."""
    if not names:
        return ""
    if all(name == name.lower() for name in names):
        return "lower"
    if all(name == "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-")) for name in names):
        return "canonical"
    return "mixed"


def in_order(order: Sequence[str], expected: Sequence[str]) -> bool:
    """``order``'s names that appear in ``expected`` come in ``expected``'s order (at least two of them)."""
    ranks = [expected.index(name) for name in order if name in expected]
    return len(ranks) >= 2 and ranks == sorted(ranks)


def split_list(value: str | None) -> list[str]:
    """A comma-separated header value's items, stripped, empty ones dropped."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]
