"""`corsprobe check` end to end against a raw server: formats, exit codes, safety, masking."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer


def _check(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_put_with_credentials_allowed_json(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/ok/items"), "--origin", ORIGIN, "--method", "PUT",
                          "-H", "X-Token: 1", "--credentials", "--send-unsafe", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["version"] == 1
    row = document["results"][0]
    assert row["verdict"] == "allowed"
    assert row["preflight"]["needed"] is True
    sent = dict(row["preflight"]["request_headers"])
    assert sent["Access-Control-Request-Method"] == "PUT"
    assert sent["Access-Control-Request-Headers"] == "x-token"
    assert row["actual"]["sent"] is True and row["actual"]["status"] == 200
    # The third request is the extra canary probe (allowed, credentialed, Allow-Origin equals the Origin):
    # an OPTIONS from a .invalid origin, without credentials.
    assert [r.method for r in api.log] == ["OPTIONS", "PUT", "OPTIONS"]
    preflight, canary = api.log[0], api.log[2]
    assert preflight.header("cookie") is None and preflight.header("authorization") is None
    assert canary.header("origin") == "https://corsprobe-canary.invalid"
    assert canary.header("cookie") is None and canary.header("access-control-request-method") == "PUT"
    assert [x["purpose"] for x in row["extra_probes"]] == ["canary_origin"]
    assert document["summary"]["extra_probes"] == 1


def test_put_blocked_by_strict_policy_never_sends_put(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/strict/items"), "--origin", ORIGIN, "-X", "PUT",
                          "--send-unsafe", "--format", "json")
    assert code == 0
    row = json.loads(out)["results"][0]
    assert row["verdict"] == "blocked"
    assert row["reason"] == "method_disallowed_by_preflight_response"
    assert row["fix"] and "PUT" in row["fix"]
    assert [r.method for r in api.log] == ["OPTIONS"]


def test_unsafe_method_not_sent_without_opt_in(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/ok/items"), "--origin", ORIGIN, "-X", "PUT")
    assert code == 0
    assert [r.method for r in api.log] == ["OPTIONS"]
    assert "not sent" in out and "--send-unsafe" in out


def test_simple_post_without_opt_in_is_unchecked(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/ok/items"), "--origin", ORIGIN, "-X", "POST",
                          "--body", "x", "--format", "json")
    assert code == 0
    assert json.loads(out)["results"][0]["verdict"] == "unchecked"
    assert api.log == []


def test_expect_sets_exit_status(cli: CliRunner, api: RawServer) -> None:
    url = api.url("/star/x")
    assert _check(cli, url, "--origin", ORIGIN, "--expect", "allowed")[0] == 0
    assert _check(cli, url, "--origin", ORIGIN, "--expect", "blocked")[0] == 1
    assert _check(cli, url, "--origin", ORIGIN, "--credentials", "--expect", "blocked")[0] == 0


def test_table_names_reason_and_fix(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/star/x"), "--origin", ORIGIN, "--credentials", "--layout", "table")
    assert code == 0
    assert "BLOCKED" in out and "wildcard_origin_not_allowed" in out
    assert "fix 1/2 (actual): Answer 'Access-Control-Allow-Origin: http://localhost:8080'" in out
    assert "\x1b[" not in out


def test_steps_layout_is_checks_default_and_reads_like_a_network_panel(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/strict/items"), "--origin", ORIGIN, "-X", "PUT",
                          "-H", "Content-Type: application/json")
    assert code == 0
    lines = out.splitlines()
    steps = [line for line in lines if line[:3] in ("1. ", "2. ", "3. ")]
    assert steps[0] == "1. The page's request"
    assert steps[1].startswith("2. Preflight: needed (method PUT is not GET, HEAD or POST; header content-type")
    assert steps[2] == "3. Actual request: not sent"
    assert "   > Access-Control-Request-Method: PUT" in lines
    assert any(line.startswith("   → FAILED: [") for line in lines)
    assert "Verdict: BLOCKED" in lines and any(line.startswith(("Fix (", "Fix 1/")) for line in lines)


def test_color_always_and_no_color(cli: CliRunner, api: RawServer) -> None:
    url = api.url("/star/x")
    assert "\x1b[32m" in _check(cli, url, "--origin", ORIGIN, "--color", "always")[1]
    result = cli.invoke(main, ["check", url, "--origin", ORIGIN], env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_unreachable_server_is_error_row_exit_3(cli: CliRunner) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = _check(cli, f"http://127.0.0.1:{port}/x", "--origin", ORIGIN)
    assert code == 3
    assert "ERROR" in out and "network_error" in out
    assert "Traceback" not in out + err


def test_secrets_masked_in_every_format(cli: CliRunner, api: RawServer) -> None:
    secret_values = ("Bearer top-secret-value", "sid=cookie-value-42", "s3cr3t-cookie", "my-own-secret")
    for fmt in ("table", "json"):
        code, out, err = _check(
            cli, api.url(f"/ok/items?q={secret_values[3]}"), "--origin", ORIGIN,
            "-H", f"Authorization: {secret_values[0]}", "--credentials", "--cookie", secret_values[1],
            "--secret", secret_values[3], "--format", fmt, "-v")
        assert code == 0
        for value in secret_values:
            assert value not in out + err, (fmt, value)
    actual = [r for r in api.log if r.header("origin") == ORIGIN][-1]  # not the extra canary probe
    assert actual.method == "GET"
    assert actual.header("authorization") == secret_values[0]
    assert actual.header("cookie") == secret_values[1]


def test_verbose_shows_raw_exchanges(cli: CliRunner, api: RawServer) -> None:
    _, out, _ = _check(cli, api.url("/ok/items"), "--origin", ORIGIN, "-X", "PUT", "-v")
    assert "> OPTIONS " in out and "< 204" in out and "< Access-Control-Allow-Methods: GET, PUT" in out


def test_bad_header_and_origin_are_usage_errors(cli: CliRunner) -> None:
    assert _check(cli, "http://127.0.0.1:1/", "--origin", ORIGIN, "-H", "nocolon")[0] == 2
    assert _check(cli, "http://127.0.0.1:1/", "--origin", "localhost:8080")[0] == 2


def test_forbidden_method_sends_nothing(cli: CliRunner, api: RawServer) -> None:
    code, out, _ = _check(cli, api.url("/ok"), "--origin", ORIGIN, "-X", "TRACE", "--format", "json")
    assert code == 0
    assert json.loads(out)["results"][0]["reason"] == "forbidden_method"
    assert api.log == []


def test_version_names_browser_verification() -> None:
    done = subprocess.run([sys.executable, "-m", "corsprobe", "--version"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("corsprobe ")
    assert "Chromium" in done.stdout or "not yet verified" in done.stdout
