"""Row facts every output format shows, derived from a Result. Pure; no I/O.

Keeps renderers thin: which exchange was the preflight, what the actual request got, the
sentence that explains the verdict, and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corsprobe.browser import spec
from corsprobe.browser.diagnosis import Diagnosis, diagnose
from corsprobe.layers import fixes_for, identify, named_layer
from corsprobe.layers.base import Fix, Identification, ProblemCode
from corsprobe.model import Exchange, ExtraExchange, Finding, HttpResponse, Result, Stage, Verdict
from corsprobe.output.secrets import Masker
from corsprobe.reasons import Reason, explain

ENGINE_LABELS = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}


@dataclass(frozen=True, slots=True)
class Row:
    """One result as the formats show it; what it derives (diagnosis, server) is worked out once per row."""

    result: Result
    preflights: tuple[Exchange, ...]
    actuals: tuple[Exchange, ...]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, result: Result) -> Row:
        return cls(
            result,
            tuple(e for e in result.exchanges if e.request.stage is Stage.PREFLIGHT),
            tuple(e for e in result.exchanges if e.request.stage is Stage.ACTUAL),
        )

    @property
    def name(self) -> str:
        probe = self.result.probe
        return probe.name or f"{spec.normalize_method(probe.method)} {probe.url}"

    @property
    def preflight_status(self) -> int | None:
        return _status(self.preflights[0]) if self.preflights else None

    @property
    def actual_status(self) -> int | None:
        """The status the final actual response had (after redirects)."""
        return _status(self.actuals[-1]) if self.actuals else None

    @property
    def preflight_passed(self) -> bool | None:
        if not self.preflights:
            return None
        failure = self.result.outcome.failure
        return not (failure is not None and failure.stage is Stage.PREFLIGHT) and (
            self.preflights[-1].response is not None
        )

    @property
    def method_label(self) -> str:
        """The method as it went out (after normalization), or as the page wrote it."""
        first = self.actuals[0].request.method if self.actuals else None
        return first or spec.normalize_method(self.result.probe.method)

    @property
    def preflight_label(self) -> str:
        if not self.result.outcome.preflight_needed:
            return "-"
        status = self.preflight_status
        if status is None:
            return "error" if self.preflights else "needed"
        return f"{protocol_marker(self.preflights[0])}{status} {'ok' if self.preflight_passed else 'FAIL'}"

    @property
    def actual_label(self) -> str:
        if not self.actuals:
            return "not sent"
        status = self.actual_status
        hops = len(self.actuals) - 1
        text = f"{protocol_marker(self.actuals[-1])}{status}" if status is not None else "error"
        return f"{text} ({hops} redirect{'s' if hops != 1 else ''})" if hops else text

    @property
    def failure(self) -> Finding | None:
        return self.result.outcome.failure

    def protocols(self) -> str | None:
        """Which protocol answered each exchange, e.g. 'preflight HTTP/2, actual HTTP/2' (None: nothing answered)."""
        parts = [f"{e.request.stage.value} {e.response.http_version}" for e in self.result.exchanges
                 if e.response is not None]
        return ", ".join(parts) if parts else None

    def explanation(self) -> str:
        outcome = self.result.outcome
        if outcome.failure is not None:
            return self._explain(outcome.failure)[0]
        if outcome.verdict is Verdict.ALLOWED and not outcome.actual_checked:
            return "Preflight passed. " + self._explain(
                Finding(Reason.ACTUAL_NOT_SENT, spec.normalize_method(self.result.probe.method)))[0]
        if outcome.verdict is Verdict.UNCHECKED:
            return self._explain(
                Finding(Reason.ACTUAL_NOT_SENT, spec.normalize_method(self.result.probe.method)))[0]
        status = self.actual_status
        return f"A browser lets the page read this response (status {status})."

    def fix(self) -> str | None:
        """What the server must change first (the first fix's text); nothing when the row is as its scenario
        expects."""
        engine = self._failing_engine()
        if engine is not None:
            return engine.fix()
        result = self.result
        if result.passed is True:
            return None
        fixes = self.fixes()
        if fixes:
            return visible(fixes[0].change)
        failure = result.outcome.failure
        return self._explain(failure)[1] if failure is not None else None

    def diagnosis(self) -> Diagnosis:
        found: Diagnosis | None = self._derived.get("diagnosis")
        if found is None:
            found = self._derived["diagnosis"] = diagnose(self.result)
        return found

    def server(self) -> Identification:
        """Which CORS layer answered (or the one the user named)."""
        found: Identification | None = self._derived.get("server")
        if found is None:
            exchanges = (*self.result.exchanges, *(x.exchange for x in self.result.extra))
            found = self._derived["server"] = identify(exchanges, named=self.result.server_layer)
        return found

    def fixes(self) -> tuple[Fix, ...]:
        """Every change, in the order to apply, in the answering layer's words where it is known. A row that
        met its expectation keeps only the any-origin-with-credentials fix."""
        problems = self.diagnosis().problems
        if self.result.passed is True:
            problems = tuple(p for p in problems if p.code is ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS)
        return fixes_for(problems, self.server()) if problems else ()

    def fix_lines(self) -> list[str]:
        """The server line and the numbered fixes with their layer configuration, for text formats."""
        fixes = self.fixes()
        if not fixes:
            return []
        server = self.server()
        lines = [f"server: {describe_server(server)}"] if server.layer is not None else []
        for number, fix in enumerate(fixes, 1):
            stage = f" ({fix.stage.value})" if fix.stage is not None else ""
            count = f" {number}/{len(fixes)}" if len(fixes) > 1 else ""
            lines.append(f"fix{count}{stage}: {fix.change}")
            if fix.config is not None:
                lines.append(f"  in {fix.layer}: {fix.config}")
        note = self.diagnosis().note
        if note and self.result.passed is not True:
            lines.append(note)
        return [visible(line) for line in lines]

    def fix_block(self) -> list[str]:
        """fix_lines(), or the one generic ``fix: ...`` line when the diagnosis has no problem to list."""
        lines = self.fix_lines()
        if not lines:
            fix = self.fix()
            lines = [f"fix: {fix}"] if fix else []
        return lines

    def expectation_note(self) -> str | None:
        """One sentence when the row did not meet its expectation."""
        engine = self._failing_engine()
        if engine is not None:
            result = self.result
            expect = result.expect
            failing = [ENGINE_LABELS.get(e.browser, e.browser) for e in result.engines
                       if expect is not None and expect.met_by(e.outcome) is False]
            note = engine.expectation_note()
            if len(failing) == len(result.engines):
                return note  # the same in every engine: no engine to name
            names = failing[0] if len(failing) == 1 else ", ".join(failing[:-1]) + " and " + failing[-1]
            return f"In {names}: {note}"
        result = self.result
        if result.passed is not False or result.expect is None:
            return None
        expect, outcome = result.expect, result.outcome
        if outcome.verdict is not expect.verdict:
            return f"Expected {expect.verdict.value}, but the verdict is {outcome.verdict.value}."
        if expect.reason is not None and (outcome.failure is None
                                          or outcome.failure.reason is not expect.reason):
            got = outcome.failure.reason.value if outcome.failure else "none"
            return f"Expected reason {expect.reason.value}, got {got}."
        missing = [h for h in expect.readable if h.lower() not in outcome.readable_headers]
        return f"Expected readable header(s) {', '.join(missing)}, but the page cannot read them."

    def _failing_engine(self) -> Row | None:
        """--browser all: the first engine's row that does not meet the expectation."""
        result = self.result
        if not result.engines or result.expect is None:
            return None
        failing = next((e for e in result.engines if result.expect.met_by(e.outcome) is False), None)
        return Row.of(failing) if failing is not None else None

    def warnings(self) -> list[tuple[Finding, str]]:
        """Each warning with its sentence (the not-sent note is part of the explanation)."""
        return [(w, self._explain(w)[0]) for w in self.result.outcome.warnings
                if w.reason is not Reason.ACTUAL_NOT_SENT]

    def _explain(self, finding: Finding) -> tuple[str, str | None]:
        origin = self._compared_origin(finding)
        sentence, fix = explain(finding.reason, finding.detail, origin=origin,
                                method=spec.normalize_method(self.result.probe.method),
                                preflight=finding.stage is Stage.PREFLIGHT)
        return visible(sentence), (visible(fix) if fix is not None else None)  # they quote the server's values

    def _compared_origin(self, finding: Finding) -> str:
        exchanges = self.preflights if finding.stage is Stage.PREFLIGHT else self.actuals
        if exchanges:
            sent = exchanges[-1].request.header("origin")
            if sent:
                return sent
        return self.result.probe.origin


def describe_server(server: Identification) -> str:
    """'Starlette/FastAPI CORSMiddleware (starlette), detected with high confidence: ...' or 'not identified'."""
    if server.layer is None:
        evidence = f" ({'; '.join(server.evidence)})" if server.evidence else ""
        return f"CORS layer not identified{evidence}; the fixes are header-level"
    layer = named_layer(server.layer)
    title = f"{layer.title} ({server.layer})" if layer is not None else server.layer
    if server.named:
        return f"{title}, named by --server-layer/server_layer (not detected)"
    return f"{title}, detected with {server.confidence.value} confidence: {'; '.join(server.evidence)}"


# C0 controls but tab, DEL and C1 controls: a server's bytes must not drive the reader's terminal (an
# escape sequence in a header value would recolour or rewrite the screen). Shown as \xNN.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x09), *range(0x0a, 0x20), 0x7f, *range(0x80, 0xa0))}


def visible(text: str) -> str:
    """``text`` with every control character but tab written as ``\\xNN`` (text formats only; JSON keeps
    the value exactly, escaped by JSON itself)."""
    return text.translate(_CONTROLS)


def exchange_lines(exchanges: Sequence[Exchange], masker: Masker,
                   extra: Sequence[ExtraExchange] = ()) -> list[str]:
    """The raw exchanges (then the extra comparison probes), one header line per line, secret header values
    masked, control characters made visible; a kept body excerpt on one line."""
    return [visible(line) for line in _exchange_lines(exchanges, masker, extra)]


def _exchange_lines(exchanges: Sequence[Exchange], masker: Masker, extra: Sequence[ExtraExchange]) -> list[str]:
    labelled = [(e, e.request.stage.value) for e in exchanges]
    labelled += [(x.exchange, f"extra probe: {x.purpose.value}") for x in extra]
    lines: list[str] = []
    for exchange, label in labelled:
        request = exchange.request
        lines.append(f"> {request.method} {request.url}   ({label})")
        lines += [f"> {n}: {v}" for n, v in masker.headers(request.headers)]
        if exchange.response is None:
            lines.append(f"< (no response: {exchange.error})")
            continue
        response = exchange.response
        lines.append(f"< {status_line(response)}")
        lines += [f"< {n}: {v}" for n, v in masker.headers(response.headers)]
        lines += [f"< (read as Chromium reads it: {masker.text(note)})" for note in response.read_as]
        lines += [f"< (as received) {masker.text(repr(line))}" for line in response.received]
        if response.body:
            shown = response.body.replace("\r", "\\r").replace("\n", "\\n")
            lines.append(f"< (body, first {len(response.body.encode())} bytes) {masker.text(shown)}")
    return lines


def status_line(response: HttpResponse) -> str:
    """'204 No Content   (HTTP/1.1)', '204   (HTTP/2)': the status as received and the protocol."""
    return f"{f'{response.status} {response.reason_phrase}'.rstrip()}   ({response.http_version})"


_MARKERS = {"HTTP/1.1": "", "HTTP/2": "h2 ", "HTTP/3": "h3 ", "HTTP/1.0": "1.0 "}


def protocol_marker(exchange: Exchange) -> str:
    """The table's prefix for a status: '' for HTTP/1.1, 'h2 ' for HTTP/2."""
    version = exchange.response.http_version if exchange.response is not None else "HTTP/1.1"
    return _MARKERS.get(version, f"{version} ")


def _status(exchange: Exchange) -> int | None:
    return exchange.response.status if exchange.response is not None else None
