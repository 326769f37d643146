"""A HAR built with Chrome's own field names (front_end/models/har/Log.ts, ChromeDevTools/devtools-frontend
@038d808e: pages[].title = page URL, _resourceType fetch/xhr/preflight, _initiator.type 'preflight',
response._error = the net error, status 0 for a blocked request) replayed into probes with the browser's
verdicts; preflight entries are folded into their requests, same-origin and non-API entries skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from corsprobe.paste.dispatch import parse_har
from tests.cli.conftest import ORIGIN, _api
from tests.support.rawserver import RawServer

PAGE = f"{ORIGIN}/index.html"


def _entry(url: str, method: str, kind: str, status: int, headers: list[tuple[str, str]],
           error: str | None = None, cookies: list[dict[str, str]] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status, "statusText": "", "httpVersion": "http/1.1", "headers": [],
                                "cookies": [], "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "",
                                "headersSize": -1, "bodySize": -1, "_transferSize": 0}
    if error:
        response["_error"] = error
    return {
        "_initiator": {"type": "preflight" if kind == "preflight" else "script", "url": PAGE},
        "_priority": "High", "_resourceType": kind, "cache": {}, "connection": "443", "pageref": "page_1",
        "request": {"method": method, "url": url, "httpVersion": "http/1.1",
                    "headers": [{"name": n, "value": v} for n, v in headers], "queryString": [],
                    "cookies": cookies or [], "headersSize": -1, "bodySize": 0},
        "response": response, "serverIPAddress": "127.0.0.1", "startedDateTime": "2026-12-02T17:00:00.000Z",
        "time": 1.0, "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 1,
                                 "receive": 0},
    }


def make_har(api: RawServer) -> dict[str, Any]:
    origin = [("Origin", ORIGIN), ("Referer", PAGE), ("Sec-Fetch-Mode", "cors"), ("User-Agent", "Mozilla/5.0")]
    return {"log": {
        "version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [{"startedDateTime": "2026-12-02T17:00:00.000Z", "id": "page_1", "title": PAGE,
                   "pageTimings": {"onContentLoad": 1, "onLoad": 2}}],
        "entries": [
            _entry(PAGE, "GET", "document", 200, []),
            _entry(api.url("/ok/items"), "GET", "fetch", 200, [("Accept", "*/*"), *origin]),
            _entry(api.url("/strict/items"), "OPTIONS", "preflight", 204,
                   [("Access-Control-Request-Method", "DELETE"), *origin]),
            _entry(api.url("/strict/items"), "DELETE", "fetch", 0, [*origin], error="net::ERR_FAILED"),
            _entry(api.url("/star/items"), "GET", "xhr", 0, [*origin, ("Cookie", "sid=har-cookie-value")],
                   error="net::ERR_FAILED", cookies=[{"name": "sid", "value": "har-cookie-value"}]),
            _entry(api.url("/ok/logo.png"), "GET", "image", 200, []),
        ],
    }}


@pytest.fixture
def api() -> Iterator[RawServer]:
    with RawServer(_api) as server:
        yield server


def test_har_entries_become_probes(api: RawServer) -> None:
    items = parse_har(json.dumps(make_har(api)))
    assert [(i.kind.value, i.method, i.url, i.origin, i.failed) for i in items] == [
        ("har", "GET", api.url("/ok/items"), ORIGIN, False),
        ("har", "DELETE", api.url("/strict/items"), ORIGIN, True),
        ("har", "GET", api.url("/star/items"), ORIGIN, True),
    ]
    assert items[2].cookie == "sid=har-cookie-value" and items[2].credentials is not None


def test_har_replays_with_the_browsers_verdicts(api: RawServer, tmp_path: Path) -> None:
    path = tmp_path / "page.har"
    path.write_text(json.dumps(make_har(api)))
    result = CliRunner().invoke(main, ["explain", "--har", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [r["verdict"] for r in document["results"]] == ["allowed", "blocked", "blocked"]
    assert [r["explain"]["agreement"] for r in document["results"]] == ["agree"] * 3
    assert "har-cookie-value" not in result.stdout
    failed = CliRunner().invoke(main, ["explain", "--har", str(path), "--only-failed", "--format", "json"])
    assert [r["method"] for r in json.loads(failed.stdout)["results"]] == ["DELETE", "GET"]
