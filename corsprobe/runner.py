"""The imperative shell around the engine: performs each HttpRequest with an injected
``httpx.AsyncClient`` and feeds the raw answer back.

This is the only module that talks HTTP. Redirects are never followed by httpx
(``follow_redirects=False``); the engine decides every hop. Header lines are kept as
received (``multi_items()``), duplicates and casing included.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from corsprobe.browser.engine import simulate
from corsprobe.browser.profiles import CHROMIUM, BrowserProfile
from corsprobe.model import (
    Exchange,
    Expectation,
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

__all__ = ["ClientOptions", "Job", "make_client", "run_all", "run_jobs", "run_probe"]

DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class ClientOptions:
    timeout: float = DEFAULT_TIMEOUT
    insecure: bool = False
    cacert: str | None = None
    proxy: str | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    retries: int = 0
    profile: BrowserProfile = CHROMIUM
    extra_probes: bool = True  # comparison probes beside the browser's requests (--no-extra-probes)


def make_client(options: ClientOptions) -> httpx.AsyncClient:
    """One shared client: no redirects, environment proxies honoured, TLS verified by default."""
    verify: ssl.SSLContext | bool
    if options.insecure:
        verify = False
    elif options.cacert:
        verify = ssl.create_default_context(cafile=options.cacert)
    else:
        verify = True
    limits = httpx.Limits(max_connections=max(options.concurrency, 1) * 2)
    return httpx.AsyncClient(
        follow_redirects=False, timeout=options.timeout, verify=verify, proxy=options.proxy,
        trust_env=True, limits=limits, headers={"Accept-Encoding": "gzip, deflate"},
        cookies=_no_cookie_jar(),
    )


def _no_cookie_jar() -> CookieJar:
    """A jar that stores nothing: cookies go out only where the engine puts them.
    (A CookieJar, not httpx.Cookies: the client copies the latter into a default jar.)"""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


async def run_probe(client: httpx.AsyncClient, probe: Probe, expect: Expectation | None = None,
                    source: str | None = None, retries: int = 0,
                    profile: BrowserProfile = CHROMIUM, extra_probes: bool = False) -> Result:
    """Drive the engine for one probe; a transport failure becomes an ``error`` row. With ``extra_probes``,
    then send the row's comparison probes (corsprobe.browser.comparison)."""
    result = await _browser_requests(client, probe, expect, source, retries, profile)
    return await _extra_requests(client, result) if extra_probes else result


async def _extra_requests(client: httpx.AsyncClient, result: Result) -> Result:
    """Send the planned comparison probes (safe methods); a failure is kept as evidence."""
    from corsprobe.browser import comparison

    extra = []
    for planned in comparison.plan(result):
        try:
            # One retry (a safe method): a server may close a kept-alive connection after a crashed request.
            exchange = Exchange(planned.request, await _send_with_retries(client, planned.request, 1, keep_body=True))
        except _TransportError as error:
            exchange = Exchange(planned.request, None, error.detail)
        extra.append(ExtraExchange(planned.purpose, exchange))
    return comparison.conclude(replace(result, extra=tuple(extra))) if extra else result


async def _browser_requests(client: httpx.AsyncClient, probe: Probe, expect: Expectation | None,
                            source: str | None, retries: int, profile: BrowserProfile) -> Result:
    simulation = simulate(probe, profile)
    exchanges: list[Exchange] = []
    try:
        request = next(simulation)
        while True:
            try:
                response = await _send_with_retries(client, request, retries)
            except _TransportError as error:
                exchanges.append(Exchange(request, None, error.detail))
                outcome = _error_outcome(error)
                return Result(probe, outcome, tuple(exchanges), expect, source, profile.name)
            exchanges.append(Exchange(request, response))
            request = simulation.send(response)
    except StopIteration as stop:
        outcome = stop.value
    return Result(probe, outcome, tuple(exchanges), expect, source, profile.name)


async def run_jobs(client: httpx.AsyncClient, jobs: Sequence[Job],
                   concurrency: int = DEFAULT_CONCURRENCY,
                   on_result: Callable[[Result], None] | None = None, retries: int = 0,
                   profile: BrowserProfile = CHROMIUM, extra_probes: bool = False) -> list[Result]:
    """Run every job with at most ``concurrency`` in flight; results keep the jobs' order."""
    gate = asyncio.Semaphore(max(concurrency, 1))

    async def one(job: Job) -> Result:
        async with gate:
            try:
                result = await run_probe(client, job.probe, job.expect, job.source, retries, profile, extra_probes)
            except Exception as error:  # one broken row never aborts the others
                failure = Finding(Reason.PROBE_FAILED, f"{type(error).__name__}: {error}")
                result = Result(job.probe, Outcome(Verdict.ERROR, failure), (), job.expect, job.source,
                                profile.name)
        if job.server_layer is not None:
            result = replace(result, server_layer=job.server_layer)
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def run_all(jobs: Iterable[Job], options: ClientOptions | None = None,
                  on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Convenience: make a client from ``options``, run the jobs, close the client."""
    options = options or ClientOptions()
    async with make_client(options) as client:
        return await run_jobs(client, list(jobs), options.concurrency, on_result, options.retries,
                              options.profile, options.extra_probes)


class _TransportError(Exception):
    def __init__(self, reason: Reason, detail: str, nothing_sent: bool = False) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.nothing_sent = nothing_sent


async def _send_with_retries(client: httpx.AsyncClient, request: HttpRequest, retries: int,
                             keep_body: bool = False) -> HttpResponse:
    """Retry transport failures only; a request that may have reached the server is retried
    only when it cannot change state (preflight, GET, HEAD). A retry never changes a verdict."""
    for attempt in range(retries + 1):
        try:
            return await _send(client, request, keep_body)
        except _TransportError as error:
            replayable = error.nothing_sent or request.method in _REPLAYABLE
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


async def _send(client: httpx.AsyncClient, request: HttpRequest, keep_body: bool = False) -> HttpResponse:
    try:
        outgoing = client.build_request(request.method, request.url, content=request.body, headers=[
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in request.headers])
    except (ValueError, httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise _TransportError(Reason.NETWORK_ERROR, _describe(error, request), nothing_sent=True) from error
    # httpx upper-cases every method; a browser sends `patch` as the page wrote it.
    outgoing.method = request.method
    _ensure_hook(client)
    try:
        response = await client.send(outgoing, follow_redirects=False, stream=True)
    except (httpx.RemoteProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        kept = outgoing.extensions.get(_KEPT)
        if not isinstance(kept, httpx.Response):
            raise _transport_error(error, request) from error
        return _response_value(kept)  # its body was closed by httpx; the 3xx's headers decide
    except httpx.HTTPError as error:
        raise _transport_error(error, request) from error
    try:
        await response.aread()
    except httpx.HTTPError as error:
        # A preflight's body is never read by a browser; a broken actual body fails fetch().
        if request.stage is not Stage.PREFLIGHT:
            raise _transport_error(error, request) from error
    finally:
        await response.aclose()
    keep = (keep_body or request.stage is Stage.PREFLIGHT) and not 200 <= response.status_code <= 299
    return _response_value(response, _body_excerpt(response) if keep else "")


BODY_EXCERPT = 1024  # bytes of a non-2xx preflight's (or extra probe's) body kept as fingerprint evidence


def _body_excerpt(response: httpx.Response) -> str:
    try:
        return response.content[:BODY_EXCERPT].decode("utf-8", "replace")
    except (httpx.HTTPError, httpx.StreamError):  # the body could not be read (a broken preflight body)
        return ""


def _response_value(response: httpx.Response, body: str = "") -> HttpResponse:
    headers = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw)
    return HttpResponse(response.status_code, headers, response.reason_phrase, body)


def _transport_error(error: Exception, request: HttpRequest) -> _TransportError:
    detail = _describe(error, request)
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return _TransportError(Reason.TIMEOUT, detail, nothing_sent=True)
    if isinstance(error, httpx.TimeoutException):
        return _TransportError(Reason.TIMEOUT, detail)
    if isinstance(error, httpx.ConnectError):
        return _TransportError(Reason.TLS_ERROR if _is_tls(error) else Reason.NETWORK_ERROR, detail,
                               nothing_sent=True)
    if isinstance(error, httpx.RemoteProtocolError) and "without sending a response" in str(error):
        return _TransportError(Reason.NETWORK_ERROR, detail)  # an empty reply (net::ERR_EMPTY_RESPONSE)
    if isinstance(error, httpx.RemoteProtocolError | httpx.DecodingError):
        return _TransportError(Reason.INVALID_RESPONSE, detail)
    return _TransportError(Reason.NETWORK_ERROR, detail)


def _is_tls(error: Exception) -> bool:
    text = f"{error!r} {error.__cause__!r}".lower()
    return "ssl" in text or "certificate" in text or "tls" in text


def _describe(error: Exception, request: HttpRequest) -> str:
    text = str(error) or type(error).__name__
    return f"{request.stage} {request.method} {request.url}: {text}"


def _error_outcome(error: _TransportError) -> Outcome:
    return Outcome(verdict=Verdict.ERROR, failure=Finding(error.reason, error.detail))
