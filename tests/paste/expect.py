"""One corpus entry: a pasted text and the request and reason it must give."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expect:
    id: str
    text: str
    reason: str | None
    source: str
    kind: str
    url: str
    origin: str | None
    method: str
    headers: tuple[str, ...]  # header names (case as expected), order kept
    credentials: str | None
    count: int = 1  # items the paste must give (the first is checked)
