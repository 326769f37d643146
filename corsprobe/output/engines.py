"""``--browser all``: one row per probe carrying every engine's result, and the sentence that
says where the engines disagree. Pure; no I/O.
"""

from __future__ import annotations

from corsprobe.model import Result, Verdict
from corsprobe.output.view import ENGINE_LABELS, Row

ENGINE_ORDER = ("chromium", "firefox", "webkit")


def label(result: Result) -> str:
    return ENGINE_LABELS.get(result.browser, result.browser)


def _key(result: Result) -> tuple[Verdict, str | None, tuple[str, ...]]:
    outcome = result.outcome
    readable = outcome.readable_headers if outcome.verdict is Verdict.ALLOWED else ()
    return outcome.verdict, outcome.failure.reason.value if outcome.failure else None, readable


def disagreement(result: Result) -> str | None:
    """E.g. "allowed in Chromium and Firefox; blocked in WebKit: [reason] why", or None when
    every engine decided the same (verdict, reason and readable headers)."""
    parts = differences(result)
    return "; ".join(part.rstrip(".") for part in parts) if parts else None


def differences(result: Result) -> list[str]:
    """One phrase per group of engines that decided alike; empty when all agree."""
    groups: dict[tuple[Verdict, str | None, tuple[str, ...]], list[Result]] = {}
    for engine in result.engines:
        groups.setdefault(_key(engine), []).append(engine)
    if len(groups) < 2:
        return []
    readable_differs = len({key[2] for key in groups if key[0] is Verdict.ALLOWED}) > 1
    parts = []
    for (verdict, reason, readable), engines in groups.items():
        text = f"{verdict.value} in {_and([label(e) for e in engines])}"
        if reason is not None:
            text += f": [{reason}] {Row.of(engines[0]).explanation()}"
        elif readable_differs:
            text += f" (readable: {', '.join(readable) or 'only safelisted headers'})"
        parts.append(text)
    return parts


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
