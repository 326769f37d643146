"""The common CORS mistakes, as one table per layer: a server configuration with the mistake, the row that
shows it, the problem the diagnosis reports, and how a test applies the layer's fix to that configuration.

``check`` runs one case end to end on real servers: the row fails (or, for any-origin-with-credentials, a
canary origin gets in), the layer is identified from the row's exchanges, the layer's config_fix for every
problem the diagnosis (corsprobe.browser.diagnosis) reports — plus the case's own when it needs comparison
probes — is applied to the server's configuration in order, and the same row, re-probed, is ALLOWED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx

from corsprobe.browser.diagnosis import diagnose
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.layers import identify, named_layer
from corsprobe.layers.base import Problem, ProblemCode
from corsprobe.model import Credentials, Expectation, Job, Probe, Result, Stage, Verdict
from corsprobe.runner import RunPolicy, run_probe
from tests.support.servers import Running

PAGE = "http://localhost:8080"
CANARY = "https://corsprobe-canary.invalid"

Start = Callable[[Any], AbstractContextManager[Running]]
Apply = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Case:
    """One mistake: ``config`` has it, the probe (``path``, ``method``, ...) shows it, ``problem`` names it."""

    name: str
    config: Any
    code: ProblemCode
    path: str = "/items"
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    credentials: bool = False
    readable: tuple[str, ...] = ()
    observed: str = ""
    status: int | None = None
    problem_headers: tuple[str, ...] = field(default=())
    detectable: bool = True  # False: nothing of the layer reaches the row; the user names it (--server-layer)
    rounds: int = 1  # runs of corsprobe (diagnose, apply every fix) until ALLOWED

    def probe(self, base: str, origin: str = PAGE) -> Probe:
        return Probe(url=base + self.path, origin=origin, method=self.method, headers=self.headers,
                     credentials=Credentials.INCLUDE if self.credentials else Credentials.OMIT,
                     send_unsafe=True)

    def problem(self) -> Problem:
        stage = Stage.ACTUAL if self.code in (ProblemCode.HEADER_NOT_EXPOSED, ProblemCode.ERROR_SKIPS_LAYER) \
            else None
        methods = (self.method,) if self.method not in ("GET", "HEAD", "POST") else ()
        headers = self.problem_headers or (self.readable if self.code is ProblemCode.HEADER_NOT_EXPOSED
                                           else tuple(n.lower() for n, _ in self.headers))
        return Problem(self.code, stage, f"(header-level change for {self.code.value})", origin=PAGE,
                       methods=methods, headers=headers, credentials=self.credentials, status=self.status,
                       observed=self.observed)


async def _probe(client: httpx.AsyncClient, case: Case, base: str, origin: str = PAGE) -> Result:
    return await run_probe(client, Job(case.probe(base, origin), Expectation(Verdict.ALLOWED, None, case.readable)),
                           RunPolicy(CHROMIUM))


async def check(client: httpx.AsyncClient, case: Case, layer_id: str, start: Start, apply: Apply) -> str:
    """Run ``case`` end to end; returns the fix text (for the caller's own assertions)."""
    any_origin = case.code is ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS
    with start(case.config) as server:
        before = await _probe(client, case, server.origin, CANARY if any_origin else PAGE)
    assert before.passed is any_origin, f"{case.name}: the mistake does not show: {before}"
    found = identify(before.exchanges)
    if case.detectable:
        assert found.layer == layer_id, f"{case.name}: identified {found}"
    else:
        assert found.layer != layer_id or found.confidence.value != "high", found
    layer = named_layer(layer_id)
    assert layer is not None
    # Every problem the diagnosis reports for the row, fixed in the layer in its order; the case's own problem
    # is added when the diagnosis lacks it (the skipped-layer and any-origin cases need comparison probes that
    # run_probe alone does not send).
    problems = [p for p in diagnose(before).problems if layer.config_fix(p)]
    if case.code not in {p.code for p in problems}:
        problems.append(case.problem())
    fixes = [layer.config_fix(p) or "" for p in problems]
    fix = fixes[[p.code for p in problems].index(case.code)]
    fixed = case.config
    for each in fixes:
        fixed = apply(fixed, each)
    for round_ in range(case.rounds):
        with start(fixed) as server:
            after = await _probe(client, case, server.origin)
            canary = await _probe(client, case, server.origin, CANARY) if any_origin else None
        if after.passed is True or round_ == case.rounds - 1:
            break
        for each in (layer.config_fix(p) for p in diagnose(after).problems):  # what the next run would say
            fixed = apply(fixed, each) if each else fixed
    assert after.passed is True, f"{case.name}: still not allowed after {fix!r}: {after.outcome}"
    if canary is not None:
        assert canary.outcome.verdict is Verdict.BLOCKED, f"{case.name}: the canary still gets in after {fix!r}"
    return fix


def ids(cases: Iterator[Case] | list[Case]) -> list[str]:
    return [case.name for case in cases]
