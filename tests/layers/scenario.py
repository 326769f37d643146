"""Running a scenario file against a started test server, for the layer tests (runner I/O on loopback)."""

from __future__ import annotations

from pathlib import Path

import httpx

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Result
from corsprobe.runner import RunPolicy, run_jobs
from corsprobe.scenarios.loading import load_paths

DATA = Path(__file__).resolve().parent / "data"


async def run_file(client: httpx.AsyncClient, path: Path, base_url: str) -> list[Result]:
    batch = load_paths([str(path)], base_url=base_url, env=None, variables={}, environ={})
    return await run_jobs(client, batch.jobs, RunPolicy(CHROMIUM, concurrency=4))


def unmet(results: list[Result]) -> list[str]:
    """Rows whose expectation is not met (or could not be judged), in words."""
    return [f"{r.probe.name} from {r.probe.origin}: {r.outcome.verdict.value} "
            f"{r.outcome.failure.reason.value if r.outcome.failure else ''}"
            for r in results if r.passed is not True]
