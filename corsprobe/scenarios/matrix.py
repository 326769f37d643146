"""The rows of a run, built when they are needed: a probe table's origins x methods matrix is kept
as one ``Matrix`` (its values checked once, when the file is read) and each row's Job is made when
it is asked for, so a run of many rows does not hold them all. Pure; no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import overload

from corsprobe.model import Credentials, Expectation, Headers, Job, Probe


class _Indexed(Sequence[Job]):
    """A sequence of jobs made on demand: ``_at(i)`` for 0 <= i < len; slices and negative indices here."""

    __slots__ = ()

    def _at(self, index: int) -> Job:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Job: ...

    @overload
    def __getitem__(self, index: slice) -> list[Job]: ...

    def __getitem__(self, index: int | slice) -> Job | list[Job]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)


@dataclass(frozen=True, slots=True)
class Matrix(_Indexed):
    """One [[probe]] table, checked: a Job per (origin, method), origins first."""

    url: str
    name: str
    origins: tuple[str, ...]
    methods: tuple[str, ...]
    headers: Headers
    credentials: Credentials
    body: str | None
    send_unsafe: bool
    cookie: str | None
    expect: Expectation | None
    source: str
    ignored: tuple[str, ...]
    layer: str | None

    def __len__(self) -> int:
        return len(self.origins) * len(self.methods)

    def _at(self, index: int) -> Job:
        origin, method = self.origins[index // len(self.methods)], self.methods[index % len(self.methods)]
        varying = [v for v, many in ((origin, len(self.origins) > 1), (method, len(self.methods) > 1)) if many]
        label = f"{self.name} [{' '.join(varying)}]" if varying else self.name
        probe = Probe(url=self.url, origin=origin, method=method, headers=self.headers, credentials=self.credentials,
                      body=self.body, send_unsafe=self.send_unsafe, cookie=self.cookie, name=label)
        return Job(probe, self.expect, self.source, self.ignored, self.layer)

    def __iter__(self) -> Iterator[Job]:
        return (self[i] for i in range(len(self)))


class Jobs(_Indexed):
    """Several sequences of jobs (matrices, files) as one, indexed without copying them."""

    def __init__(self, parts: Iterable[Sequence[Job]]) -> None:
        self.parts = [part for part in parts if len(part)]
        self.ends = list(accumulate(len(part) for part in self.parts))

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def _at(self, index: int) -> Job:
        part = bisect.bisect_right(self.ends, index)
        return self.parts[part][index - (self.ends[part - 1] if part else 0)]

    def __iter__(self) -> Iterator[Job]:
        for part in self.parts:
            yield from part

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Jobs({len(self)} rows in {len(self.parts)} parts)"
