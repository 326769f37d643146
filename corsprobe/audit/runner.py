"""The I/O of an audit: drives each URL's plan with the shared httpx client (``corsprobe.runner``).

URLs run concurrently (``concurrency``); one URL's probes run one after another, because each answer
decides what is still worth sending. ``rate`` paces requests per host (requests per second, 0 = no limit)
through a request hook, so every request — preflights and redirect hops included — is paced.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from corsprobe.audit.model import Audit, Target
from corsprobe.audit.plan import DEFAULT_MAX_REQUESTS, audit
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Finding, Outcome, Result, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe


@dataclass(frozen=True, slots=True)
class AuditOptions:
    client: ClientOptions = field(default_factory=ClientOptions)
    policy: RunPolicy = field(default_factory=lambda: RunPolicy(CHROMIUM))
    rate: float = 0.0
    max_requests: int = DEFAULT_MAX_REQUESTS


class HostPacer:
    """At most ``rate`` requests per second to each host (an httpx request hook)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at: dict[str, float] = {}
        self.lock = asyncio.Lock()

    async def __call__(self, request: httpx.Request) -> None:
        if not self.interval:
            return
        host = f"{request.url.host}:{request.url.port}"
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_at.get(host, now))
            self.next_at[host] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


async def audit_target(client: httpx.AsyncClient, target: Target, options: AuditOptions) -> Audit:
    """Run one URL's plan to its end."""
    plan = audit(target, options.policy.profile, options.max_requests)
    try:
        probe = next(plan)
        while True:
            try:
                result = await run_probe(client, probe, options.policy, options.client)
            except Exception as error:  # one broken URL never aborts the others
                failure = Finding(Reason.PROBE_FAILED, f"{type(error).__name__}: {error}")
                result = Result(probe, Outcome(Verdict.ERROR, failure))
            probe = plan.send(result)
    except StopIteration as stop:
        done: Audit = stop.value
        return done


async def audit_targets(client: httpx.AsyncClient, targets: Sequence[Target], options: AuditOptions,
                        on_audit: Callable[[Audit], None] | None = None) -> list[Audit]:
    """Every target, at most ``concurrency`` URLs at once; audits keep the targets' order."""
    gate = asyncio.Semaphore(max(options.policy.concurrency, 1))

    async def one(target: Target) -> Audit:
        async with gate:
            done = await audit_target(client, target, options)
        if on_audit is not None:
            on_audit(done)
        return done

    return list(await asyncio.gather(*(one(target) for target in targets)))


async def audit_all(targets: Sequence[Target], options: AuditOptions | None = None,
                    on_audit: Callable[[Audit], None] | None = None) -> list[Audit]:
    """Make a client (no cookies kept, no redirects followed), pace it per host, audit, close."""
    options = options or AuditOptions()
    async with make_client(options.client) as client:
        pacer = HostPacer(options.rate)
        client.event_hooks = {**client.event_hooks, "request": [*client.event_hooks.get("request", []), pacer]}
        return await audit_targets(client, targets, options, on_audit)
