"""Comparing the same probes in two environments: which rows differ, and in what.

Rows are paired by name, never by position. Compared: verdict, reason, and the CORS
response headers of the preflight and of the final actual response. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corsprobe.model import Exchange, Result, Stage

CORS_RESPONSE_HEADERS = (
    "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
    "Vary",
)
MISSING = "(no row)"


@dataclass(frozen=True, slots=True)
class Difference:
    field: str
    left: str | None
    right: str | None


@dataclass(frozen=True, slots=True)
class DiffRow:
    name: str
    left: Result | None
    right: Result | None
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class Diff:
    left_label: str
    right_label: str
    rows: tuple[DiffRow, ...]

    @property
    def changed(self) -> tuple[DiffRow, ...]:
        return tuple(row for row in self.rows if row.differences)


def compare(left: Sequence[Result], right: Sequence[Result], left_label: str, right_label: str) -> Diff:
    by_name_right = {_name(r): r for r in right}
    names = list(dict.fromkeys([*map(_name, left), *map(_name, right)]))
    by_name_left = {_name(r): r for r in left}
    rows = []
    for name in names:
        a, b = by_name_left.get(name), by_name_right.get(name)
        rows.append(DiffRow(name, a, b, _differences(a, b)))
    return Diff(left_label, right_label, tuple(rows))


def _name(result: Result) -> str:
    return result.probe.name or f"{result.probe.method} {result.probe.url}"


def _differences(a: Result | None, b: Result | None) -> tuple[Difference, ...]:
    if a is None or b is None:
        return (Difference("row", MISSING if a is None else "present", MISSING if b is None else "present"),)
    facts_a, facts_b = _facts(a), _facts(b)
    return tuple(Difference(key, facts_a.get(key), facts_b.get(key))
                 for key in dict.fromkeys([*facts_a, *facts_b]) if facts_a.get(key) != facts_b.get(key))


def _facts(result: Result) -> dict[str, str | None]:
    outcome = result.outcome
    facts: dict[str, str | None] = {
        "verdict": outcome.verdict.value,
        "reason": outcome.failure.reason.value if outcome.failure else None,
        "preflight": "needed" if outcome.preflight_needed else "not needed",
    }
    preflights = [e for e in result.exchanges if e.request.stage is Stage.PREFLIGHT]
    actuals = [e for e in result.exchanges if e.request.stage is Stage.ACTUAL]
    for label, exchange in (("preflight", preflights[0] if preflights else None),
                            ("actual", actuals[-1] if actuals else None)):
        facts.update(_header_facts(label, exchange))
    return facts


def _header_facts(label: str, exchange: Exchange | None) -> dict[str, str | None]:
    if exchange is None or exchange.response is None:
        return {}
    return {f"{label} {name}": exchange.response.combined(name) for name in CORS_RESPONSE_HEADERS}
