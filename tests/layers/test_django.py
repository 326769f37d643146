"""Django + django-cors-headers on a real server (wsgiref, its own process): the fingerprint, and each common
mistake's layer fix, appended to settings.py verbatim, turns the row ALLOWED on re-probe."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.layers import identify
from corsprobe.layers.base import Confidence, ProblemCode
from corsprobe.model import Probe
from corsprobe.runner import RunPolicy, run_probe
from tests.layers.mistakes import PAGE, Case, check, ids
from tests.support.processes import DJANGO_COMMON, DJANGO_CORS, DJANGO_GATE, run_django

pytestmark = pytest.mark.anyio
LISTED = f"CORS_ALLOWED_ORIGINS = [{PAGE!r}]\n"
GATE_FIRST = [DJANGO_GATE, DJANGO_CORS, DJANGO_COMMON]
CASES = [
    Case("unlisted origin", {"settings": "CORS_ALLOWED_ORIGINS = ['http://other.test']"},
         ProblemCode.ORIGIN_NOT_ALLOWED),
    Case("missing credentials", {"settings": LISTED}, ProblemCode.CREDENTIALS_NOT_ALLOWED, credentials=True),
    Case("method not allowed", {"settings": LISTED + "CORS_ALLOW_METHODS = ['GET', 'POST']"},
         ProblemCode.METHOD_NOT_ALLOWED, method="PATCH", observed="GET, POST"),
    Case("header not allowed", {"settings": LISTED}, ProblemCode.HEADER_NOT_ALLOWED, method="PUT",
         headers=(("X-Token", "1"),),
         observed="accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"),
    Case("header not exposed", {"settings": LISTED}, ProblemCode.HEADER_NOT_EXPOSED, readable=("X-Request-Id",)),
    Case("OPTIONS not reaching the middleware", {"settings": LISTED, "middleware": GATE_FIRST},
         ProblemCode.PREFLIGHT_SKIPS_LAYER, path="/private", method="PUT", status=401, detectable=False),
    Case("error without CORS headers", {"settings": LISTED, "middleware": GATE_FIRST},
         ProblemCode.ERROR_SKIPS_LAYER, path="/private", status=401, detectable=False),
    Case("any origin with credentials", {"settings": "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True"},
         ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS, credentials=True),
]


def apply(config: dict[str, Any], fix: str) -> dict[str, Any]:
    """Apply a config_fix as a developer would: add its lines at the end of settings.py."""
    return {**config, "settings": config["settings"] + "\n" + fix + "\n"}


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
async def test_mistake_is_fixed_in_the_layer(case: Case, client: httpx.AsyncClient) -> None:
    fix = await check(client, case, "django-cors-headers", run_django, apply)
    assert "CORS_ALLOW_ALL_ORIGINS = True" not in fix and "CORS_ORIGIN_ALLOW_ALL" not in fix


async def test_fingerprint_of_a_preflight_is_high(client: httpx.AsyncClient) -> None:
    with run_django({"settings": LISTED}) as server:
        probe = Probe(server.url("/items"), PAGE, "PUT", (("Authorization", "x"),))
        result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    found = identify(result.exchanges)
    assert (found.layer, found.confidence) == ("django-cors-headers", Confidence.HIGH)
    assert any("Vary: origin" in line for line in found.evidence)
