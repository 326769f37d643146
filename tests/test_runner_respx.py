"""corsprobe.runner against respx-mocked transports: which requests go out and in which order,
nothing unsafe without opt-in, no credentials on preflights, raw header lines, redirects left to
the engine, transport errors as rows, job order and the concurrency bound, no cookie jar.

respx_mock is strict: an unexpected request or a route never called fails the test. No sockets.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Job, Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_jobs, run_probe

pytestmark = pytest.mark.anyio

PAGE = "https://app.example.com"
API = "https://api.example.com/r"
API2 = "https://api.example.com/s"
OTHER = "https://other.example.net/r"
ACAO, ACAC = "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"
ACAM, ACAH = "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"
ALLOW = [(ACAO, PAGE)]


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(ClientOptions()) as made:
        yield made


def sent(mock: respx.MockRouter) -> list[httpx.Request]:
    return [call.request for call in mock.calls]


async def test_simple_get_is_one_request(client: httpx.AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(API).respond(200, headers=ALLOW)
    result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM))
    (request,) = sent(respx_mock)
    assert (request.method, str(request.url), request.headers["origin"]) == ("GET", API, PAGE)
    assert result.outcome.verdict is Verdict.ALLOWED
    assert [e.request.method for e in result.exchanges] == ["GET"]


async def test_preflight_then_actual(client: httpx.AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.options(API).respond(204, headers=[*ALLOW, (ACAM, "PUT"), (ACAH, "X-Token")])
    respx_mock.put(API).respond(200, headers=ALLOW)
    probe = Probe(API, PAGE, "put", headers=(("X-Token", "1"),), body="{}", send_unsafe=True)
    result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    pre, actual = sent(respx_mock)
    assert [(r.method, str(r.url)) for r in (pre, actual)] == [("OPTIONS", API), ("PUT", API)]
    assert pre.headers["access-control-request-method"] == "PUT"
    assert pre.headers["access-control-request-headers"] == "x-token"
    assert pre.content == b"" and "x-token" not in pre.headers
    assert actual.content == b"{}" and actual.headers["x-token"] == "1"
    assert actual.headers["content-type"] == "text/plain;charset=UTF-8"
    assert [e.request.method for e in result.exchanges] == ["OPTIONS", "PUT"]
    assert result.outcome.verdict is Verdict.ALLOWED and result.outcome.actual_checked


@pytest.mark.parametrize(("method", "headers"), [
    pytest.param("PUT", (), id="put"), pytest.param("DELETE", (), id="delete"),
    pytest.param("PATCH", (), id="patch"),
    pytest.param("POST", (("Content-Type", "application/json"),), id="post-json"),
])
async def test_unsafe_actual_never_sent_without_opt_in(
        client: httpx.AsyncClient, respx_mock: respx.MockRouter, method: str,
        headers: tuple[tuple[str, str], ...]) -> None:
    respx_mock.options(API).respond(204, headers=[*ALLOW, (ACAM, method), (ACAH, "content-type")])
    result = await run_probe(client, Probe(API, PAGE, method, headers=headers), RunPolicy(CHROMIUM))
    assert [r.method for r in sent(respx_mock)] == ["OPTIONS"]
    assert result.outcome.verdict is Verdict.ALLOWED and not result.outcome.actual_checked


async def test_simple_post_without_opt_in_sends_nothing(client: httpx.AsyncClient,
                                                        respx_mock: respx.MockRouter) -> None:
    result = await run_probe(client, Probe(API, PAGE, "POST", body="x"), RunPolicy(CHROMIUM))
    assert sent(respx_mock) == [] and result.exchanges == ()
    assert result.outcome.verdict is Verdict.UNCHECKED


async def test_no_credentials_on_preflight(client: httpx.AsyncClient, respx_mock: respx.MockRouter) -> None:
    cred = (ACAC, "true")
    respx_mock.options(API).respond(204, headers=[*ALLOW, cred, (ACAM, "PUT"), (ACAH, "Authorization")])
    respx_mock.put(API).respond(200, headers=[*ALLOW, cred])
    probe = Probe(API, PAGE, "PUT", headers=(("Authorization", "Bearer t"),),
                  credentials=Credentials.INCLUDE, cookie="sid=1", send_unsafe=True)
    result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    pre, actual = sent(respx_mock)
    assert "cookie" not in pre.headers and "authorization" not in pre.headers
    assert actual.headers["cookie"] == "sid=1" and actual.headers["authorization"] == "Bearer t"
    assert result.outcome.verdict is Verdict.ALLOWED


async def test_duplicate_header_lines_reach_the_engine(client: httpx.AsyncClient,
                                                       respx_mock: respx.MockRouter) -> None:
    respx_mock.get(API).respond(200, headers=[(ACAO, PAGE), (ACAO, PAGE)])
    result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM))
    assert result.outcome.failure is not None
    assert result.outcome.failure.reason is Reason.MULTIPLE_ALLOW_ORIGIN_VALUES
    response = result.exchanges[0].response
    assert response is not None and response.values(ACAO) == (PAGE, PAGE)


async def test_redirect_without_acao_is_not_followed(client: httpx.AsyncClient,
                                                     respx_mock: respx.MockRouter) -> None:
    respx_mock.get(API).respond(302, headers=[("Location", API2)])
    result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM))
    assert [str(r.url) for r in sent(respx_mock)] == [API]
    assert result.outcome.failure is not None
    assert result.outcome.failure.reason is Reason.MISSING_ALLOW_ORIGIN_HEADER


@pytest.mark.parametrize(("target", "origin"), [
    pytest.param(API2, PAGE, id="same-origin-hop"), pytest.param(OTHER, "null", id="cross-origin-hop"),
])
async def test_engine_walks_redirects(client: httpx.AsyncClient, respx_mock: respx.MockRouter,
                                      target: str, origin: str) -> None:
    respx_mock.get(API).respond(302, headers=[*ALLOW, ("Location", target)])
    respx_mock.get(target).respond(200, headers=[(ACAO, origin)])
    result = await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM))
    assert [(str(r.url), r.headers["origin"]) for r in sent(respx_mock)] == [(API, PAGE), (target, origin)]
    assert result.outcome.verdict is Verdict.ALLOWED


ERRORS = [
    ("refused", httpx.ConnectError("connection refused"), Reason.NETWORK_ERROR),
    ("timeout", httpx.ReadTimeout("read timed out"), Reason.TIMEOUT),
    ("protocol", httpx.RemoteProtocolError("illegal status line"), Reason.INVALID_RESPONSE),
    ("tls", httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
     Reason.TLS_ERROR),
]


async def test_transport_errors_become_rows(client: httpx.AsyncClient, respx_mock: respx.MockRouter) -> None:
    jobs = [Job(Probe("https://ok-first.example.com/r", PAGE))]
    respx_mock.get(jobs[0].probe.url).respond(200, headers=ALLOW)
    for name, error, _ in ERRORS:
        url = f"https://{name}.example.com/r"
        respx_mock.get(url).mock(side_effect=error)
        jobs.append(Job(Probe(url, PAGE)))
    jobs.append(Job(Probe(API, PAGE)))
    respx_mock.get(API).respond(200, headers=ALLOW)
    results = await run_jobs(client, jobs, RunPolicy(CHROMIUM, concurrency=2))
    assert [r.probe.url for r in results] == [j.probe.url for j in jobs]
    verdicts = [(r.outcome.verdict, r.outcome.failure.reason if r.outcome.failure else None)
                for r in results]
    expected = [(Verdict.ERROR, reason) for _, _, reason in ERRORS]
    assert verdicts == [(Verdict.ALLOWED, None), *expected, (Verdict.ALLOWED, None)]
    for row in results[1:-1]:
        (exchange,) = row.exchanges
        assert exchange.response is None and exchange.error


async def test_error_on_preflight_sends_no_actual(client: httpx.AsyncClient,
                                                  respx_mock: respx.MockRouter) -> None:
    respx_mock.options(API).mock(side_effect=httpx.ConnectError("refused"))
    result = await run_probe(client, Probe(API, PAGE, "PUT", send_unsafe=True), RunPolicy(CHROMIUM))
    assert [r.method for r in sent(respx_mock)] == ["OPTIONS"]
    assert result.outcome.verdict is Verdict.ERROR
    assert result.outcome.failure is not None and result.outcome.failure.reason is Reason.NETWORK_ERROR


async def test_order_kept_and_concurrency_bounded(client: httpx.AsyncClient,
                                                  respx_mock: respx.MockRouter) -> None:
    count, bound = 12, 3
    in_flight = {"now": 0, "max": 0}

    async def answer(request: httpx.Request) -> httpx.Response:
        in_flight["now"] += 1
        in_flight["max"] = max(in_flight["max"], in_flight["now"])
        index = int(request.url.path.rsplit("/", 1)[1])
        await asyncio.sleep(0.002 * (count - index))  # earlier jobs finish later
        in_flight["now"] -= 1
        return httpx.Response(200, headers=[*ALLOW, ("X-Index", str(index))])

    respx_mock.get(host="api.example.com").mock(side_effect=answer)
    jobs = [Job(Probe(f"https://api.example.com/{i}", PAGE)) for i in range(count)]
    results = await asyncio.wait_for(run_jobs(client, jobs, RunPolicy(CHROMIUM, concurrency=bound)), timeout=10)
    assert [r.probe.url for r in results] == [j.probe.url for j in jobs]
    indexes = [r.exchanges[0].response.values("X-Index") for r in results]  # type: ignore[union-attr]
    assert indexes == [(str(i),) for i in range(count)]
    assert in_flight["max"] == bound and in_flight["now"] == 0
    assert len(respx_mock.calls) == count


async def test_server_cookie_is_not_stored(client: httpx.AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(API).respond(200, headers=[*ALLOW, ("Set-Cookie", "sid=abc; Path=/")])
    preflight = respx_mock.options(API2).respond(
        204, headers=[*ALLOW, (ACAC, "true"), (ACAM, "PUT"), ("Set-Cookie", "pf=1; Path=/")])
    actual = respx_mock.put(API2).respond(200, headers=[*ALLOW, (ACAC, "true")])
    await run_probe(client, Probe(API, PAGE), RunPolicy(CHROMIUM))
    result = await run_probe(client, Probe(API2, PAGE, "PUT", credentials=Credentials.INCLUDE,
                                           send_unsafe=True), RunPolicy(CHROMIUM))
    assert "cookie" not in preflight.calls.last.request.headers
    assert "cookie" not in actual.calls.last.request.headers
    assert len(client.cookies.jar) == 0
    assert result.outcome.verdict is Verdict.ALLOWED
