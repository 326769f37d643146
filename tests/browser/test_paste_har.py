"""A HAR exported from headless Chromium through the DevTools protocol (cdp_har.py) replays into
probes whose live verdicts agree with what Chromium did: an allowed GET and a PUT whose preflight the
server refuses (its preflight entry folded into it); a credentialed GET answered with '*' differs, and
explain says the HAR does not carry the credentials mode."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.browser.cdp_har import capture_har
from tests.browser.chromium import find_chromium
from tests.support.rawserver import RawServer, Received, response


@pytest.fixture
def servers() -> Iterator[tuple[RawServer, RawServer, threading.Event]]:
    done = threading.Event()

    def api(request: Received) -> bytes:
        origin = request.header("origin") or ""
        if request.path == "/ok":
            return response(200, [("Access-Control-Allow-Origin", origin)], b"{}")
        if request.path == "/star":
            return response(200, [("Access-Control-Allow-Origin", "*")], b"{}")
        return response(204 if request.method == "OPTIONS" else 200,
                        [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Methods", "GET")])

    with RawServer(api) as backend:
        def page(request: Received) -> bytes:
            if request.path == "/done":
                done.set()
                return response(204)
            script = (f"const b = '{backend.origin}';"
                      "Promise.allSettled([fetch(b + '/ok'), fetch(b + '/put', {method: 'PUT'}),"
                      " fetch(b + '/star', {credentials: 'include'})]).then(() => fetch('/done'));")
            return response(200, [("Content-Type", "text/html")], f"<script>{script}</script>".encode())

        with RawServer(page, host="localhost") as front:
            yield front, backend, done


def test_chromium_har_replays_with_its_verdicts(servers: tuple[RawServer, RawServer, threading.Event],
                                                tmp_path: Path) -> None:
    binary = find_chromium()
    assert binary is not None
    front, backend, done = servers
    har = capture_har(binary, front.url("/index.html"), done)
    types = sorted((e["request"]["url"].rsplit("/", 1)[1], e["_resourceType"]) for e in har["log"]["entries"]
                   if e["request"]["url"].startswith(backend.origin))
    assert ("put", "preflight") in types, types
    path = tmp_path / "chromium.har"
    path.write_text(json.dumps(har))
    result = CliRunner().invoke(main, ["explain", "--har", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = {r["url"].rsplit("/", 1)[1]: r for r in document["results"]}
    assert set(rows) == {"ok", "put", "star"}
    assert rows["ok"]["verdict"] == "allowed"
    assert rows["put"]["reason"] == "method_disallowed_by_preflight_response"
    assert rows["ok"]["explain"]["agreement"] == rows["put"]["explain"]["agreement"] == "agree"
    # Chromium blocked /star for credentials mode 'include' (its corsErrorStatus says so), which a HAR
    # cannot show without cookies: replayed with credentials omitted the live verdict differs, and
    # explain names the credentials mode as the field the HAR did not carry.
    star = next(e for e in har["log"]["entries"] if e["request"]["url"].endswith("/star"))
    assert star["_corsErrorStatus"]["corsError"] == "WildcardOriginNotAllowed"
    assert rows["star"]["explain"]["agreement"] == "differ"
    assert "credentials mode" in rows["star"]["explain"]["why"]
