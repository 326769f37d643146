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
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from corsprobe.engine import simulate
from corsprobe.model import (
    Exchange,
    Expectation,
    Finding,
    HttpRequest,
    HttpResponse,
    Job,
    Outcome,
    Probe,
    Result,
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


def _no_cookie_jar() -> httpx.Cookies:
    """A jar that stores nothing: cookies go out only where the engine puts them."""
    return httpx.Cookies(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))


async def run_probe(client: httpx.AsyncClient, probe: Probe, expect: Expectation | None = None,
                    source: str | None = None) -> Result:
    """Drive the engine for one probe; a transport failure becomes an ``error`` row."""
    simulation = simulate(probe)
    exchanges: list[Exchange] = []
    try:
        request = next(simulation)
        while True:
            try:
                response = await _send(client, request)
            except _TransportError as error:
                exchanges.append(Exchange(request, None, error.detail))
                outcome = _error_outcome(error, probe)
                return Result(probe, outcome, tuple(exchanges), expect, source)
            exchanges.append(Exchange(request, response))
            request = simulation.send(response)
    except StopIteration as stop:
        outcome = stop.value
    return Result(probe, outcome, tuple(exchanges), expect, source)


async def run_jobs(client: httpx.AsyncClient, jobs: Sequence[Job],
                   concurrency: int = DEFAULT_CONCURRENCY,
                   on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Run every job with at most ``concurrency`` in flight; results keep the jobs' order."""
    gate = asyncio.Semaphore(max(concurrency, 1))

    async def one(job: Job) -> Result:
        async with gate:
            result = await run_probe(client, job.probe, job.expect, job.source)
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def run_all(jobs: Iterable[Job], options: ClientOptions | None = None,
                  on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Convenience: make a client from ``options``, run the jobs, close the client."""
    options = options or ClientOptions()
    async with make_client(options) as client:
        return await run_jobs(client, list(jobs), options.concurrency, on_result)


class _TransportError(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


async def _send(client: httpx.AsyncClient, request: HttpRequest) -> HttpResponse:
    try:
        response = await client.request(
            request.method, request.url, headers=list(request.headers), content=request.body,
        )
        await response.aread()
    except httpx.TimeoutException as error:
        raise _TransportError(Reason.TIMEOUT, _describe(error, request)) from error
    except httpx.ConnectError as error:
        reason = Reason.TLS_ERROR if _is_tls(error) else Reason.NETWORK_ERROR
        raise _TransportError(reason, _describe(error, request)) from error
    except (httpx.RemoteProtocolError, httpx.DecodingError) as error:
        raise _TransportError(Reason.INVALID_RESPONSE, _describe(error, request)) from error
    except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise _TransportError(Reason.NETWORK_ERROR, _describe(error, request)) from error
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw
    )
    return HttpResponse(response.status_code, headers, response.reason_phrase)


def _is_tls(error: Exception) -> bool:
    text = f"{error!r} {error.__cause__!r}".lower()
    return "ssl" in text or "certificate" in text or "tls" in text


def _describe(error: Exception, request: HttpRequest) -> str:
    text = str(error) or type(error).__name__
    return f"{request.stage} {request.method} {request.url}: {text}"


def _error_outcome(error: _TransportError, probe: Probe) -> Outcome:
    return Outcome(verdict=Verdict.ERROR, failure=Finding(error.reason, error.detail))
