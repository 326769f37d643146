"""Runs every case twice against the same loopback servers: once in a headless browser, once
through corsprobe's engine (with that browser's profile) and runner, and reduces both to
comparable observations.

Each browser has its own pass names (Chromium: browser pass /b/<hop>, corsprobe pass
/cp/<hop>; Firefox: /fb/, /fcp/), so no two passes' server logs ever mix. Does network and
process I/O (loopback only).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from corsprobe.model import Credentials, Probe, Result, Verdict
from corsprobe.runner import ClientOptions, Job, RunPolicy, make_client, run_jobs
from tests.browser.browsers import Browser
from tests.browser.grammar import Case
from tests.browser.page import page_html
from tests.browser.servers import Seen, Servers

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
    browser_name: str
    version: str
    browser: dict[str, Observation]
    corsprobe: dict[str, Observation]
    browser_seconds: float
    corsprobe_seconds: float


def run_both(browser: Browser, binary: str, servers: Servers, cases: list[Case]) -> Run:
    """The browser pass, then the corsprobe pass; servers must already be running."""
    version = browser.version(binary)
    urls = {case.id: servers.url(case, browser.browser_pass) for case in cases}
    html = page_html(cases, urls, servers.report_path(browser.browser_pass))
    page_url, reported = servers.serve_page(browser.browser_pass, html)
    started = time.monotonic()
    messages = browser.console(binary, page_url, reported, REPORT_TIMEOUT)
    browser_seconds = time.monotonic() - started
    report = servers.reports.get(browser.browser_pass)
    assert report is not None, f"{browser.name} did not report"
    observed: dict[str, Observation] = {}
    for case in cases:
        entry = report.get(case.id)
        assert isinstance(entry, dict), f"no {browser.name} report for {case.id}"
        reason, message = messages.get(case.id, (None, ""))
        observed[case.id] = Observation(
            allowed=bool(entry["allowed"]),
            status=entry["status"] if isinstance(entry["status"], int) else None,
            readable=tuple(sorted({str(key).lower() for key in entry["keys"]})),
            seen=tuple(servers.seen(case, browser.browser_pass)),
            reason=reason,
            detail=message or str(entry["error"] or ""),
        )
    started = time.monotonic()
    results = asyncio.run(_run_corsprobe(browser, servers, cases))
    corsprobe_seconds = time.monotonic() - started
    mine = {
        case.id: _observe(result, tuple(servers.seen(case, browser.corsprobe_pass)))
        for case, result in zip(cases, results, strict=True)
    }
    return Run(browser.name, version, observed, mine, browser_seconds, corsprobe_seconds)


def probe_for(case: Case, url: str, origin: str) -> Probe:
    return Probe(
        url=url, origin=origin, method=case.request.method, headers=case.request.headers,
        credentials=Credentials(case.request.credentials), body=case.request.body,
        send_unsafe=True, name=case.id,
    )


async def _run_corsprobe(browser: Browser, servers: Servers, cases: list[Case]) -> list[Result | str]:
    """Every case through the runner's run_jobs exactly as the CLI does, with the browser's
    profile; one job per call, so a runner crash costs only its own row."""
    jobs = [Job(probe_for(case, servers.url(case, browser.corsprobe_pass), servers.page_origin))
            for case in cases]
    gate = asyncio.Semaphore(8)

    async def one(client: httpx.AsyncClient, job: Job) -> Result | str:
        async with gate:
            try:
                return (await run_jobs(client, [job], RunPolicy(browser.profile, concurrency=1)))[0]
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
