"""Test helper: drive ``engine.simulate`` with a scripted list of responses and builders for
the responses a CORS server gives.

Pure; no I/O. ``drive`` fails when the engine asks for more requests than were scripted or
stops before using them all, so every test pins exactly what was sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.browser import engine
from corsprobe.browser.profiles import CHROMIUM, BrowserProfile
from corsprobe.model import HttpRequest, HttpResponse, Outcome, Probe

PAGE = "https://app.example.com"
API = "https://api.example.com/r"
OTHER = "https://other.example.net/r"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
CRED = (ACAC, "true")


def drive(probe: Probe, responses: Sequence[HttpResponse],
          profile: BrowserProfile = CHROMIUM) -> tuple[list[HttpRequest], Outcome]:
    """Feed ``responses`` one per yielded request; return (requests sent, outcome)."""
    simulation = engine.simulate(probe, profile)
    sent: list[HttpRequest] = []
    script = list(responses)
    try:
        request = next(simulation)
        while True:
            sent.append(request)
            assert len(sent) <= len(script), f"unscripted request #{len(sent)}: {request}"
            request = simulation.send(script[len(sent) - 1])
    except StopIteration as stop:
        outcome = stop.value
    assert len(sent) == len(script), f"{len(script) - len(sent)} scripted responses unused: {sent}"
    assert isinstance(outcome, Outcome)
    return sent, outcome


def ok(origin: str = PAGE, *extra: tuple[str, str], status: int = 200) -> HttpResponse:
    """An actual response allowing ``origin``."""
    return HttpResponse(status, ((ACAO, origin), *extra))


def bare(status: int = 200, *extra: tuple[str, str]) -> HttpResponse:
    """A response without any CORS header."""
    return HttpResponse(status, extra)


def pf(methods: str = "PUT", headers: str = "", origin: str = PAGE, *extra: tuple[str, str],
       status: int = 204) -> HttpResponse:
    """A preflight response allowing ``methods`` and ``headers`` for ``origin``."""
    lines = [(ACAO, origin), ("Access-Control-Allow-Methods", methods)]
    if headers:
        lines.append(("Access-Control-Allow-Headers", headers))
    return HttpResponse(status, (*lines, *extra))


def moved(location: str, status: int = 302, origin: str | None = PAGE,
          *extra: tuple[str, str]) -> HttpResponse:
    """A redirect, carrying ACAO for ``origin`` unless it is None."""
    lines = [("Location", location)] + ([(ACAO, origin)] if origin is not None else [])
    return HttpResponse(status, (*lines, *extra))


def header_names(request: HttpRequest) -> set[str]:
    return {name.lower() for name, _ in request.headers}


def probe(method: str = "GET", url: str = API, **fields: object) -> Probe:
    return Probe(url=url, origin=str(fields.pop("origin", PAGE)), method=method, **fields)  # type: ignore[arg-type]
