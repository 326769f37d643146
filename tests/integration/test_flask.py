"""corsprobe's runner and engine against flask-cors served by werkzeug.

flask-cors answers every preflight with 200 and simply leaves out what it does not allow,
so the method and header checks of the preflight are exercised by a real framework here.
Real sockets on 127.0.0.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import RunPolicy, run_probe
from tests.support.apps import PAGE, Log, flask_app
from tests.support.servers import run_wsgi

pytestmark = pytest.mark.anyio

TOKEN = (("X-Token", "abc"),)


@dataclass(frozen=True)
class Row:
    config: str
    verdict: Verdict
    reason: Reason | None
    reached: bool
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    include: bool = False
    origin: str = PAGE
    acrm: str | None = None
    acrh: str | None = None
    readable: tuple[str, ...] = ()


ROWS = {
    "default-get-reflects-origin": Row("default", Verdict.ALLOWED, None, True),
    "default-put-token": Row(
        "default", Verdict.ALLOWED, None, True, method="PUT", headers=TOKEN, acrm="PUT", acrh="x-token"),
    "default-get-credentials-no-acac": Row(
        "default", Verdict.BLOCKED, Reason.INVALID_ALLOW_CREDENTIALS, True, include=True),
    "default-put-credentials-no-acac": Row(
        "default", Verdict.BLOCKED, Reason.PREFLIGHT_INVALID_ALLOW_CREDENTIALS, False, method="PUT",
        include=True, acrm="PUT"),
    "exact-put-token-credentials": Row(
        "exact", Verdict.ALLOWED, None, True, method="PUT", headers=TOKEN, include=True, acrm="PUT",
        acrh="x-token", readable=("x-request-id",)),
    "exact-patch-upper-case": Row(
        "exact", Verdict.ALLOWED, None, True, method="PATCH", include=True, acrm="PATCH"),
    # flask-cors upper-cases ACRM before comparing and answers "PATCH"; Chromium compares
    # case-sensitively, so fetch(u, {method: "patch"}) is refused.
    "exact-patch-lower-case": Row(
        "exact", Verdict.BLOCKED, Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, False,
        method="patch", include=True, acrm="patch"),
    "exact-delete-not-listed": Row(
        "exact", Verdict.BLOCKED, Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, False,
        method="DELETE", include=True, acrm="DELETE"),
    "exact-header-not-listed": Row(
        "exact", Verdict.BLOCKED, Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, False, method="PUT",
        headers=(("X-Other", "1"),), include=True, acrm="PUT", acrh="x-other"),
    "exact-other-origin": Row(
        "exact", Verdict.BLOCKED, Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, False,
        origin="http://evil.example", method="PUT", headers=TOKEN, include=True, acrm="PUT",
        acrh="x-token"),
}


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
async def test_flask_row(client: httpx.AsyncClient, row: Row) -> None:
    log = Log()
    with run_wsgi(flask_app(row.config, log)) as server:
        probe = Probe(
            server.url("/api/items"), row.origin, row.method, row.headers,
            Credentials.INCLUDE if row.include else Credentials.OMIT,
            send_unsafe=True, cookie="sid=1" if row.include else None,
        )
        result = await run_probe(client, probe, RunPolicy(CHROMIUM))
    outcome = result.outcome

    assert outcome.verdict is row.verdict, outcome
    assert (outcome.failure.reason if outcome.failure else None) == row.reason, outcome.failure
    preflights = log.preflights()
    assert len(preflights) == (0 if row.acrm is None else 1)
    for seen in preflights:
        assert seen.header("origin") == row.origin
        assert seen.header("access-control-request-method") == row.acrm
        assert seen.header("access-control-request-headers") == row.acrh
        assert seen.header("cookie") is None
        assert seen.header("authorization") is None
        assert seen.header("x-token") is None
    # A failed preflight means the actual request never reaches the route.
    assert bool(log.reached) is row.reached
    assert ([r for r in log.reached if r[0] == row.method.upper()] != []) is row.reached
    for name in row.readable:
        assert name in outcome.readable_headers
