"""TLS: uvicorn serving the Starlette API with a certificate from a throw-away trustme CA.

Default verification must fail as a ``tls_error`` row (a browser fails the same way, before
any CORS check); ``--cacert`` and ``--insecure`` must let the probe through. Real sockets.
"""

from __future__ import annotations

from typing import Any

import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Credentials, Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.support.apps import PAGE, Log, starlette_app
from tests.support.rawserver import Received, response
from tests.support.servers import TlsRawServer, run_asgi

pytestmark = pytest.mark.anyio


def put_probe(url: str) -> Probe:
    return Probe(url, PAGE, "PUT", (("X-Token", "abc"),), Credentials.INCLUDE, send_unsafe=True)


def options_for(case: str, tls: Any) -> ClientOptions:
    if case == "cacert":
        return ClientOptions(timeout=5.0, cacert=tls.ca_pem)
    if case == "insecure":
        return ClientOptions(timeout=5.0, insecure=True)
    return ClientOptions(timeout=5.0)


@pytest.mark.parametrize(
    ("case", "verdict", "reason", "reached"),
    [
        pytest.param("default", Verdict.ERROR, Reason.TLS_ERROR, False, id="default-verification-fails"),
        pytest.param("cacert", Verdict.ALLOWED, None, True, id="cacert-trusts-test-ca"),
        pytest.param("insecure", Verdict.ALLOWED, None, True, id="insecure-skips-verification"),
    ],
)
async def test_uvicorn_tls(tls: Any, case: str, verdict: Verdict, reason: Reason | None,
                           reached: bool) -> None:
    log = Log()
    with run_asgi(starlette_app("exact", log), ssl_certfile=tls.cert_pem,
                  ssl_keyfile=tls.key_pem) as server:
        assert server.origin.startswith("https://127.0.0.1:")
        async with make_client(options_for(case, tls)) as client:
            result = await run_probe(client, put_probe(server.url("/api/items")), RunPolicy(CHROMIUM))
    outcome = result.outcome
    assert outcome.verdict is verdict, outcome
    assert (outcome.failure.reason if outcome.failure else None) == reason
    assert bool(log.reached) is reached
    if reason is Reason.TLS_ERROR:
        # The preflight never got past the handshake: no HTTP request reached the server.
        assert log.seen == []
        assert [e.request.method for e in result.exchanges] == ["OPTIONS"]
        assert result.exchanges[0].response is None
        assert result.exchanges[0].error
    else:
        assert [s.method for s in log.seen] == ["OPTIONS", "PUT"]
        assert [e.response.status for e in result.exchanges if e.response] == [200, 200]


async def test_tls_raw_server_handshake_is_refused_by_default(tls: Any) -> None:
    def handler(received: Received) -> bytes:
        return response(200, (("Access-Control-Allow-Origin", PAGE),))

    with TlsRawServer(handler, tls.server_context) as server:
        async with make_client(ClientOptions(timeout=5.0)) as client:
            refused = await run_probe(client, Probe(server.url("/r"), PAGE), RunPolicy(CHROMIUM))
        async with make_client(ClientOptions(timeout=5.0, cacert=tls.ca_pem)) as client:
            trusted = await run_probe(client, Probe(server.url("/r"), PAGE), RunPolicy(CHROMIUM))
    assert refused.outcome.failure is not None
    assert refused.outcome.failure.reason is Reason.TLS_ERROR
    assert trusted.outcome.verdict is Verdict.ALLOWED
    assert server.handshake_failures >= 1
    assert [r.path for r in server.log] == ["/r"]
