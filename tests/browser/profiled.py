"""Drive the engine with a BrowserProfile through the runner's own transport, until
``corsprobe.runner.run_probe`` takes a ``profile`` (then it is used directly).

The loop is run_probe's: one request at a time, a transport failure becomes an error row.
Test-only; does network I/O through the given client.
"""

from __future__ import annotations

import inspect

import httpx

from corsprobe import runner
from corsprobe.engine import simulate
from corsprobe.model import Exchange, Probe, Result
from corsprobe.profiles import BrowserProfile


async def run_probe_as(client: httpx.AsyncClient, probe: Probe, profile: BrowserProfile) -> Result:
    if "profile" in inspect.signature(runner.run_probe).parameters:
        return await runner.run_probe(client, probe, profile=profile)  # type: ignore[call-arg]
    simulation = simulate(probe, profile)
    exchanges: list[Exchange] = []
    try:
        request = next(simulation)
        while True:
            try:
                response = await runner._send_with_retries(client, request, 0)
            except runner._TransportError as error:
                exchanges.append(Exchange(request, None, error.detail))
                return Result(probe, runner._error_outcome(error, probe), tuple(exchanges))
            exchanges.append(Exchange(request, response))
            request = simulation.send(response)
    except StopIteration as stop:
        return Result(probe, stop.value, tuple(exchanges))
