"""No secret reaches any output of a real run: a server on loopback echoes the bearer token in
another header, sets a cookie and redirects to a Location with a password and a token; every
format, -v, both report files, the step summary, `diff` and the error paths are searched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from corsprobe.output.render import FORMATS
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer, Received, response

TOKEN = 'tok-"q\\uo\'te-' + "k" * 80  # a header value a page may send: ASCII (non-ASCII: tests/formats)
COOKIE = "cookie-val-9f8e7d"
SET_COOKIE = "server-session-5a4b3c"
DECLARED = "declared-value-1234"
ENV_SECRET = "env-secret-abcdef"
QUERY = "query-key-778899"
PASSWORD = "hunter2-pw-445566"
SECRETS = (TOKEN, COOKIE, SET_COOKIE, DECLARED, ENV_SECRET, QUERY, PASSWORD)


def _echo(request: Received) -> bytes:
    """Allows ORIGIN with credentials; echoes what it got; /start redirects with secrets in Location."""
    authorization = request.header("authorization") or ""
    headers = [("Access-Control-Allow-Origin", ORIGIN), ("Access-Control-Allow-Credentials", "true"),
               ("Vary", "Origin")]
    if request.method == "OPTIONS":
        return response(204, [*headers, ("Access-Control-Allow-Headers", "Authorization, X-Tenant")])
    echoed = [("X-Seen-Token", authorization.partition(" ")[2]), ("X-Seen-Tenant", request.header("x-tenant") or ""),
              ("X-Seen-Cookie", request.header("cookie") or ""), ("Set-Cookie", f"sid={SET_COOKIE}; Path=/")]
    if request.path == "/start":
        location = f"http://u:{PASSWORD}@127.0.0.1:9/next?access_token={QUERY}"
        return response(302, [*headers, *echoed, ("Location", location)])
    return response(200, [*headers, *echoed], b"{}")


@pytest.fixture
def echo() -> Iterator[RawServer]:
    with RawServer(_echo) as server:
        yield server


def _leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["plain", "verbose"])
def test_check_leaks_nothing(fmt: str, verbose: list[str], echo: RawServer, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    junit, report, lines = tmp_path / "r.xml", tmp_path / "r.json", tmp_path / "r.jsonl"
    result = CliRunner().invoke(main, [
        "check", echo.url(f"/start?api_key={QUERY}"), "--origin", ORIGIN, "--credentials",
        "-H", f"Authorization: Bearer {TOKEN}", "-H", f"X-Tenant: {DECLARED}", "--cookie", f"sid={COOKIE}",
        "--secret", DECLARED, "--format", fmt, *verbose, "--report-junit", str(junit), "--report-json", str(report),
        "--report-jsonl", str(lines)])
    assert result.exit_code in (0, 3), result.output
    texts = {"stdout+stderr": result.output, "junit": junit.read_text(), "json": report.read_text(),
             "jsonl": lines.read_text(), "summary": summary.read_text() if summary.exists() else ""}
    assert {name: _leaked(text) for name, text in texts.items() if _leaked(text)} == {}
    assert echo.log[1].header("authorization") == f"Bearer {TOKEN}"  # it was sent, only never shown
    if fmt == "json":
        row = json.loads(result.stdout)["results"][0]
        assert "api_key=********" in row["url"]


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f"""
[defaults]
origin = "{ORIGIN}"
credentials = true
headers = {{ Authorization = "Bearer ${{env:API_TOKEN}}", X-Tenant = "{DECLARED}" }}

[[probe]]
path = "/start?token=${{env:QUERY_TOKEN}}"
""", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_diff_leaks_nothing(fmt: str, tmp_path: Path) -> None:
    """An unnamed row is named after its URL: its ?token= value is masked in every diff format."""
    with RawServer(_echo) as left, RawServer(lambda r: response(200, [], b"{}")) as right:
        path = _scenario(tmp_path)
        runner = CliRunner(env={"API_TOKEN": TOKEN, "QUERY_TOKEN": ENV_SECRET})
        result = runner.invoke(main, ["diff", str(path), "--base-url", left.origin, "--base-url",
                                      f"http://u:{PASSWORD}@127.0.0.1:{right.port}", "--secret", DECLARED,
                                      "--format", fmt])
    assert result.exit_code in (0, 1, 3), result.output
    assert "start" in result.output
    assert _leaked(result.output) == []


def test_env_value_not_in_load_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[probe]]\nurl = "htps://api.example.com/x?token=${env:API_TOKEN}"\n'
                    'origin = "https://app.example.com"\n', encoding="utf-8")
    result = CliRunner(env={"API_TOKEN": ENV_SECRET}).invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    assert "s.toml:2" in result.stderr
    assert _leaked(result.stderr) == []


def test_header_value_not_in_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", "http://127.0.0.1:9/", "--origin", ORIGIN, "-H", f"Bearer {TOKEN}"])
    assert result.exit_code == 2
    assert _leaked(result.output) == []


def test_url_secrets_not_in_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", f"htp://u:{PASSWORD}@127.0.0.1:9/?api_key={QUERY}",
                                       "--origin", ORIGIN])
    assert result.exit_code == 2
    assert _leaked(result.output) == []


def test_cookie_with_crlf_never_shown(echo: RawServer) -> None:
    """A cookie with CR/LF cannot be sent; whatever the error says, not the cookie (nor its repr)."""
    cookie = f"sid={COOKIE}\r\nX-Evil: 1"
    result = CliRunner().invoke(main, ["check", echo.url("/ok"), "--origin", ORIGIN, "--credentials",
                                       "--cookie", cookie, "--format", "json", "-v"])
    assert COOKIE not in result.output and repr(cookie)[1:-1] not in result.output
