"""`corsprobe run` and `corsprobe demo`: scenario files, matrix expansion, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer

GOOD = f"""
[defaults]
origin = "{ORIGIN}"

[[probe]]
name = "matrix"
path = "/ok/items"
origins = ["{ORIGIN}", "https://evil.example"]
methods = ["GET", "PUT"]
credentials = true

[[probe]]
name = "star without credentials"
path = "/star/x"
expect = "allowed"
expect_readable = ["Content-Length"]

[[probe]]
name = "star with credentials"
path = "/star/x"
credentials = true
expect = "blocked"
expect_reason = "wildcard_origin_not_allowed"
"""


def _write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_run_expands_matrix_and_meets_expectations(cli: CliRunner, api: RawServer, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    result = cli.invoke(main, ["run", str(path), "--base-url", api.origin, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert [r["name"] for r in rows[:4]] == [
        f"matrix [{ORIGIN} GET]", f"matrix [{ORIGIN} PUT]",
        "matrix [https://evil.example GET]", "matrix [https://evil.example PUT]"]
    assert [r["verdict"] for r in rows[:4]] == ["allowed", "allowed", "blocked", "blocked"]
    assert rows[4]["passed"] is True and rows[5]["passed"] is True
    assert rows[4]["source"].endswith("s.toml:12")


def test_failed_expectation_exits_1(cli: CliRunner, api: RawServer, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('expect_reason = "wildcard_origin_not_allowed"',
                                         'expect_reason = "allow_origin_mismatch"'))
    result = cli.invoke(main, ["run", str(path), "--base-url", api.origin])
    assert result.exit_code == 1
    assert "FAILED: Expected reason allow_origin_mismatch" in result.stdout


def test_directory_and_only(cli: CliRunner, api: RawServer, tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.toml")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", GOOD.replace('name = "', 'name = "b: '), "b.toml")  # names are unique per run
    result = cli.invoke(main, ["run", str(tmp_path), "--base-url", api.origin, "--only", "star with cred",
                               "--format", "json"])
    assert result.exit_code == 0
    assert [r["name"] for r in json.loads(result.stdout)["results"]] == ["star with credentials",
                                                                        "b: star with credentials"]
    missing = cli.invoke(main, ["run", str(tmp_path), "--base-url", api.origin, "--only", "nope"])
    assert missing.exit_code == 2


def test_error_row_exit_3_other_rows_finish(cli: CliRunner, api: RawServer, tmp_path: Path) -> None:
    dead = RawServer(lambda r: b"")
    dead_origin = dead.origin
    dead._server.server_close()
    text = GOOD + f'\n[[probe]]\nname = "dead"\nurl = "{dead_origin}/x"\n'
    result = cli.invoke(main, ["run", str(_write(tmp_path, text)), "--base-url", api.origin,
                               "--format", "json", "--timeout", "2"])
    assert result.exit_code == 3
    verdicts = [r["verdict"] for r in json.loads(result.stdout)["results"]]
    assert verdicts[-1] == "error" and verdicts.count("allowed") == 3


BAD_FILES = [
    ("unknown-key", '[[probe]]\npath = "/x"\norigin = "http://a.example"\nexpct = "allowed"\n',
     ":4: unknown key in [[probe]] 'expct'; did you mean 'expect'?"),
    ("unknown-top", 'base_ur = "http://x"\n[[probe]]\npath = "/x"\n', ":1: unknown top-level key 'base_ur'"),
    ("toml-syntax", '[[probe]]\npath = "/x\n', ":2:11: not valid TOML"),
    ("no-probes", 'base_url = "http://a.example"\n', "no probes"),
    ("bad-expect", '[[probe]]\npath="/x"\norigin="http://a.example"\nexpect = "allow"\n',
     ":4: expect 'allow' must be one of allowed, blocked, error"),
    ("bad-reason", '[[probe]]\npath="/x"\norigin="http://a.example"\nexpect="blocked"\n'
     'expect_reason = "allow_origin_mismatc"\n', ":5: unknown reason code 'allow_origin_mismatc'; did you mean"),
    ("bad-origin", '[[probe]]\npath="/x"\norigin="a.example"\n', ":3: origin 'a.example' is not an http(s) origin"),
    ("no-origin", '[[probe]]\npath="/x"\n', ":1: a probe needs 'origin'"),
    ("bad-type", '[[probe]]\npath="/x"\norigin="http://a.example"\nsend_unsafe = "yes"\n',
     ":4: 'send_unsafe' must be true or false"),
    ("bad-headers", '[[probe]]\npath="/x"\norigin="http://a.example"\nheaders = { "X-A" = 1 }\n',
     ":4: header 'X-A' must have a string value"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_scenario_is_one_line_exit_2(cli: CliRunner, tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    result = cli.invoke(main, ["run", str(path), "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"corsprobe: error: {path}")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_missing_base_url_is_explained(cli: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, '[[probe]]\npath = "/x"\norigin = "http://a.example"\n')
    result = cli.invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    assert ":2: 'path' needs a base_url" in result.stderr


def test_missing_path_is_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["run", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2


def test_shipped_scenarios_parse(cli: CliRunner) -> None:
    root = Path(__file__).resolve().parents[2] / "scenarios"
    result = cli.invoke(main, ["run", str(root), "--base-url", "http://127.0.0.1:9", "--only", "zzz"])
    assert result.exit_code == 2 and "no probe name contains" in result.stderr


def test_demo_runs_end_to_end() -> None:
    done = subprocess.run([sys.executable, "-m", "corsprobe", "demo", "--format", "json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    rows = {r["name"]: r for r in document["results"]}
    assert rows["app updates an item"]["verdict"] == "allowed"
    assert rows["evil site reads loose API"]["passed"] is False
    assert document["summary"]["expectations"] == {"passed": 6, "failed": 1, "not_evaluated": 0}
    assert "demo-secret-token" not in done.stdout and "demo-token-123" not in done.stdout
