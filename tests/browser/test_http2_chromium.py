"""HTTP/2 against headless Chromium: a page on https://app.test fetches APIs served over TLS by
hypercorn (an edge whose HTTP/2 and HTTP/1.1 paths answer CORS differently) and by a raw h2 server
(valid and upper-case header names); corsprobe's runner must reach the verdict Chromium reaches, and
both must have spoken HTTP/2. Does network and process I/O (loopback only).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Probe, Result
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_probe
from tests.browser import chromium
from tests.support.h2servers import Edge, RawH2Server, run_hypercorn

REPORT_TIMEOUT = 60.0
_CORS_BLOCKED = "has been blocked by CORS policy"


@dataclass(frozen=True)
class Certs:
    ca: str
    cert: str
    key: str
    spki: str  # base64 SHA-256 of the leaf's SubjectPublicKeyInfo (Chromium's trust flag)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    folder = tmp_path_factory.mktemp("h2-tls")
    ca = trustme.CA()
    leaf = ca.issue_cert("app.test", "api.test", "127.0.0.1")
    paths = [str(folder / name) for name in ("ca.pem", "cert.pem", "key.pem")]
    ca.cert_pem.write_to_path(paths[0])
    leaf.cert_chain_pems[0].write_to_path(paths[1])
    leaf.private_key_pem.write_to_path(paths[2])
    public = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_key()
    spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Certs(*paths, base64.b64encode(hashlib.sha256(spki).digest()).decode())


class Page:
    """The page (``/``) and its report (``POST /report``: case id -> 'allowed' or the error)."""

    def __init__(self) -> None:
        self.cases: dict[str, tuple[str, str]] = {}
        self.report: dict[str, str] = {}
        self.done = threading.Event()
        self.seen: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        for _ in range(1000):  # bounded read of the request body
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.seen.append(scope["http_version"])
        if scope["path"] == "/report":
            self.report = json.loads(body)
            self.done.set()
            page = b""
        else:
            page = _page_html(self.cases)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": page})


def _page_html(cases: dict[str, tuple[str, str]]) -> bytes:
    script = f"""
const cases = {json.dumps(cases)};
(async () => {{
  const out = {{}};
  for (const [id, [url, method]] of Object.entries(cases)) {{
    try {{ const r = await fetch(url, {{method}}); await r.text(); out[id] = "allowed"; }}
    catch (e) {{ out[id] = String(e); }}
  }}
  await fetch("/report", {{method: "POST", body: JSON.stringify(out)}});
}})();"""
    return f"<!doctype html><title>h2</title><script>{script}</script>".encode()


@dataclass
class Servers:
    page_origin: str
    page: Page
    urls: dict[str, tuple[str, str]]  # case id -> (browser URL on api.test, corsprobe URL on 127.0.0.1)
    edges: dict[str, Edge]


def _raw_context(certs: Certs) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert, certs.key)
    context.set_alpn_protocols(["h2"])
    return context


def _raw_cases(origin: bytes) -> dict[str, list[tuple[bytes, bytes]]]:
    """Header blocks (``:status`` first) the raw h2 server answers with, one server per case."""
    acao = (b"access-control-allow-origin", origin)
    return {
        "raw-lower": [(b":status", b"200"), acao],
        "raw-upper": [(b":status", b"200"), (b"Access-Control-Allow-Origin", origin)],
        "raw-nul-value": [(b":status", b"200"), acao, (b"x-a", b"a\x00b")],
        "raw-connection": [(b":status", b"200"), acao, (b"connection", b"keep-alive")],
        "raw-keep-alive": [(b":status", b"200"), acao, (b"keep-alive", b"timeout=5")],
        "raw-proxy-connection": [(b":status", b"200"), acao, (b"proxy-connection", b"keep-alive")],
        "raw-transfer-encoding": [(b":status", b"200"), acao, (b"transfer-encoding", b"chunked")],
        "raw-upgrade": [(b":status", b"200"), acao, (b"upgrade", b"h2c")],
        "raw-te": [(b":status", b"200"), acao, (b"te", b"trailers")],
        "raw-status-text": [(b":status", b"abc"), acao],
        "raw-two-locations": [(b":status", b"302"), acao, (b"location", b"/a"), (b"location", b"/b")],
        "raw-no-status": [acao],
        "raw-pseudo-after-regular": [acao, (b":status", b"200")],
        "raw-unknown-pseudo": [(b":status", b"200"), (b":x-extra", b"1"), acao],
        "raw-150-kib": [(b":status", b"200"), acao, (b"x-big", b"a" * 150_000)],
    }


@pytest.fixture(scope="module")
def servers(certs: Certs) -> Iterator[Servers]:
    page = Page()
    with ExitStack() as stack:
        page_server = stack.enter_context(run_hypercorn(page, certs.cert, certs.key))
        origin = f"https://app.test:{page_server.port}"
        edges = {"h2-cors": Edge(h2_cors=True), "h1-cors": Edge(h2_cors=False)}
        urls: dict[str, tuple[str, str]] = {}
        for name, edge in edges.items():
            running = stack.enter_context(run_hypercorn(edge, certs.cert, certs.key))
            urls[f"{name}-get"] = (f"https://api.test:{running.port}/get", running.url("/get"))
            urls[f"{name}-put"] = (f"https://api.test:{running.port}/put", running.url("/put"))
        for name, fields in _raw_cases(origin.encode()).items():
            raw = stack.enter_context(RawH2Server(_raw_context(certs), fields))
            port = raw.url.rsplit(":", 1)[1]
            urls[name] = (f"https://api.test:{port}/{name}", f"{raw.url}/{name}")
        page.cases = {case: (url, "PUT" if case.endswith("-put") else "GET") for case, (url, _) in urls.items()}
        yield Servers(origin, page, urls, edges)


def _chromium_verdicts(servers: Servers, certs: Certs, net_log: Path) -> dict[str, str]:
    binary = chromium.find_chromium()
    assert binary is not None
    flags = ("--host-resolver-rules=MAP *.test 127.0.0.1", f"--ignore-certificate-errors-spki-list={certs.spki}",
             f"--log-net-log={net_log}")
    log = chromium.run_page(binary, servers.page_origin + "/", servers.page.done, REPORT_TIMEOUT, flags)
    verdicts = {}
    for case, outcome in servers.page.report.items():
        url = servers.page.cases[case][0]
        blocked = any(_CORS_BLOCKED in line and url in line for line in log.splitlines())
        verdicts[case] = "allowed" if outcome == "allowed" else ("blocked" if blocked else "error")
    return verdicts


async def _corsprobe(servers: Servers, certs: Certs, http2: bool | None, prefix: str = "") -> dict[str, Result]:
    options = ClientOptions(timeout=10.0, cacert=certs.ca, http2=http2)
    results = {}
    async with make_client(options) as client:
        for case, (_, url) in servers.urls.items():
            if not case.startswith(prefix):
                continue
            method = servers.page.cases[case][1]
            probe = Probe(url, servers.page_origin, method, send_unsafe=True)
            results[case] = await run_probe(client, probe, RunPolicy(CHROMIUM), options)
    return results


def test_chromium_and_corsprobe_agree_over_http2(servers: Servers, certs: Certs, tmp_path: Path) -> None:
    net_log = tmp_path / "net-log.json"
    browser = _chromium_verdicts(servers, certs, net_log)
    assert set(browser) == set(servers.urls), servers.page.report

    # Chromium spoke HTTP/2 to the page and to both edges (preflights included).
    assert set(servers.page.seen) == {"2"}
    assert all(edge.seen and {v for _, v in edge.seen} == {"2"} for edge in servers.edges.values())
    assert browser == {"h2-cors-get": "allowed", "h2-cors-put": "allowed", "h1-cors-get": "blocked",
                       "h1-cors-put": "blocked", "raw-lower": "allowed", "raw-upper": "error",
                       "raw-nul-value": "error", "raw-connection": "allowed", "raw-keep-alive": "allowed",
                       "raw-proxy-connection": "allowed", "raw-transfer-encoding": "error", "raw-upgrade": "allowed",
                       "raw-te": "allowed", "raw-status-text": "error", "raw-two-locations": "error",
                       "raw-no-status": "error", "raw-pseudo-after-regular": "error",
                       "raw-unknown-pseudo": "allowed", "raw-150-kib": "allowed"}, servers.page.report
    # Each refusal is the Chromium function's that corsprobe.wire.h2_fields names.
    text = net_log.read_text("utf-8", "replace")
    for message in ("Upper case characters in header name.", "Invalid character 0x00 in header value.",  # AddHeader
                    "Pseudo header must not follow regular headers.",  # AddHeader
                    "Cannot parse :status.", "Response headers do not include :status.",  # OnHeadersReceived
                    "Received transfer-encoding header"):  # SaveResponseHeaders
        assert message in text, message
    for edge in servers.edges.values():
        edge.seen.clear()
    mine = asyncio.run(_corsprobe(servers, certs, None))
    verdicts = {case: r.outcome.verdict.value for case, r in mine.items()}
    # Every verdict Chromium's (a missing ':status', a pseudo-header after a regular field and a 150 KiB
    # header list are read with the pseudo-headers in place: corsprobe.wire.h2_connection).
    assert verdicts == browser
    refused = mine["raw-upper"].outcome.failure
    assert refused is not None and "upper-case characters in header name" in refused.detail
    assert all(e.response.http_version == "HTTP/2" for r in mine.values() for e in r.exchanges if e.response)
    assert all({v for _, v in edge.seen} == {"2"} for edge in servers.edges.values())
    # Over HTTP/1.1 (what a tool without HTTP/2 sees) the edges' verdicts flip: the protocol matters.
    forced = asyncio.run(_corsprobe(servers, certs, False, prefix="h"))
    assert len(forced) == 4
    assert all(result.outcome.verdict.value != browser[case] for case, result in forced.items())
