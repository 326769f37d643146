"""What fingerprints read from a row's exchanges: responses by kind, CORS header lines as received, header-name
casing, and a Score that adds up named tells. Pure; shared by the layer modules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from corsprobe.layers.base import Match
from corsprobe.model import Exchange, HttpRequest, HttpResponse

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
        """The start of the body when the runner kept it (non-2xx preflights), else ''."""
        kept = getattr(self.response, "body", None)
        if isinstance(kept, bytes):
            return kept[:1024].decode("utf-8", "replace")
        return kept[:1024] if isinstance(kept, str) else ""


def answered(exchanges: Sequence[Exchange]) -> Iterator[Seen]:
    """Every exchange that got a response."""
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


@dataclass(slots=True)
class Score:
    """Tells found so far: each named once, with its weight; ``match`` caps the total at 100."""

    weights: dict[str, int] = field(default_factory=dict)

    def add(self, weight: int, evidence: str) -> None:
        self.weights.setdefault(evidence, weight)

    def match(self, minimum: int = 1) -> Match | None:
        total = min(100, sum(self.weights.values()))
        if total < minimum:
            return None
        ranked = sorted(self.weights, key=lambda text: -self.weights[text])
        return Match(total, tuple(ranked))


def split_list(value: str | None) -> list[str]:
    """A comma-separated header value's items, stripped, empty ones dropped."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]
