"""From results to a run's summary and exit status, counted row by row (``Tally``). Pure; no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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


class Tally:
    """A run's counts, kept as rows go by (a streamed run keeps no rows): the summary, the extra
    probes sent and the exit status come from here."""

    def __init__(self) -> None:
        self.total = 0
        self.verdicts: Counter[str] = Counter()
        self.expectations: Counter[bool | None] = Counter()
        self.extra_probes = 0
        self.errors = 0
        self.interrupted = False  # a signal cut the run short (set by whoever ran it)

    @classmethod
    def of(cls, results: Iterable[Result]) -> Tally:
        tally = cls()
        for result in results:
            tally.add(result)
        return tally

    def add(self, result: Result) -> None:
        self.total += 1
        self.verdicts[str(result.outcome.verdict)] += 1
        if result.expect is not None:
            self.expectations[result.passed] += 1
        self.extra_probes += len(result.extra)
        self.errors += result.outcome.verdict is Verdict.ERROR

    def summary(self) -> Summary:
        return Summary(
            total=self.total,
            verdicts={v.value: self.verdicts.get(v.value, 0) for v in Verdict},
            passed=self.expectations[True],
            failed=self.expectations[False],
            unevaluated=self.expectations[None],
        )

    def exit_status(self) -> ExitStatus:
        """1 when an expectation failed (wins over 3), 3 when a row could not be probed, else 0."""
        if self.expectations[False]:
            return ExitStatus.EXPECTATION_FAILED
        if self.errors:
            return ExitStatus.PROBE_ERROR
        return ExitStatus.OK


def summarize(results: Iterable[Result]) -> Summary:
    return Tally.of(results).summary()


def exit_status(results: Iterable[Result]) -> ExitStatus:
    """1 when an expectation failed (wins over 3), 3 when a row could not be probed, else 0."""
    return Tally.of(results).exit_status()
