"""corsprobe's runner and engine against Starlette's CORSMiddleware served by uvicorn.

Each row runs one probe (one server per configuration, its log cleared per row) and checks the
verdict, the reason, the preflight exactly as the server received it, whether the actual request
reached a route, and which response headers a page could read. Real sockets on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Probe, Result, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import RunPolicy, run_probe
from tests.support.apps import PAGE, Log, Seen, starlette_app
from tests.support.servers import Running, run_asgi

pytestmark = pytest.mark.anyio

EVIL = "http://evil.example"
APP_ORG = "https://app.example.org"
# What every preflight carries, besides ACRH when there are unsafe headers.
PREFLIGHT_NAMES = frozenset({
    "host", "connection", "accept", "accept-encoding", "access-control-request-method", "origin",
    "sec-fetch-mode", "sec-fetch-site", "sec-fetch-dest", "user-agent",
})
TOKEN = (("X-Token", "abc"),)


@dataclass(frozen=True)
class Row:
    config: str | None
    verdict: Verdict
    reason: Reason | None
    reached: bool
    path: str = "/api/items"
    origin: str = PAGE
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    include: bool = False
    acrm: str | None = None  # None: no preflight expected
    acrh: str | None = None
    readable: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    statuses: tuple[int, ...] = field(default=())


ROWS = {
    # Exact allow-list with credentials.
    "exact-put-token-credentials": Row(
        "exact", Verdict.ALLOWED, None, True, method="PUT", headers=TOKEN, include=True,
        acrm="PUT", acrh="x-token", readable=("content-type", "content-length"),
        unreadable=("x-request-id", "x-trace"), statuses=(200, 200)),
    "exact-get-simple": Row("exact", Verdict.ALLOWED, None, True, include=True, statuses=(200,)),
    "exact-delete-not-listed": Row(
        "exact", Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_STATUS, False, method="DELETE",
        include=True, acrm="DELETE", statuses=(400,)),
    "exact-disallowed-origin-preflight": Row(
        "exact", Verdict.BLOCKED, Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, False, origin=EVIL,
        method="PUT", headers=TOKEN, include=True, acrm="PUT", acrh="x-token", statuses=(400,)),
    "exact-disallowed-origin-simple-get-still-sent": Row(
        "exact", Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER, True, origin=EVIL,
        statuses=(200,)),
    "exact-500-with-acao-is-readable": Row(
        "exact", Verdict.ALLOWED, None, True, path="/api/error", include=True, statuses=(500,)),
    "exact-unhandled-500-has-no-acao": Row(
        "exact", Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER, True, path="/api/crash",
        include=True, statuses=(500,)),
    "exact-redirect-same-origin-followed": Row(
        "exact", Verdict.ALLOWED, None, True, path="/api/redirect", include=True, statuses=(302, 200)),
    # Too strict: only GET, no extra headers. Starlette answers a failed preflight with 400
    # but keeps ACAO, so Chromium reports the status (the CORS check itself passes).
    "strict-put-method-disallowed": Row(
        "strict", Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_STATUS, False, method="PUT",
        acrm="PUT", statuses=(400,)),
    "strict-get-header-disallowed": Row(
        "strict", Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_STATUS, False, headers=TOKEN,
        acrm="GET", acrh="x-token", statuses=(400,)),
    "strict-put-token-credentials-acac-first": Row(
        "strict", Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_ALLOW_CREDENTIALS, False, method="PUT",
        headers=TOKEN, include=True, acrm="PUT", acrh="x-token", statuses=(400,)),
    "strict-get-simple": Row("strict", Verdict.ALLOWED, None, True, statuses=(200,)),
    # Wildcard without credentials.
    "wildcard-get": Row(
        "wildcard", Verdict.ALLOWED, None, True, readable=("content-type",),
        unreadable=("x-request-id",), statuses=(200,)),
    "wildcard-put-token": Row(
        "wildcard", Verdict.ALLOWED, None, True, method="PUT", headers=TOKEN, acrm="PUT",
        acrh="x-token", statuses=(200, 200)),
    "wildcard-get-credentials": Row(
        "wildcard", Verdict.BLOCKED, Reason.WILDCARD_ORIGIN_NOT_ALLOWED, True, include=True,
        statuses=(200,)),
    "wildcard-put-credentials": Row(
        "wildcard", Verdict.BLOCKED, Reason.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, False,
        method="PUT", include=True, acrm="PUT", statuses=(200,)),
    # Wildcard with credentials: Starlette reflects the origin instead of "*".
    "wildcard-credentials-put-authorization": Row(
        "wildcard_credentials", Verdict.ALLOWED, None, True, method="PUT",
        headers=(("Authorization", "Bearer s3cret"), *TOKEN), include=True, acrm="PUT",
        acrh="authorization,x-token", statuses=(200, 200)),
    "wildcard-credentials-get": Row(
        "wildcard_credentials", Verdict.ALLOWED, None, True, include=True, statuses=(200,)),
    # allow_origin_regex.
    "regex-matching-origin": Row("regex", Verdict.ALLOWED, None, True, origin=APP_ORG, statuses=(200,)),
    "regex-delete-matching-origin": Row(
        "regex", Verdict.ALLOWED, None, True, origin=APP_ORG, method="DELETE", acrm="DELETE",
        statuses=(200, 200)),
    "regex-suffix-attack-origin": Row(
        "regex", Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER, True,
        origin="https://app.example.org.evil.example", statuses=(200,)),
    "regex-http-scheme-not-matched": Row(
        "regex", Verdict.BLOCKED, Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, False,
        origin="http://app.example.org", method="DELETE", acrm="DELETE", statuses=(400,)),
    # expose_headers.
    "expose-request-id": Row(
        "expose", Verdict.ALLOWED, None, True, readable=("x-request-id", "content-type"),
        unreadable=("x-trace",), statuses=(200,)),
    # No CORS middleware at all.
    "no-cors-get": Row(None, Verdict.BLOCKED, Reason.MISSING_ALLOW_ORIGIN_HEADER, True, statuses=(200,)),
    "no-cors-put": Row(
        None, Verdict.BLOCKED, Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, False, method="PUT",
        acrm="PUT", statuses=(405,)),
}


Pool = Callable[[str | None], tuple[Running, Log]]


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    """One uvicorn server per configuration, started on first use; its log is cleared per use."""
    started: dict[str | None, tuple[Running, Log]] = {}
    with ExitStack() as stack:
        def get(config: str | None) -> tuple[Running, Log]:
            if config not in started:
                log = Log()
                started[config] = (stack.enter_context(run_asgi(starlette_app(config, log))), log)
            server, log = started[config]
            log.seen.clear()
            log.reached.clear()
            return server, log
        yield get


async def run_row(client: httpx.AsyncClient, pool: Pool, row: Row) -> tuple[Result, Log]:
    server, log = pool(row.config)
    probe = Probe(
        server.url(row.path), row.origin, row.method, row.headers,
        Credentials.INCLUDE if row.include else Credentials.OMIT,
        send_unsafe=True, cookie="sid=1" if row.include else None,
    )
    return await run_probe(client, probe, RunPolicy(CHROMIUM)), log


def check_preflight(seen: Seen, row: Row) -> None:
    assert seen.path == row.path
    assert seen.header("origin") == row.origin
    assert seen.header("access-control-request-method") == row.acrm
    assert seen.header("access-control-request-headers") == row.acrh
    assert seen.header("accept") == "*/*"
    assert seen.header("sec-fetch-mode") == "cors"
    # Exactly these names: no Cookie, no Authorization, no author headers, no Content-Type.
    expected = PREFLIGHT_NAMES | ({"access-control-request-headers"} if row.acrh else set())
    assert seen.names() == expected


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
async def test_starlette_row(client: httpx.AsyncClient, pool: Pool, row: Row) -> None:
    result, log = await run_row(client, pool, row)
    outcome = result.outcome

    assert outcome.verdict is row.verdict, outcome
    assert (outcome.failure.reason if outcome.failure else None) == row.reason, outcome.failure
    assert tuple(e.response.status for e in result.exchanges if e.response) == row.statuses
    assert outcome.preflight_needed is (row.acrm is not None)

    preflights = log.preflights()
    if row.acrm is None:
        assert preflights == []
    else:
        assert len(preflights) == 1
        check_preflight(preflights[0], row)

    actual = [s for s in log.seen if s.method != "OPTIONS"]
    assert bool(log.reached) is row.reached
    assert (len(actual) > 0) is row.reached
    for seen in actual:
        assert seen.header("origin") == row.origin
        assert seen.header("cookie") == ("sid=1" if row.include else None)
        for name, value in row.headers:
            assert seen.header(name) == value

    if row.verdict is Verdict.ALLOWED:
        assert outcome.actual_checked
    for name in row.readable:
        assert name in outcome.readable_headers
    for name in row.unreadable:
        assert name not in outcome.readable_headers


async def test_redirect_walk_keeps_origin_and_reaches_both_routes(client: httpx.AsyncClient,
                                                                  pool: Pool) -> None:
    result, log = await run_row(client, pool, ROWS["exact-redirect-same-origin-followed"])
    assert [(s.method, s.path) for s in log.seen] == [("GET", "/api/redirect"), ("GET", "/api/items")]
    assert [s.header("origin") for s in log.seen] == [PAGE, PAGE]
    assert log.reached == [("GET", "/api/redirect"), ("GET", "/api/items")]
    assert result.exchanges[-1].request.url.endswith("/api/items")


@pytest.mark.parametrize(("case", "acao"), [
    ("regex-matching-origin", (APP_ORG,)),
    # allow_origins=["*"] with allow_credentials=True: Starlette reflects the origin, never "*".
    ("wildcard-credentials-put-authorization", (PAGE, PAGE)),
    ("wildcard-put-token", ("*", "*")),
])
async def test_allow_origin_as_sent(client: httpx.AsyncClient, pool: Pool, case: str,
                                    acao: tuple[str, ...]) -> None:
    result, _ = await run_row(client, pool, ROWS[case])
    responses = [e.response for e in result.exchanges if e.response is not None]
    assert tuple(v for r in responses for v in r.values("access-control-allow-origin")) == acao
