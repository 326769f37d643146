"""Every failure a server can cause, each produced by a real socket (RawServer) and judged
through corsprobe's runner: one row per case, the expected reason code in the row.

The last test checks that ROWS covers every failure reason a server can produce.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Probe, Result, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.support.rawserver import RawServer, Received, response
from tests.support.servers import TlsRawServer, dead_port

pytestmark = pytest.mark.anyio

ORIGIN = "http://localhost:8080"
ACAO, ACAC = "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"
ACAM, ACAH = "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"
TOKEN = (("X-Token", "abc"),)
Hdrs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Env:
    other: str  # origin of the second server
    release: threading.Event  # set when the test ends: a hanging handler returns


Handler = Callable[[Received, Env], bytes]


def act(acao: str | None = ORIGIN, acac: str | None = None, *extra: tuple[str, str]) -> Hdrs:
    pairs = ((ACAO, acao), (ACAC, acac))
    return tuple((k, v) for k, v in pairs if v is not None) + extra


def pf(acao: str | None = ORIGIN, acac: str | None = "true", acam: str | None = "PUT",
       acah: str | None = "X-Token", *extra: tuple[str, str]) -> Hdrs:
    pairs = ((ACAO, acao), (ACAC, acac), (ACAM, acam), (ACAH, acah))
    return tuple((k, v) for k, v in pairs if v is not None) + extra


def serve(actual: Hdrs = (), status: int = 200, preflight: Hdrs = (), pf_status: int = 204) -> Handler:
    def handle(req: Received, env: Env) -> bytes:
        if req.method == "OPTIONS":
            return response(pf_status, preflight)
        return response(status, actual, b"ok")
    return handle


ACT_OK = act()


def redirect(location: str, headers: Hdrs = ACT_OK, status: int = 302) -> Handler:
    """Redirect requests to /start to ``location`` ({other}, {host} filled in); allow the rest."""
    def handle(req: Received, env: Env) -> bytes:
        if req.method == "OPTIONS":
            return response(204, pf())
        if req.path != "/start":
            return response(200, act(acac="true"), b"final")
        target = location.format(other=env.other, host=req.header("host"))
        return response(status, (*headers, ("Location", target)))
    return handle


def loop(req: Received, env: Env) -> bytes:
    return response(302, (*act(), ("Location", "/loop")))


def loop_last_hop_bare(req: Received, env: Env) -> bytes:
    hop = int(req.path.removeprefix("/start").removeprefix("/hop") or 0)
    return response(302, (*(act() if hop < 20 else ()), ("Location", f"/hop{hop + 1}")))


def garbage(req: Received, env: Env) -> bytes:
    return b"\x00\x01 this is not HTTP\r\n\r\n"


def hang(req: Received, env: Env) -> bytes:
    env.release.wait(10)
    return b""


@dataclass(frozen=True)
class Row:
    reason: Reason | None
    handler: Handler
    verdict: Verdict = Verdict.BLOCKED
    method: str = "GET"
    headers: Hdrs = ()
    include: bool = False
    kind: str = "plain"  # plain | tls | dead
    timeout: float = 5.0
    reached: bool | None = None  # did a non-OPTIONS request reach the first server
    requests: int | None = None  # requests the first server saw
    other: tuple[str, ...] | None = None  # "METHOD Origin" lines the second server saw
    bug: str = ""  # engine disagreement with Chromium: the row is an expected failure


PUT = {"method": "PUT", "headers": TOKEN, "include": True, "reached": False}

ROWS: dict[str, Row] = {
    # CORS check of the actual response (no preflight: a simple GET).
    "acao-missing": Row(Reason.MISSING_ALLOW_ORIGIN_HEADER, serve(), reached=True),
    "acao-other-port": Row(Reason.ALLOW_ORIGIN_MISMATCH, serve(act("http://localhost:8081"))),
    "acao-null-for-real-origin": Row(Reason.ALLOW_ORIGIN_MISMATCH, serve(act("null"))),
    "acao-two-identical-lines": Row(Reason.MULTIPLE_ALLOW_ORIGIN_VALUES, serve(act(ORIGIN, None, (ACAO, ORIGIN)))),
    "acao-space-separated": Row(Reason.MULTIPLE_ALLOW_ORIGIN_VALUES, serve(act(f"{ORIGIN} http://b.example"))),
    "acao-pattern": Row(Reason.INVALID_ALLOW_ORIGIN_VALUE, serve(act("*.example.com"))),
    "acao-wildcard-credentials": Row(Reason.WILDCARD_ORIGIN_NOT_ALLOWED, serve(act("*", "true")), include=True),
    "acac-capitalised": Row(Reason.INVALID_ALLOW_CREDENTIALS, serve(act(ORIGIN, "True")), include=True),
    "acac-two-lines": Row(Reason.INVALID_ALLOW_CREDENTIALS, serve(act(ORIGIN, "true", (ACAC, "true"))),
                          include=True),
    "acac-missing": Row(Reason.INVALID_ALLOW_CREDENTIALS, serve(act()), include=True, reached=True),
    # CORS check of the preflight: the actual request is never sent.
    "pf-acao-missing": Row(Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, serve(act(), preflight=pf(None)), **PUT),
    "pf-acao-mismatch": Row(Reason.PREFLIGHT_ALLOW_ORIGIN_MISMATCH, serve(preflight=pf("http://127.0.0.1:8080")),
                            **PUT),
    "pf-acao-two-lines": Row(Reason.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
                             serve(preflight=pf(ORIGIN, "true", "PUT", "X-Token", (ACAO, ORIGIN))), **PUT),
    "pf-acao-comma-list": Row(Reason.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
                              serve(preflight=pf(f"{ORIGIN}, http://b.example")), **PUT),
    "pf-acao-invalid": Row(Reason.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE, serve(preflight=pf("localhost")), **PUT),
    "pf-acao-wildcard-credentials": Row(Reason.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, serve(preflight=pf("*")),
                                        **PUT),
    "pf-acac-missing": Row(Reason.PREFLIGHT_INVALID_ALLOW_CREDENTIALS, serve(preflight=pf(acac=None)), **PUT),
    # Preflight-only checks.
    "pf-status-403": Row(Reason.PREFLIGHT_INVALID_STATUS, serve(preflight=pf(), pf_status=403), **PUT),
    "pf-status-403-no-acao-reports-acao": Row(Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
                                              serve(preflight=pf(None), pf_status=403), **PUT),
    "pf-redirect-307": Row(Reason.PREFLIGHT_DISALLOWED_REDIRECT,
                           serve(preflight=(*pf(), ("Location", "/elsewhere")), pf_status=307),
                           requests=1, **PUT),
    "acam-space-separated": Row(Reason.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
                                serve(preflight=pf(acam="GET PUT")), **PUT),
    "acah-slash-in-name": Row(Reason.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
                              serve(preflight=pf(acah="X-Token, X/Other")), **PUT),
    "acam-lower-case-put": Row(Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, serve(preflight=pf(acam="put")),
                               **PUT),
    "acam-wildcard-credentials": Row(Reason.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
                                     serve(preflight=pf(acam="*")), **PUT),
    "acah-other-name": Row(Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, serve(preflight=pf(acah="X-Other")),
                           **PUT),
    "acah-wildcard-credentials": Row(Reason.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
                                     serve(preflight=pf(acah="*")), **PUT),
    # Redirects of the actual request.
    "redirect-userinfo": Row(Reason.REDIRECT_CONTAINS_CREDENTIALS, redirect("http://u:p@{host}/final"),
                             requests=1),
    "redirect-to-ftp": Row(Reason.CORS_DISABLED_SCHEME, redirect("ftp://127.0.0.1/file"), requests=1),
    "redirect-loop": Row(Reason.TOO_MANY_REDIRECTS, loop, requests=21),
    "redirect-loop-last-hop-without-acao": Row(Reason.TOO_MANY_REDIRECTS, loop_last_hop_bare, requests=21),
    "redirect-3xx-without-acao": Row(Reason.MISSING_ALLOW_ORIGIN_HEADER, redirect("/final", ()), requests=1),
    "redirect-invalid-port": Row(Reason.INVALID_REDIRECT, redirect("http://127.0.0.1:99999/x"), requests=1),
    "redirect-invalid-port-without-acao": Row(Reason.INVALID_REDIRECT, redirect("http://127.0.0.1:99999/x", ()),
                                              requests=1),
    "redirect-cross-origin-taints": Row(None, redirect("{other}/final"), Verdict.ALLOWED, other=("GET null",)),
    "redirect-cross-origin-acao-page-origin": Row(Reason.ALLOW_ORIGIN_MISMATCH, redirect("{other}/mirror"),
                                                  other=("GET null",)),
    "redirect-cross-origin-preflighted": Row(None, redirect("{other}/final", status=307), Verdict.ALLOWED,
                                             method="PUT", headers=TOKEN, other=("OPTIONS null", "PUT null")),
    # Header names are case-insensitive and surrounding whitespace is not part of a value.
    "odd-casing-actual": Row(None, serve((("aCCESS-control-ALLOW-origin", f"  {ORIGIN}\t"),
                                          ("access-control-allow-CREDENTIALS", "\ttrue  "))),
                             Verdict.ALLOWED, include=True),
    "odd-casing-preflight": Row(None, serve(act(ORIGIN, "true"), preflight=(
        ("access-control-ALLOW-ORIGIN", f" {ORIGIN} "), ("ACCESS-CONTROL-ALLOW-CREDENTIALS", "true"),
        ("Access-Control-Allow-Methods", " GET ,, PUT , "), ("access-control-allow-headers", "\tx-TOKEN\t"))),
        Verdict.ALLOWED, method="PUT", headers=TOKEN, include=True, reached=True),
    # Not browser verdicts: the probe could not be completed.
    "no-listener": Row(Reason.NETWORK_ERROR, serve(), Verdict.ERROR, kind="dead"),
    "never-answers": Row(Reason.TIMEOUT, hang, Verdict.ERROR, timeout=0.5, requests=1),
    "garbage-bytes": Row(Reason.INVALID_RESPONSE, garbage, Verdict.ERROR, requests=1),
    "tls-untrusted-ca": Row(Reason.TLS_ERROR, serve(act()), Verdict.ERROR, kind="tls", requests=0),
}

# Failure reasons a server cannot cause: decided before sending, or warnings.
NOT_FROM_SERVER = frozenset({
    Reason.FORBIDDEN_METHOD, Reason.INVALID_REQUEST, Reason.ACTUAL_NOT_SENT, Reason.PROBE_FAILED,
    Reason.AUTHORIZATION_COVERED_BY_WILDCARD, Reason.REFLECTED_ORIGIN_WITHOUT_VARY,
    Reason.CREDENTIALS_WITH_NULL_ORIGIN, Reason.COOKIE_NOT_SENT_CROSS_SITE,
    Reason.SIDE_EFFECT_SIMPLE_REQUEST, Reason.FORBIDDEN_HEADER_DROPPED,
    Reason.MIXED_CONTENT, Reason.LOCAL_NETWORK_ACCESS, Reason.ANY_ORIGIN_WITH_CREDENTIALS,
})


def other_server(req: Received) -> bytes:
    """The redirect target: allows the tainted origin "null", except on /mirror."""
    acao = ORIGIN if req.path == "/mirror" else "null"
    if req.method == "OPTIONS":
        return response(204, ((ACAO, acao), (ACAM, "PUT"), (ACAH, "X-Token")))
    return response(200, ((ACAO, acao),), b"other")


@contextmanager
def servers(row: Row, tls_context: Any) -> Iterator[tuple[RawServer, RawServer | None, str]]:
    release = threading.Event()
    with ExitStack() as stack:
        stack.callback(release.set)
        # The second server runs only for rows that redirect to it.
        other = stack.enter_context(RawServer(other_server)) if row.other is not None else None
        env = Env(other.origin if other else "http://127.0.0.1:9", release)
        if row.kind == "tls":
            main: RawServer = TlsRawServer(lambda r: row.handler(r, env), tls_context)
        else:
            main = RawServer(lambda r: row.handler(r, env))
        stack.enter_context(main)
        url = f"http://127.0.0.1:{dead_port()}/start" if row.kind == "dead" else main.url("/start")
        yield main, other, url


def param(case: str, row: Row) -> object:
    marks = [pytest.mark.xfail(reason=row.bug, strict=True)] if row.bug else []
    return pytest.param(row, id=case, marks=marks)


@pytest.mark.parametrize("row", [param(case, row) for case, row in ROWS.items()])
async def test_raw_row(row: Row, tls: Any) -> None:
    with servers(row, tls.server_context) as (main, other, url):
        probe = Probe(url, ORIGIN, row.method, row.headers,
                      Credentials.INCLUDE if row.include else Credentials.OMIT,
                      send_unsafe=True, cookie="sid=1" if row.include else None)
        async with make_client(ClientOptions(timeout=row.timeout)) as client:
            result = await run_probe(client, probe, RunPolicy(CHROMIUM))
        check(row, result, main, other)


def check(row: Row, result: Result, main: RawServer, other: RawServer | None) -> None:
    outcome = result.outcome
    assert (outcome.failure.reason if outcome.failure else None) == row.reason, outcome
    assert outcome.verdict is row.verdict
    if outcome.failure and row.verdict is Verdict.ERROR:
        assert result.exchanges[-1].error
    if row.reached is not None:
        assert any(r.method != "OPTIONS" for r in main.log) is row.reached
    if row.requests is not None:
        assert len(main.log) == row.requests
    if row.other is not None:
        assert other is not None
        assert [f"{r.method} {r.header('origin')}" for r in other.log] == list(row.other)
    preflights = [r for r in main.log if r.method == "OPTIONS"]
    for seen in preflights:
        assert seen.header("origin") == ORIGIN
        assert seen.header("cookie") is None
        assert seen.header("access-control-request-method") == row.method


def test_rows_cover_every_reason_a_server_can_cause() -> None:
    covered = {row.reason for row in ROWS.values() if row.reason is not None}
    assert covered == set(Reason) - NOT_FROM_SERVER
