"""HTTP/2 as browsers speak it, against real servers on loopback with TLS from the test CA:
hypercorn (ALPN h2 + http/1.1) for negotiation, evidence and an edge that answers the two
protocols differently; a raw h2 server for the header blocks Chromium refuses.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corsprobe.api import probe
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.cli import main
from corsprobe.model import Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from corsprobe.wire.protocols import Http2Unavailable, fallback_note
from tests.support.h2servers import Edge, HelloCatcher, RawH2Server, run_hypercorn
from tests.support.servers import Running, run_asgi

pytestmark = pytest.mark.anyio
pytest_plugins = ["pytester"]

PAGE = "https://app.example.com"


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _put(server: Running) -> list[str]:
    return ["check", server.url("/items/1"), "--origin", PAGE, "-X", "PUT", "--send-unsafe", "--timeout", "5"]


def test_h2_is_negotiated_and_shown_for_preflight_and_actual(tls: Any) -> None:
    edge = Edge()
    with run_hypercorn(edge, tls.cert_pem, tls.key_pem) as server:
        table = _run(*_put(server), "--cacert", tls.ca_pem, "--layout", "table")
        steps = _run(*_put(server), "--cacert", tls.ca_pem, "-v")
        raw = _run(*_put(server), "--cacert", tls.ca_pem, "--format", "json")
    assert edge.seen == [("OPTIONS", "2"), ("PUT", "2")] * 3
    assert table.exit_code == 0, table.output
    assert "h2 204 ok" in table.output and "h2 200" in table.output and "ALLOWED" in table.output
    assert steps.output.count("(HTTP/2)") == 2, steps.output
    assert "< 204   (HTTP/2)" in steps.output  # no reason phrase in HTTP/2
    row = json.loads(raw.output)["results"][0]
    assert row["preflight"]["http_version"] == row["actual"]["http_version"] == "HTTP/2"
    # The fields as received: lower-case names, order and the duplicate kept (hypercorn adds date/server).
    names = [n for n, _ in row["actual"]["response_headers"]]
    assert [n for n in names if n in ("content-type", "x-dup", "vary")] == ["content-type", "x-dup", "vary", "x-dup"]
    assert ["x-dup", "two"] in row["actual"]["response_headers"]
    assert all(n == n.lower() for n in names)


def test_http1_1_forces_http_1_1(tls: Any) -> None:
    edge = Edge()
    with run_hypercorn(edge, tls.cert_pem, tls.key_pem) as server:
        raw = _run(*_put(server), "--cacert", tls.ca_pem, "--format", "json", "--http1.1")
        table = _run(*_put(server), "--cacert", tls.ca_pem, "--layout", "table", "--http1.1")
    assert edge.seen[0] == ("OPTIONS", "1.1") and {version for _, version in edge.seen} == {"1.1"}
    row = json.loads(raw.output)["results"][0]
    assert row["preflight"]["http_version"] == "HTTP/1.1"
    assert row["actual"]["http_version"] is None  # not sent after the failed preflight
    assert [x["http_version"] for x in row["extra_probes"]] == ["HTTP/1.1"]
    assert "h2" not in table.output and "204 FAIL" in table.output  # this edge has no CORS over HTTP/1.1


async def test_edge_answering_differently_gives_different_verdicts(tls: Any) -> None:
    edge = Edge(h2_cors=False)
    probe = Probe("", PAGE, "PUT", send_unsafe=True)
    with run_hypercorn(edge, tls.cert_pem, tls.key_pem) as server:
        results = {}
        for http2 in (None, False):
            options = ClientOptions(timeout=5.0, cacert=tls.ca_pem, http2=http2)
            async with make_client(options) as client:
                target = Probe(server.url("/x"), probe.origin, probe.method, send_unsafe=True)
                results[http2] = await run_probe(client, target, RunPolicy(CHROMIUM), options)
    over_h2, over_h1 = results[None], results[False]
    assert over_h2.outcome.verdict is Verdict.BLOCKED  # what a browser (on h2) gets
    assert over_h2.outcome.failure is not None
    assert over_h2.outcome.failure.reason is Reason.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER
    assert over_h1.outcome.verdict is Verdict.ALLOWED  # what an HTTP/1.1-only tool would have said
    assert {e.response.http_version for e in over_h2.exchanges if e.response} == {"HTTP/2"}


def test_server_without_h2_stays_http_1_1(tls: Any) -> None:
    edge = Edge(h2_cors=False)
    with run_hypercorn(edge, tls.cert_pem, tls.key_pem, alpn=("http/1.1",)) as server:
        raw = _run(*_put(server), "--cacert", tls.ca_pem, "--format", "json")
    assert edge.seen == [("OPTIONS", "1.1"), ("PUT", "1.1")]
    assert json.loads(raw.output)["results"][0]["actual"]["http_version"] == "HTTP/1.1"


def _raw_context(tls: Any) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.cert_pem, tls.key_pem)
    context.set_alpn_protocols(["h2"])
    return context


CORS = [(b"access-control-allow-origin", PAGE.encode())]


@pytest.mark.parametrize(("fields", "verdict", "detail"), [
    pytest.param([(b":status", b"200"), *CORS], Verdict.ALLOWED, None, id="valid"),
    pytest.param([(b":status", b"200"), (b"Access-Control-Allow-Origin", PAGE.encode())], Verdict.ERROR,
                 "upper-case characters in header name 'Access-Control-Allow-Origin'", id="upper-case-name"),
    pytest.param([(b":status", b"200"), *CORS, (b"x-a", b"a\x00b")], Verdict.ERROR,
                 "invalid character 0x00 in the value of header 'x-a'", id="nul-in-value"),
    pytest.param([(b":status", b"200"), *CORS, (b"x a", b"1")], Verdict.ERROR,
                 "invalid character in header name 'x a'", id="space-in-name"),
    pytest.param([(b":status", b"abc"), *CORS], Verdict.ERROR, "':status' pseudo-header is not a number",
                 id="non-numeric-status"),
    pytest.param([(b":status", b"302"), *CORS, (b"location", b"/a"), (b"location", b"/b")], Verdict.ERROR,
                 "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION", id="two-locations"),
    pytest.param([(b":status", b"200"), *CORS, (b"connection", b"keep-alive")], Verdict.ALLOWED, None,
                 id="connection-header-accepted"),  # Chromium checks no connection-specific field but one:
    pytest.param([(b":status", b"200"), *CORS, (b"transfer-encoding", b"chunked")], Verdict.ERROR,
                 "a 'transfer-encoding' field", id="transfer-encoding"),
    # With the pseudo-headers in place (wire.h2_connection): SpdyStream::OnHeadersReceived, AddHeader.
    pytest.param([*CORS], Verdict.ERROR, "the response has no ':status' pseudo-header", id="no-status"),
    pytest.param([*CORS, (b":status", b"200")], Verdict.ERROR,
                 "the pseudo-header ':status' follows a regular header field", id="pseudo-after-regular"),
    pytest.param([(b":status", b"200 "), *CORS], Verdict.ERROR, "':status' pseudo-header is not a number",
                 id="status-trailing-space"),
    pytest.param([(b":status", b"200"), (b":x-extra", b"1"), *CORS], Verdict.ALLOWED, None, id="unknown-pseudo"),
    # h2's decoder stops at httpcore's 64 KiB; Chromium reads a header list up to 256 KiB.
    pytest.param([(b":status", b"200"), *CORS, (b"x-big", b"a" * 150_000)], Verdict.ALLOWED, None, id="150-kib"),
    pytest.param([(b":status", b"200"), *CORS, (b"x-big", b"a" * 300_000)], Verdict.ERROR,
                 "the header list is larger than 256 KiB", id="300-kib"),
])
async def test_header_blocks_chromium_refuses(tls: Any, fields: list[tuple[bytes, bytes]], verdict: Verdict,
                                              detail: str | None) -> None:
    options = ClientOptions(timeout=5.0, cacert=tls.ca_pem)
    with RawH2Server(_raw_context(tls), fields) as server:
        async with make_client(options) as client:
            result = await run_probe(client, Probe(server.url + "/x", PAGE), RunPolicy(CHROMIUM), options)
    assert result.outcome.verdict is verdict, result.outcome
    assert server.requests, "the request went out over HTTP/2"
    if detail is None:
        assert result.exchanges[0].response is not None
        assert result.exchanges[0].response.http_version == "HTTP/2"
        return
    failure = result.outcome.failure
    assert failure is not None and failure.reason is Reason.INVALID_RESPONSE
    assert detail in failure.detail


ROOT = Path(__file__).resolve().parents[2]
WITHOUT_H2 = "import sys; sys.modules['h2'] = None; from corsprobe.cli import main; main()"  # 'import h2' fails


def _without_h2(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run([sys.executable, "-c", WITHOUT_H2, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_without_h2_falls_back_to_http_1_1_and_says_so(tls: Any) -> None:
    edge = Edge(h2_cors=False)
    with run_hypercorn(edge, tls.cert_pem, tls.key_pem) as server:
        done = _without_h2(*_put(server), "--cacert", tls.ca_pem, "--format", "json")
        quiet = _without_h2(*_put(server), "--cacert", tls.ca_pem, "--format", "json", "--http1.1")
        required = _without_h2(*_put(server), "--cacert", tls.ca_pem, "--http2")
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)["results"][0]
    assert row["verdict"] == "allowed" and row["actual"]["http_version"] == "HTTP/1.1"
    assert done.stderr.count("HTTP/2 is not available") == 1 and "pip install 'corsprobe[http2]'" in done.stderr
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert required.returncode == 2 and required.stdout == ""
    assert required.stderr.startswith("corsprobe: error: HTTP/2 needs the h2 package")
    assert "pip install 'corsprobe[http2]'" in required.stderr and "Traceback" not in required.stderr
    assert len(required.stderr.strip().splitlines()) == 1
    assert {version for _, version in edge.seen} == {"1.1"}  # nothing was sent by the refused --http2 run
    assert len(edge.seen) == 4


def test_fallback_note_and_required_http2_without_h2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "h2", None)
    assert fallback_note(None, ["http://127.0.0.1:1/"]) is None
    assert fallback_note(False, ["https://127.0.0.1:1/"]) is None
    assert fallback_note(None, ["https://127.0.0.1:1/"]) is not None
    with pytest.raises(Http2Unavailable, match=r"pip install 'corsprobe\[http2\]'"):
        make_client(ClientOptions(http2=True))
    with pytest.raises(Http2Unavailable):
        probe("https://127.0.0.1:1/", origin=PAGE, http2=True)


def _offered_alpn(hello: bytes) -> list[str]:
    """The ALPN protocol names of a TLS ClientHello record (RFC 8446 4.1.2, RFC 7301 3.1)."""
    at = 5 + 4 + 2 + 32  # record header, handshake header, legacy_version, random
    at += 1 + hello[at]  # session id
    at += 2 + int.from_bytes(hello[at:at + 2], "big")  # cipher suites
    at += 1 + hello[at]  # compression methods
    end = at + 2 + int.from_bytes(hello[at:at + 2], "big")
    at += 2
    while at < end:
        kind, size = int.from_bytes(hello[at:at + 2], "big"), int.from_bytes(hello[at + 2:at + 4], "big")
        if kind == 16:
            names, cursor = [], at + 6
            while cursor < at + 4 + size:
                names.append(hello[cursor + 1:cursor + 1 + hello[cursor]].decode())
                cursor += 1 + hello[cursor]
            return names
        at += 4 + size
    return []


@pytest.mark.parametrize(("http2", "offered"), [(None, ["h2", "http/1.1"]), (False, ["http/1.1"])])
async def test_alpn_offers_h2_first_like_chromium(http2: bool | None, offered: list[str]) -> None:
    with HelloCatcher() as server:
        options = ClientOptions(timeout=2.0, http2=http2)
        async with make_client(options) as client:
            result = await run_probe(client, Probe(f"https://127.0.0.1:{server.port}/", PAGE), RunPolicy(CHROMIUM),
                                     options)
    assert result.outcome.verdict is Verdict.ERROR  # the server answered no TLS
    assert server.hellos and server.hellos[0][0] == 0x16
    assert _offered_alpn(server.hellos[0]) == offered


def test_diff_names_the_protocols_and_audit_shows_them(tls: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "edge.toml"
    scenario.write_text(f'[[probe]]\nname = "put"\npath = "/items/1"\norigin = "{PAGE}"\nmethod = "PUT"\n')
    edge = Edge(h2_cors=True)
    with (run_hypercorn(edge, tls.cert_pem, tls.key_pem) as h2_side,
          run_hypercorn(edge, tls.cert_pem, tls.key_pem, alpn=("http/1.1",)) as h1_side):
        diff = _run("diff", str(scenario), "--base-url", h2_side.origin, "--base-url", h1_side.origin,
                    "--cacert", tls.ca_pem, "--format", "json", "--timeout", "5")
        audit = _run("audit", h2_side.url("/items/1"), "--app-origin", PAGE, "--cacert", tls.ca_pem, "-v",
                     "--max-requests", "8", "--timeout", "5")
    assert diff.exit_code == 1, diff.output
    assert '"protocol"' in diff.output and "HTTP/2" in diff.output and "HTTP/1.1" in diff.output
    assert "-> 204 (HTTP/2)" in audit.output or "-> 200 (HTTP/2)" in audit.output, audit.output


@pytest.mark.parametrize(("args", "expected"), [((), "HTTP/2"), (("--corsprobe-http1.1",), "HTTP/1.1")])
def test_pytest_plugin_speaks_http2_unless_told(tls: Any, pytester: pytest.Pytester, args: tuple[str, ...],
                                                expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # this checkout's plugin, whichever corsprobe is installed
    with run_hypercorn(Edge(), tls.cert_pem, tls.key_pem) as server:
        pytester.makepyfile(test_inner=f"""
            def test_protocol(cors_probe):
                check = cors_probe({server.url("/x")!r}, origin={PAGE!r}, cacert={tls.ca_pem!r})
                assert [e.response.http_version for e in check.result.exchanges] == [{expected!r}]
        """)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=120)
    result.assert_outcomes(passed=1)


def test_plain_http_stays_http_1_1_even_with_http2() -> None:
    edge = Edge(h2_cors=False)
    with run_asgi(edge) as server:
        raw = _run("check", server.url("/x"), "--origin", PAGE, "--format", "json", "--http2", "--timeout", "5")
        both = _run("check", server.url("/x"), "--origin", PAGE, "--http2", "--http1.1")
    assert json.loads(raw.output)["results"][0]["actual"]["http_version"] == "HTTP/1.1"
    assert edge.seen == [("GET", "1.1")]  # no h2c: browsers speak HTTP/2 only over TLS
    assert both.exit_code == 2 and "--http1.1 and --http2 exclude each other" in both.output
