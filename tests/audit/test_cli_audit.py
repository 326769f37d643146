"""``corsprobe audit`` end to end against the lab: exit statuses, --fail-on, every format (SARIF validated
against the OASIS SARIF 2.1.0 schema, JUnit parsed), --from-file, [[audit]] tables, usage errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.audit.lab import APP, Lab

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def _audit(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(main, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_exit_1_on_a_finding_at_fail_on(cli: CliRunner, lab: Lab) -> None:
    code, out, _ = _audit(cli, lab.url("/reflect"), "--app-origin", APP)
    assert code == 1
    assert "reflect_any_origin" in out and "critical" in out


def test_exit_0_below_fail_on(cli: CliRunner, lab: Lab) -> None:
    code, out, _ = _audit(cli, lab.url("/no-vary"), "--app-origin", APP)  # low < medium
    assert code == 0 and "missing_vary_origin" in out
    code, _, _ = _audit(cli, lab.url("/no-vary"), "--app-origin", APP, "--fail-on", "low")
    assert code == 1


def test_exit_0_for_a_correct_server(cli: CliRunner, lab: Lab) -> None:
    code, out, _ = _audit(cli, lab.url("/exact"), "--app-origin", APP, "--fail-on", "low")
    assert code == 0 and "no findings" in out


def test_exit_3_when_a_url_cannot_be_audited(cli: CliRunner) -> None:
    from tests.support.servers import dead_port

    code, out, _ = _audit(cli, f"http://127.0.0.1:{dead_port()}/x", "--app-origin", APP, "--timeout", "2")
    assert code == 3 and "could not audit" in out


@pytest.mark.parametrize("args", [
    ["--app-origin", APP],  # nothing to audit
    ["http://127.0.0.1:1/x"],  # no --app-origin
    ["http://127.0.0.1:1/x", "--app-origin", "app.example.com"],
    ["http://127.0.0.1:1/x", "--app-origin", APP, "-H", "Cookie: a=b"],
    ["http://127.0.0.1:1/x", "--app-origin", APP, "-H", "Authorization: Bearer x"],
    ["missing.toml"],
])
def test_usage_errors_exit_2_with_one_line(cli: CliRunner, args: list[str]) -> None:
    code, _, err = _audit(cli, *args)
    assert code == 2
    assert err.startswith("corsprobe: error:") and len(err.strip().splitlines()) == 1


def test_sarif_validates_against_the_2_1_0_schema(cli: CliRunner, lab: Lab) -> None:
    urls = [lab.url(p) for p in ("/reflect", "/null", "/no-vary", "/wildcard-credentials", "/exact")]
    code, out, _ = _audit(cli, *urls, "--app-origin", APP, "--format", "sarif")
    document = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"reflect_any_origin", "null_origin_trusted", "missing_vary_origin"}
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert code == 1


def test_sarif_without_findings_and_with_an_error_validates(cli: CliRunner) -> None:
    from tests.support.servers import dead_port

    _code, out, _ = _audit(cli, f"http://127.0.0.1:{dead_port()}/x", "--app-origin", APP, "--format", "sarif")
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(out))


def test_json_contract_v1(cli: CliRunner, lab: Lab) -> None:
    _code, out, _ = _audit(cli, lab.url("/null"), "--app-origin", APP, "--format", "json")
    document = json.loads(out)
    assert document["version"] == 1 and set(document) >= {"audits", "summary"}
    audit = document["audits"][0]
    assert set(audit) >= {"url", "app_origins", "requests", "findings"}
    [finding] = audit["findings"]
    assert set(finding) >= {"code", "severity", "origin", "credentials", "evidence", "explanation", "fix"}
    assert (finding["code"], finding["severity"], finding["origin"], finding["credentials"]) == (
        "null_origin_trusted", "critical", "null", True)
    assert ["Origin", "null"] in finding["evidence"]["request_headers"]
    assert ["Access-Control-Allow-Origin", "null"] in finding["evidence"]["response_headers"]


def test_junit_markdown_github(cli: CliRunner, lab: Lab) -> None:
    url = lab.url("/endswith")
    _c, junit, _ = _audit(cli, url, "--app-origin", APP, "--format", "junit")
    root = ET.fromstring(junit)
    assert root.get("failures") == "1"
    assert [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None] == ["suffix_match"]
    _c, markdown, _ = _audit(cli, url, "--app-origin", APP, "--format", "markdown")
    assert "| 1 |" in markdown and "`suffix_match`" in markdown
    _c, github, _ = _audit(cli, url, "--app-origin", APP, "--format", "github")
    assert github.startswith("::error title=CORS critical%3A suffix_match")


def test_from_file_and_report_files(cli: CliRunner, lab: Lab, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# the lab\n{lab.url('/exact')}\n\n{lab.url('/port')}\n", encoding="utf-8")
    sarif = tmp_path / "out" / "audit.sarif"
    code, out, _ = _audit(cli, "--from-file", str(urls), "--app-origin", APP, "--report-sarif", str(sarif),
                          "--report-json", str(tmp_path / "audit.json"))
    assert code == 1 and "port_not_validated" in out
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(sarif.read_text(encoding="utf-8")))
    assert json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))["summary"]["urls"] == 2


def test_from_file_bad_line_names_file_and_line(cli: CliRunner, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://api.example.com/ok\nnot a url\n", encoding="utf-8")
    code, _, err = _audit(cli, "--from-file", str(urls), "--app-origin", APP)
    assert code == 2 and f"{urls}:2" in err


def test_audit_tables_in_a_scenario_file(cli: CliRunner, lab: Lab, tmp_path: Path) -> None:
    scenario = tmp_path / "audit.toml"
    scenario.write_text(f'''base_url = "{lab.url("")}"

[env.lab]
origins = ["{APP}"]

[[audit]]
name = "items"
path = "/http-twin"
methods = ["GET", "POST"]

[[audit]]
url = "{lab.url("/exact")}"
app_origins = ["{APP}", "https://admin.example.com"]
headers = ["X-Requested-With"]
''', encoding="utf-8")
    code, out, _ = _audit(cli, str(scenario), "--env", "lab", "--format", "github")
    assert code == 1
    assert f"::error file={scenario},line=6,title=CORS high%3A http_origin_trusted on items" in out


def test_audit_table_errors_name_the_line(cli: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "audit.toml"
    scenario.write_text('[[audit]]\nurl = "https://api.example.com"\napp_origin = ["x"]\n\n[[audit]]\nurll = 1\n',
                        encoding="utf-8")
    code, _, err = _audit(cli, str(scenario))
    assert code == 2 and f"{scenario}:" in err
