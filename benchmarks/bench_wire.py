"""corsprobe's runner against plain-httpx loops doing the same exchanges (preflight + actual per row),
side by side in one run: a fast asyncio server, and one that answers every request after 50 ms.

Prints rows/s and the ratio to the best plain loop (fast server) and to the ideal
ceil(rows/concurrency) x 2 x RTT (latency server). Figures, not a timed test. Loopback only.
Usage: python benchmarks/bench_wire.py [--quick]
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import resource
import sys
import time

import httpx

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Job, Probe
from corsprobe.runner import ClientOptions, RunPolicy, run_all

ORIGIN = "http://localhost:8080"
HEAD = (b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-token\r\n"
        b"Access-Control-Allow-Methods: GET\r\n")


async def serve(delay: float) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if delay:
                    await asyncio.sleep(delay)
                status = b"204 No Content" if head.startswith(b"OPTIONS") else b"200 OK"
                body = b"" if head.startswith(b"OPTIONS") else b"ok"
                writer.write(b"HTTP/1.1 " + status + b"\r\n" + HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)


async def plain(url: str, rows: int, concurrency: int, shared: bool) -> float:
    """The same two exchanges per row with bare httpx: one shared client, or one per worker."""
    started = time.perf_counter()
    count = iter(range(rows))
    clients = [httpx.AsyncClient(limits=httpx.Limits(max_connections=1 if not shared else concurrency))
               for _ in range(1 if shared else concurrency)]

    async def worker(client: httpx.AsyncClient) -> None:
        for _ in count:
            await client.options(url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
                                               "Access-Control-Request-Headers": "x-token"})
            await client.get(url, headers={"Origin": ORIGIN, "X-Token": "1"})

    await asyncio.gather(*(worker(clients[i % len(clients)]) for i in range(concurrency)))
    for client in clients:
        await client.aclose()
    return time.perf_counter() - started


async def mine(url: str, rows: int, concurrency: int) -> float:
    jobs = (Job(Probe(url, ORIGIN, headers=(("X-Token", "1"),))) for _ in range(rows))
    started = time.perf_counter()
    results = await run_all(jobs, ClientOptions(timeout=30), RunPolicy(CHROMIUM, concurrency=concurrency))
    assert len(results) == rows and all(r.outcome.verdict.value == "allowed" for r in results), results[:1]
    return time.perf_counter() - started


def _servers(ports: multiprocessing.Queue[int]) -> None:
    """The two servers, in their own process (so they do not share the client's CPU time slice)."""
    async def run() -> None:
        for delay in (0.0, 0.05):
            server = await serve(delay)
            ports.put(server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(run())


async def main(quick: bool, fast_url: str, slow_url: str) -> None:
    rows = 500 if quick else 2000
    print(f"fast server, {rows} preflighted rows (2 requests per row)")
    print(f"{'conc':>5} {'corsprobe s':>12} {'shared s':>9} {'N clients s':>12} {'ratio vs best':>14}")
    for level in (1, 8, 32):
        a = await mine(fast_url, rows, level)
        b = await plain(fast_url, rows, level, shared=True)
        c = await plain(fast_url, rows, level, shared=False)
        print(f"{level:>5} {a:>12.2f} {b:>9.2f} {c:>12.2f} {a / min(b, c):>14.2f}")
    print("50 ms server (ideal = ceil(rows/concurrency) x 2 x 50 ms)")
    print(f"{'rows':>5} {'conc':>5} {'corsprobe s':>12} {'ideal s':>8} {'ratio':>6}")
    for count, level in ((500, 8), (2000, 32), (2000, 64), (2000, 128)):
        if quick:
            count //= 4
        a = await mine(slow_url, count, level)
        ideal = math.ceil(count / level) * 2 * 0.05
        print(f"{count:>5} {level:>5} {a:>12.2f} {ideal:>8.2f} {a / ideal:>6.2f}")
    if not quick:
        await mine(fast_url, 10_000, 32)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB" + ("" if quick else " (after a 10,000-row run)"))
    print("requests per row: 2 (preflight + actual)")


if __name__ == "__main__":
    queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_servers, args=(queue,), daemon=True)
    process.start()
    try:
        fast_port, slow_port = queue.get(timeout=10), queue.get(timeout=10)
        asyncio.run(main("--quick" in sys.argv, f"http://127.0.0.1:{fast_port}/r", f"http://127.0.0.1:{slow_port}/r"))
    finally:
        process.terminate()
        process.join(timeout=5)
