"""--retries: transport failures are retried; requests that may have changed state are not."""

from __future__ import annotations

import httpx
import pytest
import respx

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Probe, Verdict
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe

API = "https://api.example.com/r"
PAGE = "https://app.example.com"
ALLOW = [("Access-Control-Allow-Origin", PAGE)]


@pytest.mark.anyio
@pytest.mark.parametrize(("retries", "verdict"), [(0, Verdict.ERROR), (1, Verdict.ALLOWED)])
async def test_connect_error_retried(retries: int, verdict: Verdict) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(API).mock(side_effect=[httpx.ConnectError("refused"), httpx.Response(200, headers=ALLOW)])
        async with make_client(ClientOptions()) as client:
            result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM, retries=retries))
    assert result.outcome.verdict is verdict
    assert route.call_count == retries + 1


@pytest.mark.anyio
async def test_read_timeout_of_unsafe_request_not_retried() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.options(API).respond(204, headers=[*ALLOW, ("Access-Control-Allow-Methods", "PUT")])
        put = mock.put(API).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, headers=ALLOW)])
        async with make_client(ClientOptions()) as client:
            result = await run_probe(client, Probe(API, PAGE, "PUT", send_unsafe=True), RunPolicy(CHROMIUM, retries=3))
    assert result.outcome.verdict is Verdict.ERROR
    assert put.call_count == 1


@pytest.mark.anyio
async def test_retry_never_turns_blocked_into_allowed() -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(API).mock(side_effect=[httpx.Response(200), httpx.Response(200, headers=ALLOW)])
        async with make_client(ClientOptions()) as client:
            result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM, retries=3))
    assert result.outcome.verdict is Verdict.BLOCKED
    assert route.call_count == 1
