"""The one did-you-mean: the closest known name to a mistyped one. Pure; used by every layer."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (difflib's 0.6 cutoff), or None."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None


def unknown_hint(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or ``"; known: a, b, c"`` for an unknown name."""
    known = list(choices)
    close = did_you_mean(word, known)
    return f"; did you mean '{close}'?" if close else f"; known: {', '.join(known) or 'none'}"
