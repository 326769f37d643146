"""Throughput of the runner against the built-in demo API on 127.0.0.1.

Prints rows/second for a few concurrency levels. The demo server runs in its own thread and
event loop; every run is bounded in rows and time. Usage: python benchmarks/bench_runner.py
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from concurrent.futures import Future

from corsprobe import demo
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Job, Probe
from corsprobe.runner import ClientOptions, RunPolicy, run_all

TIME_LIMIT = 60.0


def start_server() -> tuple[str, asyncio.AbstractEventLoop, Future[None]]:
    loop = asyncio.new_event_loop()
    ready: Future[str] = Future()
    stop: Future[None] = Future()

    async def main() -> None:
        async with demo.serve() as base:
            ready.set_result(base)
            while not stop.done():
                await asyncio.sleep(0.05)

    threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True).start()
    return ready.result(timeout=10), loop, stop


def jobs(base: str, rows: int) -> list[Job]:
    kinds = [
        Probe(f"{base}/good/items", "https://app.example.com", credentials=Credentials.INCLUDE),
        Probe(f"{base}/good/items/1", "https://app.example.com", "PUT", (("X-Token", "1"),),
              credentials=Credentials.INCLUDE, send_unsafe=True),
    ]
    return [Job(kinds[i % len(kinds)]) for i in range(rows)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 8, 32])
    args = parser.parse_args()
    base, _loop, stop = start_server()
    deadline = time.monotonic() + TIME_LIMIT
    print(f"{'concurrency':>11}  {'rows':>5}  {'requests':>8}  {'seconds':>7}  {'rows/s':>7}")
    try:
        for level in args.concurrency:
            if time.monotonic() > deadline:
                print("time limit reached; stopping")
                break
            work = jobs(base, args.rows)
            started = time.perf_counter()
            results = asyncio.run(run_all(work, ClientOptions(), RunPolicy(CHROMIUM, concurrency=level)))
            elapsed = time.perf_counter() - started
            requests = sum(len(r.exchanges) for r in results)
            errors = sum(r.outcome.verdict.value == "error" for r in results)
            note = f"  ({errors} errors)" if errors else ""
            rate = len(results) / elapsed
            print(f"{level:>11}  {len(results):>5}  {requests:>8}  {elapsed:>7.2f}  {rate:>7.0f}{note}")
    finally:
        stop.set_result(None)


if __name__ == "__main__":
    main()
