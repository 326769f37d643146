"""Masking is a step on values: every kind of secret, wherever a Result carries it, is gone from
every output console.emit writes (all formats, -v, both report files, the step summary) and from
every diff format; random secrets (quotes, backslashes, non-ASCII, very long, CR/LF) included.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corsprobe.console import Output, Terminal, emit
from corsprobe.model import (
    Credentials,
    Exchange,
    Finding,
    HttpRequest,
    HttpResponse,
    Outcome,
    Probe,
    Result,
    Stage,
    Verdict,
)
from corsprobe.output.diff import compare
from corsprobe.output.render import FORMATS, RenderOptions, renderer
from corsprobe.output.render.diff_formats import DIFF_FORMATS, render_diff
from corsprobe.output.secrets import MASK, Masker, is_secret_param, mask_all, masker_for
from corsprobe.reasons import Reason

API = "https://api.example.com"
APP = "https://app.example.com"


def _result(url: str, request_headers: tuple[tuple[str, str], ...] = (), response_headers: tuple[tuple[str, str], ...]
            = (), cookie: str | None = None, text: str = "", body: bytes | None = None) -> Result:
    """A credentialed row whose preflight passed and whose actual response redirected, then failed."""
    probe = Probe(url=url, origin=APP, method="POST", headers=request_headers, credentials=Credentials.INCLUDE,
                  cookie=cookie, body=body.decode("utf-8", "replace") if body else None,
                  name=f"row {text}".strip())
    preflight = Exchange(HttpRequest(Stage.PREFLIGHT, "OPTIONS", url, (("Origin", APP),)),
                         HttpResponse(204, (("Access-Control-Allow-Origin", APP),), "No Content"))
    sent = (("Origin", APP), *request_headers, *((("Cookie", cookie),) if cookie else ()))
    hop = Exchange(HttpRequest(Stage.ACTUAL, "POST", url, sent, body),
                   HttpResponse(302, (("Location", url), *response_headers), "Found"))
    last = Exchange(HttpRequest(Stage.ACTUAL, "GET", url, sent), None, f"refused: {url} {text}")
    failure = Finding(Reason.NETWORK_ERROR, f"connection to {url} refused {text}", Stage.ACTUAL)
    warning = Finding(Reason.COOKIE_NOT_SENT_CROSS_SITE, text or "sid", Stage.ACTUAL)
    outcome = Outcome(Verdict.ERROR, failure, (warning,), preflight_needed=True, actual_checked=True)
    return Result(probe, outcome, (preflight, hop, last), None, f"scenarios/{text or 'x'}.toml:3")


# One builder per secret kind: (secret) -> (results, declared secrets).
Kind = Callable[[str], tuple[list[Result], list[str]]]
KINDS: dict[str, Kind] = {
    "authorization": lambda s: ([_result(f"{API}/a", (("Authorization", f"Bearer {s}"),),
                                         (("X-Echo", s),))], []),
    "proxy-authorization": lambda s: ([_result(f"{API}/a", (("Proxy-Authorization", f"Basic {s}"),),
                                               (("X-Seen", f"token {s}"),))], []),
    "basic-password": lambda s: ([_result(f"{API}/a", (("Authorization", "Basic " + base64.b64encode(
        f"user:{s}".encode()).decode()),), (("X-Seen", s),))], []),
    "cookie": lambda s: ([_result(f"{API}/a", cookie=f"sid={s}", response_headers=(("X-Cookie-Seen", s),))], []),
    "set-cookie": lambda s: ([_result(f"{API}/a", response_headers=(("Set-Cookie", f"sid={s}; Path=/"),
                                                                    ("X-Debug", f"issued {s}")))], []),
    "secret-named-header": lambda s: ([_result(f"{API}/a", (("X-Api-Token", s),), (("X-Echo", s),))], []),
    "declared": lambda s: ([_result(f"{API}/a", (("X-Tenant", s),), text=s, body=s.encode())], [s]),
    "query-token": lambda s: ([_result(f"{API}/a?api_key={quote(s, safe='')}&page=2")], []),
    "location-password": lambda s: ([_result(f"https://u:{quote(s, safe='')}@api.example.com/a")], []),
    "bytes-repr": lambda s: ([_result(f"{API}/a", text=repr(s.encode()))], [s]),
}


def _all_outputs(results: list[Result], declared: list[str], tmp_path: Path, verbose: bool) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for fmt in FORMATS:
        out, err = io.StringIO(), io.StringIO()
        junit, json_report, summary = tmp_path / "r.xml", tmp_path / "r.json", tmp_path / "summary.md"
        lines = tmp_path / "r.jsonl"
        summary.write_text("")
        terminal = Terminal(out, err, {"GITHUB_STEP_SUMMARY": str(summary)})
        emit(results, Output(fmt=fmt, verbose=verbose, secrets=frozenset(declared), report_junit=str(junit),
                             report_json=str(json_report), report_jsonl=str(lines)), terminal)
        outputs[fmt] = out.getvalue() + err.getvalue()
        outputs[f"{fmt} --report-junit"] = junit.read_text()
        outputs[f"{fmt} --report-json"] = json_report.read_text()
        outputs[f"{fmt} --report-jsonl"] = lines.read_text()
        outputs[f"{fmt} step summary"] = summary.read_text()
    masker = masker_for(results, declared)
    masked = [masker.value(r) for r in results]
    other = [masker.value(_result(f"{API}/other"))]
    for fmt in DIFF_FORMATS:
        outputs[f"diff {fmt}"] = render_diff(compare(masked, other, "staging", "prod"), fmt, Masker())
    return outputs


def _leaks(secret: str, outputs: dict[str, str]) -> list[str]:
    forms = {secret, quote(secret, safe=""), repr(secret)[1:-1]}
    return [name for name, text in outputs.items() if any(form in text for form in forms if len(form) >= 4)]


SECRET = "s3cr3t-\"quo'te\\back-słowo-" + "x" * 90 + "\r\nend"


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_no_output_leaks_a_secret_of_this_kind(kind: str, verbose: bool, tmp_path: Path) -> None:
    results, declared = KINDS[kind](SECRET)
    outputs = _all_outputs(results, declared, tmp_path, verbose)
    assert _leaks(SECRET, outputs) == []
    assert all("api.example.com" in text for name, text in outputs.items() if name in ("table", "json", "jsonl"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
       | st.text("\"'\\\r\n é€😀=&;%@:/ ", max_size=40) | st.just("z" * 2000),
       kind=st.sampled_from(sorted(KINDS)))
def test_random_secrets_never_reach_any_output(body: str, kind: str, tmp_path: Path) -> None:
    if kind in ("cookie", "set-cookie"):  # a cookie value ends at ';': what follows is not the cookie
        body = body.replace(";", "")
    secret = f"Qk7{body}Zw9"
    results, declared = KINDS[kind](secret)
    assert _leaks(secret, _all_outputs(results, declared, tmp_path, verbose=True)) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_renderers_need_no_masker_once_values_are_masked(kind: str) -> None:
    """The structural guarantee: masked values rendered with an empty masker leak nothing."""
    results, declared = KINDS[kind](SECRET)
    masked = mask_all(results, declared)
    outputs = {fmt: renderer(fmt)(masked, RenderOptions(verbose=True)) for fmt in FORMATS}
    assert _leaks(SECRET, outputs) == []


def test_masked_values_keep_their_shape() -> None:
    """Names stay readable; the value is replaced, in the value itself (not in rendered text)."""
    results, _ = KINDS["set-cookie"]("abcdef123")
    masked = mask_all(results)[0]
    response = masked.exchanges[1].response
    assert response is not None
    assert ("Set-Cookie", f"sid={MASK}; Path=/") in response.headers
    assert ("X-Debug", f"issued {MASK}") in response.headers
    url = mask_all(KINDS["query-token"]("abcdef123")[0])[0].probe.url
    assert url == f"{API}/a?api_key={MASK}&page=2"
    assert mask_all(KINDS["location-password"]("pw12345")[0])[0].probe.url == f"https://u:{MASK}@api.example.com/a"


def test_verdicts_and_reasons_survive_masking() -> None:
    result = KINDS["declared"]("error")[0][0]
    masked = Masker.of(["error", "network_error"]).value(result)
    assert masked.outcome.verdict is Verdict.ERROR
    assert masked.outcome.failure is not None and masked.outcome.failure.reason is Reason.NETWORK_ERROR


def test_common_values_are_not_masked_everywhere() -> None:
    masker = masker_for([(("Set-Cookie", "flag=true"),)])
    assert masker.text("Access-Control-Allow-Credentials: true") == "Access-Control-Allow-Credentials: true"


@pytest.mark.parametrize(("name", "secret"), [
    ("token", True), ("access_token", True), ("api_key", True), ("apiKey", True), ("X-Amz-Signature", True),
    ("sig", True), ("code", True), ("session_id", True), ("password", True), ("page", False), ("origin", False),
    ("sort", False), ("monkey", False),
])
def test_query_parameter_names(name: str, secret: bool) -> None:
    assert is_secret_param(name) is secret


@settings(max_examples=60, deadline=None)
@given(body=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\'), max_size=80)
       | st.text("'\r\n é€😀=&;%@:/ ", max_size=30))
def test_random_env_secrets_never_reach_a_load_error(body: str) -> None:
    """The error path: an ${env:…} value inside a URL the loader refuses is masked in the message."""
    from corsprobe.errors import ScenarioError
    from corsprobe.scenarios.environments import Context
    from corsprobe.scenarios.parse import load

    secret = f"Qk7{body}Zw9"
    text = ('[[probe]]\nurl = "htps://api.example.com/x?token=${env:T}&v=${env:T}"\n'
            'origin = "https://app.example.com"\nname = "${env:T}"\n')
    with pytest.raises(ScenarioError) as error:
        load(text, "s.toml", Context(environ={"T": secret}))
    assert error.value.line == 2
    assert _leaks(secret, {"error": str(error.value)}) == []
