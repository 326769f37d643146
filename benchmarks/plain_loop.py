"""The best plain-httpx loop doing corsprobe's exchanges for a preflighted row (OPTIONS, then GET with
the same headers Chromium sends), run as its own process so its start-up counts as corsprobe's does.

Usage: python benchmarks/plain_loop.py URL ROWS CONCURRENCY shared|single
``shared``: one client (max_connections = CONCURRENCY) used by every worker; ``single``: one
single-connection client per worker, all sharing ONE SSL context (building one costs ~40 ms).
Loopback only; the loop is bounded by ROWS.
"""

from __future__ import annotations

import asyncio
import sys

import httpx

ORIGIN = "http://localhost:8080"
COMMON = [("Accept", "*/*"), ("Origin", ORIGIN), ("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Site", "cross-site"),
          ("Sec-Fetch-Dest", "empty"), ("User-Agent", "corsprobe (+https://github.com/corsprobe/corsprobe)")]
PREFLIGHT = [("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-token"), *COMMON]
ACTUAL = [("X-Token", "1"), *COMMON]


async def main(url: str, rows: int, concurrency: int, mode: str) -> None:
    context = httpx.create_ssl_context()
    shared = mode == "shared"
    clients = [httpx.AsyncClient(verify=context, limits=httpx.Limits(max_connections=concurrency if shared else 1))
               for _ in range(1 if shared else concurrency)]
    pending = iter(range(rows))
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        for _ in pending:
            pre = await client.options(url, headers=PREFLIGHT)
            if pre.headers.get("access-control-allow-origin") != "*":
                failures += 1
                continue
            actual = await client.get(url, headers=ACTUAL)
            failures += actual.status_code != 200

    await asyncio.gather(*(worker(clients[i % len(clients)]) for i in range(concurrency)))
    for client in clients:
        await client.aclose()
    if failures:
        sys.exit(f"{failures} rows failed")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
