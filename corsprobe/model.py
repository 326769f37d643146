"""Values that flow through corsprobe: what a page asks for, raw HTTP exchanges, and verdicts.

Pure data (frozen dataclasses and StrEnums); no I/O. Header lists are tuples of
``(name, value)`` pairs in the order they were written or received, duplicates kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from corsprobe.reasons import Reason

Header = tuple[str, str]
Headers = tuple[Header, ...]


class Credentials(StrEnum):
    """The fetch() credentials mode, as far as a cross-origin request can tell them apart."""

    OMIT = "omit"
    INCLUDE = "include"


class Verdict(StrEnum):
    ALLOWED = "allowed"
    BLOCKED = "blocked"
    ERROR = "error"
    UNCHECKED = "unchecked"


class Stage(StrEnum):
    PREFLIGHT = "preflight"
    ACTUAL = "actual"


@dataclass(frozen=True, slots=True)
class Probe:
    """One cross-origin ``fetch()`` as a page on ``origin`` would write it."""

    url: str
    origin: str
    method: str = "GET"
    headers: Headers = ()
    credentials: Credentials = Credentials.OMIT
    body: str | None = None
    send_unsafe: bool = False
    cookie: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request the browser would put on the wire."""

    stage: Stage
    method: str
    url: str
    headers: Headers
    body: bytes | None = None

    def header(self, name: str) -> str | None:
        return first_value(self.headers, name)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A response exactly as received: status and header lines, casing and order kept, and the
    protocol that carried it (``"HTTP/1.1"``, ``"HTTP/2"``; HTTP/2 has no reason phrase)."""

    status: int
    headers: Headers = ()
    reason_phrase: str = ""
    body: str = ""  # the first <= 1 KiB of the body, kept only for non-2xx preflights and extra probes
    # A preflight whose body could not be read completely (the runner still judges its headers).
    body_error: str | None = None
    http_version: str = "HTTP/1.1"
    # When the head was not strict HTTP/1.1 and was read as Chromium reads it (corsprobe.wire.head):
    # each way it was read (``read_as``, naming Chromium's rule) and its lines exactly as received.
    read_as: tuple[str, ...] = ()
    received: tuple[str, ...] = ()

    def values(self, name: str) -> tuple[str, ...]:
        """Every line of header ``name`` (case-insensitive), in received order."""
        lower = name.lower()
        return tuple(value for key, value in self.headers if key.lower() == lower)

    def combined(self, name: str) -> str | None:
        """The value a browser's header store returns: lines joined with ', ', or None."""
        values = self.values(name)
        return ", ".join(v.strip(" \t") for v in values) if values else None


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came back: a response, or a transport error."""

    request: HttpRequest
    response: HttpResponse | None = None
    error: str | None = None


class ExtraPurpose(StrEnum):
    """Why corsprobe sent an extra safe request beside the browser's (comparison probes)."""

    GET_COMPARISON = "get_comparison"  # a GET to the preflight's URL: does it carry CORS headers?
    OPTIONS_COMPARISON = "options_comparison"  # a preflight to the GET's URL: does it carry them?
    CANARY_ORIGIN = "canary_origin"  # the same request from an origin nobody lists (a .invalid host)


@dataclass(frozen=True, slots=True)
class ExtraExchange:
    """One extra safe request (GET/HEAD/OPTIONS, never credentials on OPTIONS) and its answer."""

    purpose: ExtraPurpose
    exchange: Exchange


@dataclass(frozen=True, slots=True)
class Finding:
    """A failure (or a warning) with the evidence that explains it."""

    reason: Reason
    detail: str = ""
    stage: Stage | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine decided for one probe."""

    verdict: Verdict
    failure: Finding | None = None
    warnings: tuple[Finding, ...] = ()
    preflight_needed: bool = False
    unsafe_headers: tuple[str, ...] = ()
    readable_headers: tuple[str, ...] = ()
    actual_checked: bool = False
    dropped_headers: tuple[str, ...] = ()
    preflight_max_age: int | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """A probe, every exchange made for it, and the outcome: one row of output."""

    probe: Probe
    outcome: Outcome
    exchanges: tuple[Exchange, ...] = ()
    expect: Expectation | None = None
    source: str | None = None
    browser: str = "chromium"
    extra: tuple[ExtraExchange, ...] = ()  # comparison probes (not the browser's requests)
    server_layer: str | None = None  # the CORS layer the user named (--server-layer / server_layer)
    # --browser all: every engine's own result for this probe (this one is the first's).
    engines: tuple[Result, ...] = ()
    duration: float | None = None  # seconds the probe took on the wire (its extra probes included)

    @property
    def passed(self) -> bool | None:
        """Whether the expectation holds (with --browser all: in every engine)."""
        if self.expect is None:
            return None
        met = [self.expect.met_by(r.outcome) for r in self.engines or (self,)]
        if False in met:
            return False
        return None if all(m is None for m in met) else True


@dataclass(frozen=True, slots=True)
class Job:
    """A probe to run, with what its scenario expects and where it was written."""

    probe: Probe
    expect: Expectation | None = None
    source: str | None = None
    ignore_warnings: tuple[str, ...] = ()  # warning codes this row does not show (ignore_warnings = [...])
    server_layer: str | None = None  # scenario key ``server_layer``: overrides layer detection


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a scenario says must happen."""

    verdict: Verdict
    reason: Reason | None = None
    readable: tuple[str, ...] = field(default=())

    def met_by(self, outcome: Outcome) -> bool | None:
        if outcome.verdict is Verdict.UNCHECKED:
            return None
        if outcome.verdict is not self.verdict:
            return False
        if self.reason is not None and (
            outcome.failure is None or outcome.failure.reason is not self.reason
        ):
            return False
        readable = set(outcome.readable_headers)
        return all(name.lower() in readable for name in self.readable)


def first_value(headers: Headers, name: str) -> str | None:
    lower = name.lower()
    return next((value for key, value in headers if key.lower() == lower), None)


def without_warnings(result: Result, codes: frozenset[str]) -> Result:
    """The result with the warnings whose codes are in ``codes`` left out (--ignore-warning)."""
    if not codes:
        return result
    kept = tuple(w for w in result.outcome.warnings if w.reason.value not in codes)
    if len(kept) == len(result.outcome.warnings):
        return result
    return replace(result, outcome=replace(result.outcome, warnings=kept))
