"""From results to a run's summary and exit status. Pure; no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from corsprobe.model import Result, Verdict


class ExitStatus(IntEnum):
    OK = 0
    EXPECTATION_FAILED = 1
    USAGE = 2
    PROBE_ERROR = 3
    INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    verdicts: dict[str, int]
    passed: int
    failed: int
    unevaluated: int

    def describe(self, every_verdict: bool = False) -> str:
        """'3 probes: 1 allowed, 2 blocked; expectations: 2 met, 1 failed'."""
        counts = ", ".join(f"{n} {v}" for v, n in self.verdicts.items() if n or every_verdict)
        text = f"{self.total} probe{'s' if self.total != 1 else ''}: {counts or 'none'}"
        if self.passed or self.failed or self.unevaluated:
            text += f"; expectations: {self.passed} met, {self.failed} failed"
            if self.unevaluated:
                text += f", {self.unevaluated} not evaluated"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "verdicts": self.verdicts,
            "expectations": {"passed": self.passed, "failed": self.failed,
                             "not_evaluated": self.unevaluated},
        }


def summarize(results: Sequence[Result]) -> Summary:
    verdicts = Counter(str(r.outcome.verdict) for r in results)
    outcomes = [r.passed for r in results if r.expect is not None]
    return Summary(
        total=len(results),
        verdicts={v.value: verdicts.get(v.value, 0) for v in Verdict},
        passed=sum(1 for p in outcomes if p is True),
        failed=sum(1 for p in outcomes if p is False),
        unevaluated=sum(1 for p in outcomes if p is None),
    )


def exit_status(results: Sequence[Result]) -> ExitStatus:
    """1 when an expectation failed (wins over 3), 3 when a row could not be probed, else 0."""
    if any(r.passed is False for r in results):
        return ExitStatus.EXPECTATION_FAILED
    if any(r.outcome.verdict is Verdict.ERROR for r in results):
        return ExitStatus.PROBE_ERROR
    return ExitStatus.OK
