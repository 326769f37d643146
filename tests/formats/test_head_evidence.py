"""A head read as Chromium reads it is shown with its evidence: each rule applied and the lines as
received, in -v (table and steps), JSON and HTML; a secret in a received line is masked like the
header value it is; a strict head adds nothing."""

from __future__ import annotations

import json

import pytest

from corsprobe.model import Exchange, HttpRequest, HttpResponse, Outcome, Probe, Result, Stage, Verdict
from corsprobe.output.render import RenderOptions, renderer
from corsprobe.output.secrets import mask_all, masker_for

API = "https://api.example.com/items"
APP = "https://app.example.com"
NOTE = "header line 'X :  y' : whitespace before the colon trimmed (HttpUtil::HeadersIterator)"
RECEIVED = ("HTTP/1.1 200\n", "Access-Control-Allow-Origin : *\n", "Set-Cookie: session=s3cr3tvalue\n", "\n")


def result(lenient: bool = True) -> Result:
    response = HttpResponse(200, (("Access-Control-Allow-Origin", "*"), ("Set-Cookie", "session=s3cr3tvalue")),
                            read_as=(NOTE,) if lenient else (), received=RECEIVED if lenient else ())
    exchange = Exchange(HttpRequest(Stage.ACTUAL, "GET", API, (("Origin", APP),)), response)
    return Result(Probe(API, APP), Outcome(Verdict.ALLOWED, actual_checked=True), (exchange,))


def render(fmt: str, item: Result, layout: str = "table") -> str:
    masked = mask_all([item])
    return renderer(fmt)(masked, RenderOptions(verbose=True, masker=masker_for(masked), layout=layout))


@pytest.mark.parametrize(("fmt", "layout"), [("table", "table"), ("table", "steps"), ("html", "table")])
def test_verbose_shows_the_rules_and_the_lines_as_received(fmt: str, layout: str) -> None:
    out = render(fmt, result(), layout)
    assert "(read as Chromium reads it: header line" in out
    assert "(as received)" in out and "Access-Control-Allow-Origin : *" in out
    assert "s3cr3tvalue" not in out


def test_json_keeps_the_rules_and_the_lines_as_received() -> None:
    row = json.loads(render("json", result()))["results"][0]
    assert row["actual"]["response_read_as"] == [NOTE]
    assert row["actual"]["response_received"][:2] == list(RECEIVED[:2])
    assert "s3cr3tvalue" not in json.dumps(row)


def test_a_strict_head_adds_nothing() -> None:
    row = json.loads(render("json", result(lenient=False)))["results"][0]
    assert "response_read_as" not in row["actual"] and "response_received" not in row["actual"]
    assert "as received" not in render("table", result(lenient=False))
