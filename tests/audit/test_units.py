"""Table-driven tests of the pure audit modules: attacker-origin derivation per class, severity rules,
root-cause collapsing, the engine-replayed judgement with and without credentials, [[audit]] parsing."""

from __future__ import annotations

import pytest

from corsprobe.audit import attackers, findings
from corsprobe.audit.attackers import AppOrigin, derive
from corsprobe.audit.codes import DESCRIPTIONS, Code, Severity
from corsprobe.audit.judge import access
from corsprobe.audit.model import AuditFinding, Evidence, Target
from corsprobe.audit.targets import audit_tables, check_origin, from_urls
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.errors import ScenarioError
from corsprobe.model import Exchange, HttpRequest, HttpResponse, Outcome, Probe, Result, Stage, Verdict
from corsprobe.scenarios.environments import Context

APP = AppOrigin.parse("https://app.example.com")
assert APP is not None


@pytest.mark.parametrize(("make", "expected"), [
    (attackers.unrelated, ["https://corsprobe-attacker.example"]),
    (attackers.null, ["null"]),
    (attackers.suffix, ["https://corsprobeexample.com"]),
    (attackers.prefix, ["https://app.example.com.corsprobe-attacker.example"]),
    (attackers.contains, ["https://corsprobe-app.example.com.corsprobe-attacker.example"]),
    (attackers.truncation, ["https://app.example.co"]),
    (attackers.unescaped_dots, ["https://appxexample.com", "https://app.examplexcom"]),
    (attackers.subdomains, ["https://corsprobe-audit.example.com", "https://corsprobe-audit.app.example.com"]),
    (attackers.http_twin, ["http://app.example.com"]),
    (attackers.special_chars, ["https://app.example.com_.corsprobe-attacker.example",
                               "https://app.example.com`.corsprobe-attacker.example",
                               "https://app.example.com}.corsprobe-attacker.example"]),
    (attackers.other_port, ["https://app.example.com:1337"]),
    (attackers.localhost, list(attackers.LOCAL_DEV_ORIGINS)),
])
def test_each_class_derives_its_origins(make: object, expected: list[str]) -> None:
    assert APP is not None
    assert [a.origin for a in make(APP)] == expected  # type: ignore[operator]


def test_derive_orders_dedupes_and_skips_the_app_origins() -> None:
    found = derive(["https://app.example.com", "https://example.com"])
    origins = [a.origin for a in found]
    assert origins[:2] == ["https://corsprobe-attacker.example", "null"]
    assert len(origins) == len(set(origins))
    assert "https://example.com" not in origins and "https://app.example.com" not in origins


def test_a_loopback_app_origin_gets_no_domain_tricks_and_no_localhost_class() -> None:
    codes = {a.code for a in derive(["http://localhost:3000"])}
    assert Code.SUFFIX_MATCH not in codes and Code.LOCALHOST_TRUSTED not in codes
    assert Code.PORT_NOT_VALIDATED in codes


@pytest.mark.parametrize(("code", "credentials", "read", "expected"), [
    (Code.REFLECT_ANY_ORIGIN, True, True, Severity.CRITICAL),
    (Code.REFLECT_ANY_ORIGIN, True, False, Severity.HIGH),  # only a credentialed preflight passed
    (Code.REFLECT_ANY_ORIGIN, False, True, Severity.LOW),
    (Code.ANY_SUBDOMAIN_TRUSTED, True, True, Severity.HIGH),
    (Code.LOCALHOST_TRUSTED, True, False, Severity.MEDIUM),
    (Code.PORT_NOT_VALIDATED, False, True, Severity.LOW),
])
def test_severity_follows_exploitability(code: Code, credentials: bool, read: bool, expected: Severity) -> None:
    assert findings.severity(code, credentials, read) is expected


def test_every_code_is_described() -> None:
    assert set(DESCRIPTIONS) == set(Code)


@pytest.mark.parametrize(("broad", "origin", "expected"), [
    (Code.REFLECT_ANY_ORIGIN, "null", True),
    (Code.SUBSTRING_CONTAINS, "https://corsprobe-audit.app.example.com", True),
    (Code.SUBSTRING_CONTAINS, "https://corsprobeexample.com", False),
    (Code.SUFFIX_MATCH, "https://corsprobe-audit.example.com", True),
    (Code.SUFFIX_MATCH, "https://app.example.com:1337", False),
    (Code.PREFIX_MATCH, "https://app.example.com:1337", True),
    (Code.PREFIX_MATCH, "http://app.example.com", False),
    (Code.NULL_ORIGIN_TRUSTED, "https://x.example", False),
])
def test_explains(broad: Code, origin: str, expected: bool) -> None:
    assert findings.explains(broad, origin, ["https://app.example.com"]) is expected


def _finding(code: Code, origin: str, severity: Severity = Severity.CRITICAL) -> AuditFinding:
    return AuditFinding(code, severity, origin, True, Evidence.of(None), "", "")


def test_collapse_keeps_one_finding_per_root_cause() -> None:
    found = [_finding(Code.SUFFIX_MATCH, "https://corsprobeexample.com"),
             _finding(Code.ANY_SUBDOMAIN_TRUSTED, "https://corsprobe-audit.example.com", Severity.HIGH),
             _finding(Code.NULL_ORIGIN_TRUSTED, "null")]
    kept = findings._collapse(found, ["https://app.example.com"])
    assert [f.code for f in kept] == [Code.SUFFIX_MATCH, Code.NULL_ORIGIN_TRUSTED]
    assert kept[0].implied == (Code.ANY_SUBDOMAIN_TRUSTED,)


def test_a_weaker_broad_finding_does_not_hide_a_stronger_narrow_one() -> None:
    found = [_finding(Code.REFLECT_ANY_ORIGIN, "https://corsprobe-attacker.example", Severity.LOW),
             _finding(Code.NULL_ORIGIN_TRUSTED, "null")]
    assert len(findings._collapse(found, ["https://app.example.com"])) == 2


def _result(origin: str, response: HttpResponse) -> Result:
    probe = Probe(url="https://api.example.com/r", origin=origin)
    request = HttpRequest(Stage.ACTUAL, "GET", probe.url, (("Origin", origin),))
    verdict = Verdict.ALLOWED if response.combined("access-control-allow-origin") in (origin, "*") else Verdict.BLOCKED
    return Result(probe, Outcome(verdict), (Exchange(request, response),))


@pytest.mark.parametrize(("headers", "omit", "include", "named"), [
    ((("Access-Control-Allow-Origin", "https://e.example"), ("Access-Control-Allow-Credentials", "true")),
     True, True, True),
    ((("Access-Control-Allow-Origin", "https://e.example"),), True, False, True),
    ((("Access-Control-Allow-Origin", "https://e.example"), ("Access-Control-Allow-Credentials", "True")),
     True, False, True),
    ((("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")), True, False, False),
    ((), False, False, False),
])
def test_access_judges_both_ways_with_the_engine(headers: tuple[tuple[str, str], ...], omit: bool, include: bool,
                                                 named: bool) -> None:
    got = access(_result("https://e.example", HttpResponse(200, headers)), CHROMIUM)
    assert (got.omit, got.include, got.named) == (omit, include, named)


def test_check_origin_and_urls() -> None:
    assert check_origin("https://App.Example.com:443/") == "https://app.example.com"
    for bad in ("app.example.com", "https://a.example/x", "ftp://a.example"):
        with pytest.raises(ValueError):
            check_origin(bad)
    [target] = from_urls(["/items"], ["https://app.example.com"], base_url="https://api.example.com/v1")
    assert target.url == "https://api.example.com/v1/items"
    with pytest.raises(ValueError, match="never sends"):
        from_urls(["https://api.example.com"], ["https://app.example.com"], headers=[("Cookie", "a=b")])


def test_audit_tables_with_env_and_secrets() -> None:
    text = '''[env.staging]
base_url = "https://staging.example.com"
origins = ["https://app.example.com"]
headers = { Authorization = "Bearer ${env:TOKEN}", "X-Tenant" = "acme" }

[[audit]]
path = "/me"
methods = ["GET", "PUT"]
'''
    targets, secrets = audit_tables(text, "a.toml", Context(env="staging", environ={"TOKEN": "s3cret-token"}))
    assert targets == [Target("https://staging.example.com/me", ("https://app.example.com",), ("GET", "PUT"),
                              (("X-Tenant", "acme"),), "a.toml:6")]
    assert secrets == {"s3cret-token"}  # declared secret, and Authorization is never sent


@pytest.mark.parametrize(("text", "message"), [
    ('[[audit]]\nurl = "https://a.example"\n', "app_origins"),
    ('[[audit]]\nurl = "https://a.example"\napp_origins = ["https://b.example"]\nmethod = ["GET"]\n',
     "did you mean 'methods'"),
    ('[[audit]]\npath = "/x"\napp_origins = ["https://b.example"]\n', "base_url"),
    ('[[audit]]\nurl = "https://a.example"\napp_origins = ["https://b.example"]\nheaders = ["Cookie"]\n',
     "never sends"),
])
def test_audit_table_errors(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as error:
        audit_tables(text, "a.toml", Context())
    assert "a.toml:1" in str(error.value)
