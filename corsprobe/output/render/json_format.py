"""The JSON contract (version 1): later versions only add fields. Pure; returns text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from corsprobe.browser import spec
from corsprobe.model import Exchange, ExtraExchange, Headers, Result
from corsprobe.output.engines import disagreement
from corsprobe.output.render import RenderOptions, jsontext
from corsprobe.output.report import Tally
from corsprobe.output.reproduce import reproduce
from corsprobe.output.view import Row

VERSION = 1


def render(results: Sequence[Result], options: RenderOptions) -> str:
    stream = Stream(options)
    parts = [stream.begin(), *(stream.row(r) for r in results), *stream.end(Tally.of(results))]
    return "".join(parts)


class Stream:
    """The JSON document written row by row: the same text as ``json.dumps(document, indent=2)``
    (a row's secrets masked in its own text), one ``results`` element per row."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.rows = 0

    def begin(self) -> str:
        return f'{{\n  "version": {VERSION},\n  "results": ['

    def row(self, result: Result) -> str:
        text = _indented(jsontext.dumps(result_dict(Row.of(result), self.options)), 4)
        self.rows += 1
        return ("," if self.rows > 1 else "") + "\n    " + self.options.masker.text(text)

    def end(self, tally: Tally) -> list[str]:
        close = "\n  ]" if self.rows else "]"
        summary = _indented(jsontext.dumps(summary_dict(tally, self.options)), 2)
        return [f'{close},\n  "summary": {self.options.masker.text(summary)}\n}}\n']


def summary_dict(tally: Tally, options: RenderOptions) -> dict[str, Any]:
    """The ``summary`` object: counts, expectations, extra probes sent, and whether a signal cut the run short."""
    return {**tally.summary().as_dict(), "extra_probes": tally.extra_probes,
            "interrupted": options.interrupted or tally.interrupted}


def _indented(text: str, spaces: int) -> str:
    """Every line but the first indented (JSON strings carry no raw newline)."""
    return text.replace("\n", "\n" + " " * spaces)


def result_dict(row: Row, options: RenderOptions) -> dict[str, Any]:
    fields = _result_fields(row, options)
    if row.result.engines:  # --browser all
        fields["browsers"] = {e.browser: _engine_fields(Row.of(e)) for e in row.result.engines}
        fields["browsers_differ"] = disagreement(row.result)
    return fields


def _engine_fields(row: Row) -> dict[str, Any]:
    outcome, failure = row.result.outcome, row.result.outcome.failure
    return {
        "verdict": outcome.verdict.value,
        "reason": failure.reason.value if failure else None,
        "stage": failure.stage.value if failure and failure.stage else None,
        "explanation": row.explanation(),
        "fix": row.fix(),
        "preflight_needed": outcome.preflight_needed,
        "requests": [[e.request.stage.value, e.request.method] for e in row.result.exchanges],
        "readable_headers": list(outcome.readable_headers),
        "passed": row.result.passed,
    }


def _result_fields(row: Row, options: RenderOptions) -> dict[str, Any]:
    result = row.result
    probe, outcome = result.probe, result.outcome
    mask = options.masker.headers
    failure = outcome.failure
    expect = result.expect
    return {
        "name": row.name,
        "url": probe.url,
        "origin": probe.origin,
        "method": spec.normalize_method(probe.method),
        "credentials": probe.credentials.value,
        "request_headers": dict(mask(probe.headers)),
        "source": result.source,
        "browser": result.browser,
        "preflight": {
            "needed": outcome.preflight_needed,
            "sent": bool(row.preflights),
            "status": row.preflight_status,
            "http_version": _version(row.preflights[0]) if row.preflights else None,
            "passed": row.preflight_passed,
            "max_age": outcome.preflight_max_age,
            "request_headers": _pairs(mask(row.preflights[0].request.headers)) if row.preflights else [],
            "response_headers": _response_headers(row.preflights[0], mask) if row.preflights else [],
            **_head_evidence(row.preflights[0] if row.preflights else None, options.masker.text),
        },
        "actual": {
            "sent": bool(row.actuals),
            "status": row.actual_status,
            "http_version": _version(row.actuals[-1]) if row.actuals else None,
            "request_headers": _pairs(mask(row.actuals[0].request.headers)) if row.actuals else [],
            "response_headers": _response_headers(row.actuals[-1], mask) if row.actuals else [],
            **_head_evidence(row.actuals[-1] if row.actuals else None, options.masker.text),
            "redirects": [_hop(e, mask) for e in row.actuals[:-1]],
        },
        "verdict": outcome.verdict.value,
        "reason": failure.reason.value if failure else None,
        "stage": failure.stage.value if failure and failure.stage else None,
        "explanation": row.explanation(),
        "fix": row.fix(),
        "warnings": [
            {"code": w.reason.value, "message": text} for w, text in row.warnings()
        ],
        "unsafe_headers": list(outcome.unsafe_headers),
        "dropped_headers": list(outcome.dropped_headers),
        "readable_headers": list(outcome.readable_headers),
        "expect": None if expect is None else {
            "verdict": expect.verdict.value,
            "reason": expect.reason.value if expect.reason else None,
            "readable": list(expect.readable),
        },
        "passed": result.passed,
        "expectation_note": row.expectation_note(),
        "duration_ms": round(result.duration * 1000, 1) if result.duration is not None else None,
        "reproduce": reproduce(result, options.masker).as_dict(),
        "server": _server(row),
        "fixes": [{"problem": f.problem.value, "stage": f.stage.value if f.stage else None, "change": f.change,
                   "layer": f.layer, "config": f.config} for f in row.fixes()],
        "fixes_note": row.diagnosis().note if result.passed is not True else None,
        "extra_probes": [_extra(x, mask) for x in result.extra],
    }


def _server(row: Row) -> dict[str, Any]:
    server = row.server()
    return {"layer": server.layer, "confidence": server.confidence.value, "evidence": list(server.evidence),
            "named": server.named}


def _extra(extra: ExtraExchange, mask: Any) -> dict[str, Any]:
    exchange = extra.exchange
    response = exchange.response
    return {
        "purpose": extra.purpose.value,
        "method": exchange.request.method,
        "url": exchange.request.url,
        "request_headers": _pairs(mask(exchange.request.headers)),
        "status": response.status if response else None,
        "http_version": _version(exchange),
        "response_headers": _response_headers(exchange, mask),
        "body": response.body if response else "",
        "error": exchange.error,
    }


def _version(exchange: Exchange) -> str | None:
    """The protocol that answered ("HTTP/1.1", "HTTP/2"), None when nothing did."""
    return exchange.response.http_version if exchange.response is not None else None


def _pairs(headers: Headers) -> Headers:
    """Header lines as JSON arrays ``[name, value]``: the tuple itself (``jsontext`` writes a tuple as an
    array, and writes the same lines once per run)."""
    return headers


def _response_headers(exchange: Exchange, mask: Any) -> Headers:
    return _pairs(mask(exchange.response.headers)) if exchange.response is not None else ()


def _head_evidence(exchange: Exchange | None, mask: Callable[[str], str]) -> dict[str, list[str]]:
    """A head read as Chromium reads it: how (one note per rule) and its lines as received."""
    response = exchange.response if exchange is not None else None
    if response is None or not response.read_as:
        return {}
    return {"response_read_as": [mask(n) for n in response.read_as],
            "response_received": [mask(line) for line in response.received]}


def _hop(exchange: Exchange, mask: Any) -> dict[str, Any]:
    response = exchange.response
    return {
        "url": exchange.request.url,
        "method": exchange.request.method,
        "status": response.status if response else None,
        "http_version": _version(exchange),
        "location": response.combined("location") if response else None,
        "response_headers": _response_headers(exchange, mask),
    }
