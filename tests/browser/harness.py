"""Runs every case twice against the same loopback servers: once in headless Chromium, once
through corsprobe's engine and runner, and reduces both to comparable observations.

Browser pass URLs end in /b/<hop>, corsprobe pass URLs in /cp/<hop>, so the server logs of the
two passes never mix. Does network and process I/O (loopback only).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from corsprobe.model import Credentials, Probe, Result, Verdict
from corsprobe.runner import ClientOptions, Job, make_client, run_jobs
from tests.browser import console
from tests.browser.chromium import chromium_version, run_page
from tests.browser.grammar import Case
from tests.browser.page import page_html
from tests.browser.servers import PAGE_PATH, REPORT_PATH, Seen, Servers

BROWSER = "b"
CORSPROBE = "cp"
REPORT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Observation:
    """What one side did for one case."""

    allowed: bool
    status: int | None
    readable: tuple[str, ...]
    seen: tuple[Seen, ...]
    reason: str | None
    detail: str
    intended: tuple[str, ...] = ()  # corsprobe: the methods the engine asked the runner to send


@dataclass(frozen=True)
class Run:
    chromium: str
    browser: dict[str, Observation]
    corsprobe: dict[str, Observation]
    browser_seconds: float
    corsprobe_seconds: float


def run_both(binary: str, servers: Servers, cases: list[Case]) -> Run:
    """The browser pass, then the corsprobe pass; servers must already be running."""
    version = chromium_version(binary)
    urls = {case.id: servers.url(case, BROWSER) for case in cases}
    servers.page_html = page_html(cases, urls, REPORT_PATH)
    started = time.monotonic()
    log = run_page(binary, servers.page_origin + PAGE_PATH, servers.reported, REPORT_TIMEOUT)
    browser_seconds = time.monotonic() - started
    assert servers.report is not None
    messages = console.cors_messages(log)
    browser: dict[str, Observation] = {}
    for case in cases:
        entry = servers.report.get(case.id)
        assert isinstance(entry, dict), f"no browser report for {case.id}"
        message = messages.get(case.id)
        browser[case.id] = Observation(
            allowed=bool(entry["allowed"]),
            status=entry["status"] if isinstance(entry["status"], int) else None,
            readable=tuple(sorted({str(key).lower() for key in entry["keys"]})),
            seen=tuple(servers.seen(case, BROWSER)),
            reason=console.classify(message) if message else None,
            detail=message or str(entry["error"] or ""),
        )
    started = time.monotonic()
    results = asyncio.run(_run_corsprobe(servers, cases))
    corsprobe_seconds = time.monotonic() - started
    mine = {
        case.id: _observe(result, tuple(servers.seen(case, CORSPROBE)))
        for case, result in zip(cases, results, strict=True)
    }
    return Run(version, browser, mine, browser_seconds, corsprobe_seconds)


def probe_for(case: Case, url: str, origin: str) -> Probe:
    return Probe(
        url=url, origin=origin, method=case.request.method, headers=case.request.headers,
        credentials=Credentials(case.request.credentials), body=case.request.body,
        send_unsafe=True, name=case.id,
    )


async def _run_corsprobe(servers: Servers, cases: list[Case]) -> list[Result | str]:
    """Every case through run_jobs, one job per call, so a runner crash costs only its own row."""
    jobs = [Job(probe_for(case, servers.url(case, CORSPROBE), servers.page_origin)) for case in cases]
    gate = asyncio.Semaphore(8)

    async def one(client: httpx.AsyncClient, job: Job) -> Result | str:
        async with gate:
            try:
                return (await run_jobs(client, [job], concurrency=1))[0]
            except Exception as error:
                return f"corsprobe raised {type(error).__name__}: {error}"

    async with make_client(ClientOptions(timeout=15.0)) as client:
        return list(await asyncio.gather(*(one(client, job) for job in jobs)))


def _observe(result: Result | str, seen: tuple[Seen, ...]) -> Observation:
    if isinstance(result, str):
        return Observation(False, None, (), seen, "crash", result)
    outcome = result.outcome
    allowed = outcome.verdict is Verdict.ALLOWED
    last = result.exchanges[-1].response if result.exchanges else None
    failure = outcome.failure
    return Observation(
        allowed=allowed,
        status=last.status if allowed and last is not None else None,
        readable=tuple(sorted(set(outcome.readable_headers))) if allowed else (),
        seen=seen,
        reason=None if allowed or failure is None else failure.reason.value,
        detail="" if failure is None else f"{failure.reason.value}: {failure.detail}",
        intended=tuple(exchange.request.method for exchange in result.exchanges),
    )
