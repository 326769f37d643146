"""Warnings can be silenced: --ignore-warning CODE on the command line, ignore_warnings = [...] in a
scenario's [defaults] or [[probe]]; an unknown code is a usage error with a did-you-mean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.support.rawserver import RawServer, Received, response

APP = "https://app.example.com"


@pytest.fixture
def api() -> Iterator[RawServer]:
    def handle(request: Received) -> bytes:  # reflects the origin without Vary: a warning on every row
        return response(200, [("Access-Control-Allow-Origin", request.header("origin") or "")], b"{}")
    with RawServer(handle) as server:
        yield server


def _codes(output: str) -> list[set[str]]:
    return [{w["code"] for w in row["warnings"]} for row in json.loads(output)["results"]]


def test_cli_ignore_warning_drops_it(api: RawServer) -> None:
    args = ["check", api.url("/x"), "--origin", APP, "--format", "json"]
    shown = CliRunner().invoke(main, args)
    assert {"reflected_origin_without_vary", "local_network_access"} <= _codes(shown.stdout)[0]
    hidden = CliRunner().invoke(main, [*args, "--ignore-warning", "local_network_access"])
    assert hidden.exit_code == 0, hidden.output
    assert _codes(hidden.stdout)[0] == _codes(shown.stdout)[0] - {"local_network_access"}


def test_unknown_code_is_a_usage_error_with_did_you_mean(api: RawServer) -> None:
    result = CliRunner().invoke(main, ["check", api.url("/x"), "--origin", APP, "--ignore-warning", "local_network"])
    assert result.exit_code == 2
    assert "did you mean 'local_network_access'?" in result.stderr
    assert api.log == []


def test_scenario_ignore_warnings_in_defaults_and_probe(api: RawServer, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f'''base_url = "{api.origin}"
[defaults]
origin = "{APP}"
ignore_warnings = ["local_network_access"]

[[probe]]
name = "a"
path = "/a"

[[probe]]
name = "b"
path = "/b"
ignore_warnings = ["reflected_origin_without_vary", "local_network_access"]
''', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    a, b = _codes(result.stdout)
    assert "local_network_access" not in a and "reflected_origin_without_vary" in a
    assert not ({"local_network_access", "reflected_origin_without_vary"} & b)


def test_scenario_unknown_code_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[probe]]\nname = "a"\nurl = "http://127.0.0.1:9/a"\norigin = "https://app.example.com"\n'
                    'ignore_warnings = ["reflected_origin_without_var"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert f"{path}:5" in line and "did you mean 'reflected_origin_without_vary'?" in line
