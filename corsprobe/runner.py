"""The imperative shell around the engine: performs each HttpRequest with an injected
``httpx.AsyncClient`` and feeds the raw answer back.

This is the only module that talks HTTP. Redirects are never followed by httpx
(``follow_redirects=False``); the engine decides every hop. Header lines are kept as
received (``headers.raw``), duplicates, casing and order included, with the protocol that
answered (HTTP/1.1 or HTTP/2). An HTTP/2 header block Chromium refuses is an error row.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import httpx

from corsprobe.browser.engine import simulate
from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import (
    Exchange,
    ExtraExchange,
    Finding,
    HttpRequest,
    HttpResponse,
    Job,
    Outcome,
    Probe,
    Result,
    Stage,
    Verdict,
)
from corsprobe.reasons import Reason
from corsprobe.wire import encodings, sending
from corsprobe.wire.body import drain_preflight, read_actual
from corsprobe.wire.causes import Cause, cause_of, stale_connection, timed_out
from corsprobe.wire.client import ClientOptions, make_client
from corsprobe.wire.deadline import CURRENT, Phase, bounded
from corsprobe.wire.h2_fields import STATUS_PROBLEM
from corsprobe.wire.h2_fields import problem as h2_problem
from corsprobe.wire.lenient import head_of
from corsprobe.wire.politeness import HostGate
from corsprobe.wire.pools import WORKER, feeds_phase
from corsprobe.wire.urls import without_password

__all__ = ["ClientOptions", "Job", "RunPolicy", "make_client", "run_all", "run_jobs", "run_probe"]

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class RunPolicy:
    """How a run goes, apart from the transport: whose rules, how many probes in flight, how many
    retries of a transport failure, and politeness per host (requests per second, connections)."""

    profile: BrowserProfile
    concurrency: int = DEFAULT_CONCURRENCY
    retries: int = 0
    rate: float | None = None
    max_per_host: int | None = None
    extra_probes: bool = False  # comparison probes beside the browser's requests (--no-extra-probes)
    # More engines, each row run under them too, right after the first (``--browser all``): the row is the
    # first engine's, carrying every engine's in ``Result.engines``.
    also: tuple[BrowserProfile, ...] = ()


async def run_probe(client: httpx.AsyncClient, job: Job | Probe, policy: RunPolicy,
                    options: ClientOptions | None = None, gate: HostGate | None = None) -> Result:
    """Drive the engine for one probe; a transport failure becomes an ``error`` row. With
    ``policy.extra_probes``, then send the row's comparison probes (corsprobe.browser.comparison)."""
    job = job if isinstance(job, Job) else Job(job)
    options = options or ClientOptions(timeout=_deadline_of(client))
    wire = _Wire(client, options, gate or HostGate(policy.rate, policy.max_per_host), feeds_phase(client))
    started = time.monotonic()
    result = await _browser_requests(wire, job, policy)
    if job.server_layer is not None:
        result = replace(result, server_layer=job.server_layer)
    result = await _extra_requests(wire, result) if policy.extra_probes else result
    return replace(result, duration=round(time.monotonic() - started, 6))


async def _extra_requests(wire: _Wire, result: Result) -> Result:
    """Send the planned comparison probes (safe methods); a failure is kept as evidence."""
    from corsprobe.browser import comparison

    extra = []
    for planned in comparison.plan(result):
        try:
            # One retry (a safe method): a server may close a kept-alive connection after a crashed request.
            exchange = Exchange(planned.request, await _send_with_retries(wire, planned.request, 1, keep_body=True))
        except _TransportError as error:
            exchange = Exchange(planned.request, None, error.detail)
        extra.append(ExtraExchange(planned.purpose, exchange))
    return comparison.conclude(replace(result, extra=tuple(extra))) if extra else result


async def _browser_requests(wire: _Wire, job: Job, policy: RunPolicy) -> Result:
    simulation = simulate(job.probe, policy.profile)
    exchanges: list[Exchange] = []
    try:
        request = next(simulation)
        while True:
            try:
                response = await _send_with_retries(wire, request, policy.retries)
            except _TransportError as error:
                exchanges.append(Exchange(request, None, error.cause.text))
                failure = Finding(error.cause.reason, error.detail)
                return _result(job, Outcome(Verdict.ERROR, failure), exchanges, policy)
            exchanges.append(Exchange(request, response))
            request = simulation.send(response)
    except StopIteration as stop:
        return _result(job, stop.value, exchanges, policy)


def _deadline_of(client: httpx.AsyncClient) -> float:
    """An injected client's exchange deadline: the largest of its httpx timeouts (else the default)."""
    timeout = client.timeout
    values = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v is not None]
    return max(values) if values else ClientOptions().timeout


def _result(job: Job, outcome: Outcome, exchanges: list[Exchange], policy: RunPolicy) -> Result:
    return Result(job.probe, outcome, tuple(exchanges), job.expect, job.source, policy.profile.name)


async def run_jobs(clients: httpx.AsyncClient | Sequence[httpx.AsyncClient], jobs: Iterable[Job],
                   policy: RunPolicy, options: ClientOptions | None = None,
                   on_result: Callable[[Result], None] | None = None,
                   stop: asyncio.Event | None = None, on_row: Callable[[int, Result], None] | None = None,
                   keep: bool = True) -> list[Result]:
    """Run the jobs, taken lazily, with at most ``policy.concurrency`` in flight; worker ``i``
    uses ``clients[i % len(clients)]``. Once ``stop`` is set no new probe starts (the ones in
    flight finish). Results keep the jobs' order. ``on_row(index, result)`` hears of each row as
    it completes; with ``keep=False`` no result is kept (the list returned is empty)."""
    pool = [clients] if isinstance(clients, httpx.AsyncClient) else list(clients)
    gate = HostGate(policy.rate, policy.max_per_host)
    pending = enumerate(jobs)
    done: dict[int, Result] = {}

    async def worker(number: int, client: httpx.AsyncClient) -> None:
        WORKER.set(number)  # this task's own connection pool (wire.pools), when the client is ours
        for index, job in pending:
            if stop is not None and stop.is_set():
                return
            result = await _row(client, job, policy, options, gate)
            if policy.also:
                engines = [result]
                for profile in policy.also:  # a row in flight when a stop comes ends under every engine
                    engines.append(await _row(client, job, replace(policy, profile=profile, also=()), options, gate))
                result = replace(result, engines=tuple(engines))
            if keep:
                done[index] = result
            if on_row is not None:
                on_row(index, result)
            if on_result is not None:
                on_result(result)

    count = max(policy.concurrency, 1)
    await asyncio.gather(*(worker(i, pool[i % len(pool)]) for i in range(count)))
    return [done[index] for index in sorted(done)]


async def _row(client: httpx.AsyncClient, job: Job, policy: RunPolicy, options: ClientOptions | None,
               gate: HostGate) -> Result:
    try:
        return await run_probe(client, job, policy, options, gate)
    except Exception as error:  # one broken row never aborts the others
        failure = Finding(Reason.PROBE_FAILED, f"{type(error).__name__}: {error}")
        return _result(job, Outcome(Verdict.ERROR, failure), [], policy)


async def run_all(jobs: Iterable[Job], options: ClientOptions, policy: RunPolicy,
                  on_result: Callable[[Result], None] | None = None,
                  stop: asyncio.Event | None = None, on_row: Callable[[int, Result], None] | None = None,
                  keep: bool = True) -> list[Result]:
    """Make one client (one small connection pool per worker under it), run the jobs, close it."""
    async with make_client(options) as client:
        return await run_jobs(client, jobs, policy, options, on_result, stop, on_row, keep)


@dataclass(frozen=True, slots=True)
class _Wire:
    client: httpx.AsyncClient
    options: ClientOptions
    gate: HostGate
    feeds_phase: bool = False  # the client's backend reports the phase (no trace hook needed)


class _TransportError(Exception):
    def __init__(self, cause: Cause, request: HttpRequest) -> None:
        self.detail = f"{request.stage} {request.method} {without_password(request.url)}: {cause.text}"
        super().__init__(self.detail)
        self.cause = cause


async def _send_with_retries(wire: _Wire, request: HttpRequest, retries: int,
                             keep_body: bool = False) -> HttpResponse:
    """Retry transport failures only; a request that may have reached the server is retried
    only when it cannot change state (preflight, GET, HEAD). A retry never changes a verdict."""
    for attempt in range(retries + 1):
        try:
            if wire.gate.unlimited:  # no --rate, no --max-per-host: nothing to wait for
                return await _send(wire, request, keep_body)
            async with wire.gate.slot(request.url):
                return await _send(wire, request, keep_body)
        except _TransportError as error:
            replayable = error.cause.nothing_sent or request.method in _REPLAYABLE
            if attempt >= retries or not replayable:
                raise
            await asyncio.sleep(min(0.2 * 2**attempt, 2.0))
    raise AssertionError("unreachable")


_REPLAYABLE = frozenset({"OPTIONS", "GET", "HEAD"})


_KEPT = "corsprobe.response"


async def _keep_response(response: httpx.Response) -> None:
    """Response hook: keep each response on its request, so a 3xx whose Location httpx cannot
    turn into a next request is still judged by the engine (a browser judges it too)."""
    response.request.extensions[_KEPT] = response


def _ensure_hook(client: httpx.AsyncClient) -> None:
    hooks = client.event_hooks
    if _keep_response not in hooks.get("response", []):
        client.event_hooks = {**hooks, "response": [*hooks.get("response", []), _keep_response]}


async def _send(wire: _Wire, request: HttpRequest, keep_body: bool = False) -> HttpResponse:
    """One exchange under one deadline: connect, send, head and (some of) the body. A request that a
    stale kept-alive connection swallowed is resent on another, as Chromium does (not a retry)."""
    for resend in range(_STALE_RESENDS + 1):
        phase = Phase()
        try:
            outgoing = sending.build(wire.client, request.method, _url(request.url), [
                (name.encode("latin-1"), value.encode("latin-1")) for name, value in request.headers], request.body)
        except (ValueError, httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise _TransportError(Cause(Reason.NETWORK_ERROR, str(error), True), request) from error
        # httpx upper-cases every method; a browser sends `patch` as the page wrote it.
        outgoing.method = request.method
        if not wire.feeds_phase:
            outgoing.extensions["trace"] = phase.trace
        _ensure_hook(wire.client)
        seconds = wire.options.timeout
        token = CURRENT.set(phase)
        try:
            return await bounded(_exchange(wire, outgoing, request, phase, keep_body), seconds)
        except TimeoutError as error:
            raise _TransportError(timed_out(phase, seconds), request) from error
        except httpx.HTTPError as error:
            if resend < _STALE_RESENDS and stale_connection(error, phase):
                continue
            raise _TransportError(cause_of(error, phase, seconds), request) from error
        except _Refused as refused:
            raise _TransportError(Cause(Reason.INVALID_RESPONSE, refused.text), request) from refused
        except ValueError as error:
            if not phase.http2 or phase.head_received:
                raise
            # httpcore parses ':status' with int(); Chromium resets the stream (SpdyStream::OnHeadersReceived).
            raise _TransportError(Cause(Reason.INVALID_RESPONSE, STATUS_PROBLEM), request) from error
        finally:
            CURRENT.reset(token)
    raise AssertionError("unreachable")


@lru_cache(maxsize=4096)
def _url(text: str) -> httpx.URL:
    """A request URL parsed once per run, not once per request (httpx copies it into each request)."""
    return httpx.URL(text)


# HttpNetworkTransaction::ShouldResendRequest has no count: each resend closes the stale connection,
# so the kept-alive ones run out and a new connection's failure ends it (kMaxRetryAttempts is for
# other errors). A bound all the same, so the loop stops by itself.
_STALE_RESENDS = 64


class _Refused(Exception):
    """A response Chromium's network stack refuses before any CORS check (an HTTP/2 header block)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


async def _refuse_malformed(response: httpx.Response) -> None:
    """What Chromium's network stack refuses before any CORS check: an HTTP/2 header block
    (corsprobe.wire.h2_fields), a Content-Encoding that is no list of codings (wire.encodings); a
    refused response is closed and raised as _Refused."""
    text = h2_problem(response.headers.raw) if response.http_version == "HTTP/2" else None
    if text is None and "content-encoding" in response.headers:
        text = encodings.refusal(response.headers.get_list("content-encoding"), response.status_code,
                                 "location" in response.headers)
    if text is not None:
        await response.aclose()
        raise _Refused(text)


async def _exchange(wire: _Wire, outgoing: httpx.Request, request: HttpRequest, phase: Phase,
                    keep_body: bool) -> HttpResponse:
    try:
        response = await sending.send(wire.client, outgoing)
    except (httpx.RemoteProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL):
        kept = outgoing.extensions.get(_KEPT)
        if not isinstance(kept, httpx.Response):
            raise
        await _refuse_malformed(kept)
        return _response_value(kept)  # its body was closed by httpx; the 3xx's headers decide
    await _refuse_malformed(response)
    phase.reading_body()
    body_error = None
    if request.stage is Stage.PREFLIGHT:
        # Chromium and Firefox never read a preflight's body (WebKit does: the engine decides);
        # a little is drained, and an error met meanwhile is handed to the engine.
        read = await drain_preflight(response)
        body_error = read.error
    else:
        # A broken actual body fails fetch(); past the cap the connection is closed.
        read = await read_actual(response, wire.options.max_body)
    keep = (keep_body or request.stage is Stage.PREFLIGHT) and not 200 <= response.status_code <= 299
    # A non-2xx preflight's (or extra probe's) first bytes are kept as fingerprint evidence.
    excerpt = read.head.decode("utf-8", "replace") if keep else ""
    return _response_value(response, excerpt, body_error)


def _response_value(response: httpx.Response, body: str = "", body_error: str | None = None) -> HttpResponse:
    """The response as Chromium read its head (the lenient stream's reading), else as h11 did."""
    head = head_of(response.extensions)
    if head is not None:
        received = head.raw_lines() if head.notes else ()
        return HttpResponse(head.status, head.headers, head.reason, body, body_error=body_error,
                            http_version=response.http_version, read_as=head.notes, received=received)
    headers = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw)
    version = response.http_version
    # HTTP/2 has no reason phrase (httpx would make one up from the status code).
    reason = "" if version == "HTTP/2" else response.reason_phrase
    return HttpResponse(response.status_code, headers, reason, body, body_error=body_error, http_version=version)
