"""run_jobs against real servers: many rows at once, one of them unreachable.

The unreachable row becomes an ``error`` row without disturbing the others, results come
back in job order, at most ``concurrency`` rows are in flight, and everything finishes in
bounded time. Real sockets on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from starlette.types import Receive, Scope, Send

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, Job, RunPolicy, make_client, run_jobs
from tests.support.apps import PAGE, Log, starlette_app
from tests.support.servers import dead_port, run_asgi

pytestmark = pytest.mark.anyio

ROWS = 40
DEAD_ROW = 17
TIME_LIMIT = 20.0

# Four kinds of rows, cycled: (origin, method, headers, credentials, verdict, reason).
KINDS = [
    (PAGE, "GET", (), Credentials.INCLUDE, Verdict.ALLOWED, None),
    (PAGE, "PUT", (("X-Token", "t"),), Credentials.INCLUDE, Verdict.ALLOWED, None),
    ("http://evil.example", "GET", (), Credentials.OMIT, Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER),
    (PAGE, "DELETE", (), Credentials.INCLUDE, Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_STATUS),
]


async def test_forty_rows_one_dead_port_results_in_job_order() -> None:
    log = Log()
    with run_asgi(starlette_app("exact", log)) as server:
        jobs, expected = [], []
        for index in range(ROWS):
            origin, method, headers, credentials, verdict, reason = KINDS[index % len(KINDS)]
            url = server.url(f"/api/items?row={index}")
            if index == DEAD_ROW:
                url = f"http://127.0.0.1:{dead_port()}/api/items?row={index}"
                verdict, reason = Verdict.ERROR, Reason.NETWORK_ERROR
            probe = Probe(url, origin, method, headers, credentials, send_unsafe=True, name=f"row-{index}")
            jobs.append(Job(probe, source=f"rows.toml:{index + 1}"))
            expected.append((verdict, reason))
        started = time.monotonic()
        async with make_client(ClientOptions(timeout=5.0)) as client:
            results = await asyncio.wait_for(run_jobs(client, jobs, RunPolicy(CHROMIUM, concurrency=8)), TIME_LIMIT)
        elapsed = time.monotonic() - started

    assert elapsed < TIME_LIMIT
    assert [r.probe for r in results] == [j.probe for j in jobs]
    assert [r.source for r in results] == [j.source for j in jobs]
    got = [(r.outcome.verdict, r.outcome.failure.reason if r.outcome.failure else None) for r in results]
    assert got == expected
    # Every reachable row hit the server; the dead row did not.
    assert {int(s.query.removeprefix("row=")) for s in log.seen} == set(range(ROWS)) - {DEAD_ROW}
    puts = [m for m, _ in log.reached if m == "PUT"]
    assert len(puts) == sum(1 for i, j in enumerate(jobs) if j.probe.method == "PUT" and i != DEAD_ROW)


async def test_concurrency_is_bounded_and_used() -> None:
    in_flight, peak, paths = [0], [0], []

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        # Raw ASGI: count requests in progress while each one takes 50 ms.
        if scope["type"] != "http":
            return
        paths.append(scope["path"])
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        headers = [(b"access-control-allow-origin", PAGE.encode()), (b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    with run_asgi(slow) as server:
        jobs = [Job(Probe(server.url(f"/r{i}"), PAGE)) for i in range(ROWS)]
        async with make_client(ClientOptions(timeout=5.0)) as client:
            results = await asyncio.wait_for(run_jobs(client, jobs, RunPolicy(CHROMIUM, concurrency=8)), TIME_LIMIT)

    assert [r.outcome.verdict for r in results] == [Verdict.ALLOWED] * ROWS
    assert [r.probe.url for r in results] == [j.probe.url for j in jobs]
    assert sorted(paths) == sorted(f"/r{i}" for i in range(ROWS))
    assert 2 <= peak[0] <= 8
