"""Environments, variables, secrets and `corsprobe diff` against two real local servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from corsprobe.cli import main
from tests.support.rawserver import RawServer, Received, response

APP = "https://app.example.com"


def _policy(allow_put: bool, max_age: str) -> RawServer:
    def handle(request: Received) -> bytes:
        origin = request.header("origin") or ""
        headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
                   ("Vary", "Origin")] if origin == APP else []
        if request.method == "OPTIONS":
            methods = "GET, PUT" if allow_put else "GET"
            return response(204, [*headers, ("Access-Control-Allow-Methods", methods),
                                  ("Access-Control-Allow-Headers", "Authorization"),
                                  ("Access-Control-Max-Age", max_age)])
        return response(200, headers, b"{}")
    return RawServer(handle)


@pytest.fixture
def servers() -> Iterator[tuple[RawServer, RawServer, RawServer]]:
    with _policy(True, "600") as staging, _policy(False, "600") as production, _policy(True, "600") as twin:
        yield staging, production, twin


def _scenario(tmp_path: Path, staging: str, production: str) -> Path:
    text = f"""
[env.staging]
base_url = "{staging}"
headers = {{ Authorization = "Bearer staging-token" }}
vars = {{ item = "1" }}

[env.production]
base_url = "{production}"
headers = {{ Authorization = "Bearer ${{env:PROD_TOKEN}}" }}
vars = {{ item = "1" }}

[defaults]
origin = "{APP}"
credentials = true

[[probe]]
name = "read item"
path = "/items/${{item}}"
expect = "allowed"

[[probe]]
name = "update item"
path = "/items/${{item}}"
method = "PUT"
expect = "allowed"

[[probe]]
name = "evil"
path = "/items/${{item}}"
origin = "https://evil.example"
expect = "blocked"
"""
    path = tmp_path / "envs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_names_exactly_the_differing_rows(tmp_path: Path,
                                                servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging, production, _ = servers
    path = _scenario(tmp_path, staging.origin, production.origin)
    runner = CliRunner(env={"PROD_TOKEN": "prod-token-value-9"})
    result = runner.invoke(main, ["diff", str(path), "--env", "staging", "--env", "production",
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    differing = {row["name"]: {d["field"] for d in row["differences"]}
                 for row in document["rows"] if row["differs"]}
    methods = "preflight Access-Control-Allow-Methods"
    assert differing == {"read item": {methods}, "update item": {"verdict", "reason", methods},
                         "evil": {methods}}
    assert "prod-token-value-9" not in result.output
    table = runner.invoke(main, ["diff", str(path), "--env", "staging", "--env", "production"])
    assert table.exit_code == 1
    assert "update item" in table.stdout and "method_disallowed_by_preflight_response" in table.stdout
    assert "3 differ between staging and production (5 fields)" in table.stdout
    sent = [r for r in production.log if r.method == "GET" and "extra probe" not in (r.header("user-agent") or "")]
    assert sent and all(r.header("authorization") == "Bearer prod-token-value-9" for r in sent)


def test_identical_servers_exit_0(tmp_path: Path, servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging, _, twin = servers
    path = _scenario(tmp_path, staging.origin, twin.origin)
    result = CliRunner().invoke(main, ["diff", str(path), "--base-url", staging.origin,
                                       "--base-url", twin.origin, "--format", "markdown", "--var", "item=1"])
    assert result.exit_code == 0, result.output
    assert "agree" in result.stdout


def test_diff_needs_two_sides(tmp_path: Path, servers: tuple[RawServer, RawServer, RawServer]) -> None:
    path = _scenario(tmp_path, servers[0].origin, servers[1].origin)
    assert CliRunner().invoke(main, ["diff", str(path), "--env", "staging"]).exit_code == 2


def test_run_with_env_masks_env_secret(tmp_path: Path, servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging, production, _ = servers
    path = _scenario(tmp_path, staging.origin, production.origin)
    runner = CliRunner(env={"PROD_TOKEN": "prod-token-value-9"})
    for fmt in ("table", "json"):
        result = runner.invoke(main, ["run", str(path), "--env", "production", "-v", "--format", fmt])
        assert result.exit_code == 1  # production does not allow PUT
        assert "prod-token-value-9" not in result.output


def test_undefined_variables_are_file_line_errors(tmp_path: Path,
                                                   servers: tuple[RawServer, RawServer, RawServer]) -> None:
    path = _scenario(tmp_path, servers[0].origin, servers[1].origin)
    result = CliRunner(env={"PROD_TOKEN": None}).invoke(main, ["run", str(path), "--env", "production"])
    assert result.exit_code == 2
    assert f"{path}:9: undefined variable ${{env:PROD_TOKEN}}" in result.stderr
    no_env = CliRunner().invoke(main, ["run", str(path)])
    assert no_env.exit_code == 2 and "undefined variable ${item}" in no_env.stderr
    with_var = CliRunner().invoke(main, ["run", str(path), "--var", "item=2",
                                         "--base-url", servers[0].origin])
    assert with_var.exit_code == 0, with_var.output
    unknown = CliRunner().invoke(main, ["run", str(path), "--env", "stagin"])
    assert unknown.exit_code == 2 and "did you mean 'staging'?" in unknown.stderr


def test_project_config_declares_environments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging = servers[0]
    (tmp_path / "corsprobe.toml").write_text(
        f'[env.staging]\nbase_url = "{staging.origin}"\nvars = {{ item = "7" }}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.toml").write_text(
        f'[[probe]]\npath = "/items/${{item}}"\norigin = "{APP}"\nexpect = "allowed"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    result = CliRunner().invoke(main, ["run", "s.toml", "--env", "staging", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["url"] == f"{staging.origin}/items/7"


def test_reports_and_exit_zero(tmp_path: Path, servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging, production, _ = servers
    path = _scenario(tmp_path, staging.origin, production.origin)
    junit, report = tmp_path / "out" / "junit.xml", tmp_path / "out" / "report.json"
    result = CliRunner(env={"PROD_TOKEN": "x-secret-value"}).invoke(main, [
        "run", str(path), "--env", "production", "--report-junit", str(junit),
        "--report-json", str(report), "--exit-zero"])
    assert result.exit_code == 0
    assert "update item" in result.stdout
    assert json.loads(report.read_text())["summary"]["expectations"]["failed"] == 1
    assert junit.read_text().lstrip().startswith("<?xml")
    schema = xmlschema.XMLSchema(str(Path(__file__).parents[1] / "formats" / "junit.xsd"))
    schema.validate(str(junit))
    assert "x-secret-value" not in junit.read_text() + report.read_text()
    bad = CliRunner().invoke(main, ["run", str(tmp_path / "missing.toml"), "--exit-zero"])
    assert bad.exit_code == 2


def test_declared_secret_masked_in_error_messages(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('base_url = "not-a-url-hunter2-secret"\n[[probe]]\npath = "/x"\norigin = "https://a.example"\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--secret", "hunter2-secret"])
    assert result.exit_code == 2
    assert "base_url" in result.stderr and "hunter2-secret" not in result.stderr


def test_pyproject_tool_table_declares_environments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    servers: tuple[RawServer, RawServer, RawServer]) -> None:
    staging = servers[0]
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\n\n[tool.corsprobe.env.staging]\nbase_url = "{staging.origin}"\n'
        'vars = { item = "9" }\n', encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        f'[[probe]]\npath = "/items/${{item}}"\norigin = "{APP}"\nexpect = "allowed"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", "s.toml", "--env", "staging", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["url"] == f"{staging.origin}/items/9"
