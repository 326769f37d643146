"""The protocol that answered, in every format: a hand-built row whose preflight and actual came over
HTTP/2 (no reason phrase, lower-case fields), next to the same row over HTTP/1.1."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from corsprobe.model import Exchange, HttpRequest, HttpResponse, Outcome, Probe, Result, Stage, Verdict
from corsprobe.output.render import RenderOptions, renderer

APP, URL = "https://app.example.com", "https://api.example.com/items/1"


def _row(version: str) -> Result:
    reason = "" if version == "HTTP/2" else "No Content"
    cors = (("access-control-allow-origin", APP), ("access-control-allow-methods", "PUT"), ("vary", "origin"))
    preflight = Exchange(HttpRequest(Stage.PREFLIGHT, "OPTIONS", URL, (("Origin", APP),)),
                         HttpResponse(204, cors, reason, http_version=version))
    actual = Exchange(HttpRequest(Stage.ACTUAL, "PUT", URL, (("Origin", APP),)),
                      HttpResponse(200, cors[:1], "" if version == "HTTP/2" else "OK", http_version=version))
    outcome = Outcome(Verdict.ALLOWED, preflight_needed=True, actual_checked=True)
    return Result(Probe(URL, APP, "PUT", send_unsafe=True, name="put"), outcome, (preflight, actual))


def _render(fmt: str, result: Result, **options: object) -> str:
    return renderer(fmt)([result], RenderOptions(**options))  # type: ignore[arg-type]


def test_json_has_http_version_per_exchange() -> None:
    row = json.loads(_render("json", _row("HTTP/2")))["results"][0]
    assert row["preflight"]["http_version"] == row["actual"]["http_version"] == "HTTP/2"
    assert json.loads(_render("json", _row("HTTP/1.1")))["results"][0]["actual"]["http_version"] == "HTTP/1.1"


def test_redirect_hops_carry_their_protocol() -> None:
    result = _row("HTTP/2")
    hop = Exchange(HttpRequest(Stage.ACTUAL, "PUT", URL, ()),
                   HttpResponse(307, (("location", URL),), "Temporary Redirect", http_version="HTTP/1.1"))
    result = replace(result, exchanges=(result.exchanges[0], hop, result.exchanges[1]))
    actual = json.loads(_render("json", result))["results"][0]["actual"]
    assert [h["http_version"] for h in actual["redirects"]] == ["HTTP/1.1"]
    assert actual["http_version"] == "HTTP/2"
    assert "h2 200 (1 redirect)" in _render("table", result)


@pytest.mark.parametrize(("version", "preflight", "actual"), [("HTTP/2", "h2 204 ok", "h2 200"),
                                                               ("HTTP/1.1", "204 ok", "200")])
def test_table_and_markdown_mark_only_http2(version: str, preflight: str, actual: str) -> None:
    for fmt in ("table", "markdown"):
        text = _render(fmt, _row(version))
        assert preflight in text and actual in text, text
        assert ("h2 " in text) is (version == "HTTP/2")


def test_verbose_lines_show_the_status_line_and_protocol() -> None:
    h2 = _render("table", _row("HTTP/2"), verbose=True)
    assert "< 204   (HTTP/2)" in h2 and "< 200   (HTTP/2)" in h2
    assert "< 204 No Content   (HTTP/1.1)" in _render("table", _row("HTTP/1.1"), verbose=True)
    steps = _render("table", _row("HTTP/2"), layout="steps")
    assert "< 204   (HTTP/2)" in steps


def test_junit_and_html_show_the_protocol() -> None:
    assert "protocol: preflight HTTP/2, actual HTTP/2" in _render("junit", _row("HTTP/2"))
    html = _render("html", _row("HTTP/2"))
    assert "h2 204" in html and "&lt; 204   (HTTP/2)" in html
