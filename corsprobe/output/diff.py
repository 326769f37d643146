"""Comparing the same probes in two environments: which rows differ, and in what.

Rows are paired by name, never by position. Compared: verdict, reason, whether a preflight was
needed, the status codes and the CORS response headers of the preflight and of the final actual
response. A row that could not be probed (``error``) on either side is compared by verdict and
reason only: its other fields say nothing about the server. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corsprobe.model import Exchange, Result, Stage, Verdict

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

    def failed_side(self) -> tuple[str, tuple[str, ...]] | None:
        """(label, the distinct error texts) of a side on which every row is an ``error``, else None."""
        for label, results in ((self.left_label, [r.left for r in self.rows]),
                               (self.right_label, [r.right for r in self.rows])):
            present = [r for r in results if r is not None]
            if present and all(r.outcome.verdict is Verdict.ERROR for r in present):
                return label, tuple(dict.fromkeys(_error_text(r) for r in present))
        return None


def compare(left: Sequence[Result], right: Sequence[Result], left_label: str, right_label: str,
            ignore_headers: Sequence[str] = ()) -> Diff:
    """Pair rows by name and list what differs; ``ignore_headers`` are left out of the comparison."""
    ignored = {name.lower() for name in ignore_headers}
    by_name_right = {_name(r): r for r in right}
    names = list(dict.fromkeys([*map(_name, left), *map(_name, right)]))
    by_name_left = {_name(r): r for r in left}
    rows = []
    for name in names:
        a, b = by_name_left.get(name), by_name_right.get(name)
        rows.append(DiffRow(name, a, b, _differences(a, b, ignored)))
    return Diff(left_label, right_label, tuple(rows))


def _error_text(result: Result) -> str:
    failure = result.outcome.failure
    if failure is None:
        return "error"
    return f"{failure.reason.value}, {failure.detail}" if failure.detail else failure.reason.value


def _name(result: Result) -> str:
    return result.probe.name or f"{result.probe.method} {result.probe.url}"


def _differences(a: Result | None, b: Result | None, ignored: set[str]) -> tuple[Difference, ...]:
    if a is None or b is None:
        return (Difference("row", MISSING if a is None else "present", MISSING if b is None else "present"),)
    if Verdict.ERROR in (a.outcome.verdict, b.outcome.verdict):
        facts_a, facts_b = _verdict_facts(a), _verdict_facts(b)
    else:
        facts_a, facts_b = _facts(a, ignored), _facts(b, ignored)
    found = tuple(Difference(key, facts_a.get(key), facts_b.get(key))
                  for key in dict.fromkeys([*facts_a, *facts_b]) if facts_a.get(key) != facts_b.get(key))
    if not found:
        return found
    # A row that differs also says which protocol answered each side, when that differs too (a CDN edge's
    # HTTP/2 path may answer otherwise than its HTTP/1.1 one); the protocol alone is no difference, nor a side
    # that got no answer.
    protocol_a, protocol_b = _protocol(a), _protocol(b)
    if protocol_a is None or protocol_b is None or protocol_a == protocol_b:
        return found
    return (*found, Difference("protocol", protocol_a, protocol_b))


def _protocol(result: Result) -> str | None:
    versions = dict.fromkeys(e.response.http_version for e in result.exchanges if e.response is not None)
    return ", ".join(versions) or None


def _verdict_facts(result: Result) -> dict[str, str | None]:
    outcome = result.outcome
    return {"verdict": outcome.verdict.value, "reason": outcome.failure.reason.value if outcome.failure else None}


def _facts(result: Result, ignored: set[str]) -> dict[str, str | None]:
    facts = _verdict_facts(result)
    facts["preflight"] = "needed" if result.outcome.preflight_needed else "not needed"
    preflights = [e for e in result.exchanges if e.request.stage is Stage.PREFLIGHT]
    actuals = [e for e in result.exchanges if e.request.stage is Stage.ACTUAL]
    for label, exchange in (("preflight", preflights[0] if preflights else None),
                            ("actual", actuals[-1] if actuals else None)):
        facts.update(_response_facts(label, exchange, ignored))
    return facts


def _response_facts(label: str, exchange: Exchange | None, ignored: set[str]) -> dict[str, str | None]:
    if exchange is None or exchange.response is None:
        return {}
    facts: dict[str, str | None] = {f"{label} status": str(exchange.response.status)}
    facts.update({f"{label} {name}": exchange.response.combined(name)
                  for name in CORS_RESPONSE_HEADERS if name.lower() not in ignored})
    return facts
