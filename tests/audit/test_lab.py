"""The audit against real (raw asyncio) servers: every hand-rolled mistake gives exactly its finding with
the right severity, the correct policies give nothing above info, and the servers saw only GET/OPTIONS
without cookies or Authorization."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from corsprobe.audit.codes import Code, Severity
from corsprobe.audit.model import Audit, Target
from corsprobe.audit.runner import AuditOptions, audit_all
from tests.audit.lab import APP, CORRECT, VULNERABLE, Lab

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def own_lab() -> Iterator[Lab]:
    with Lab() as running:
        yield running


@pytest.fixture(scope="module")
def audits(own_lab: Lab) -> dict[str, Audit]:
    paths = [*VULNERABLE, *CORRECT]
    targets = [Target(own_lab.url(p), (APP,), methods=("GET", "POST")) for p in paths]
    done = asyncio.run(audit_all(targets, AuditOptions(max_requests=60)))
    return dict(zip(paths, done, strict=True))


@pytest.mark.parametrize("path", list(VULNERABLE))
def test_each_mistake_gives_exactly_its_finding(audits: dict[str, Audit], path: str) -> None:
    _policy, code, severity = VULNERABLE[path]
    audit = audits[path]
    assert audit.error is None
    found = [(f.code.value, f.severity.value) for f in audit.findings]
    assert found == [(code, severity)], found


@pytest.mark.parametrize("path", list(CORRECT))
def test_correct_policies_give_nothing_above_info(audits: dict[str, Audit], path: str) -> None:
    audit = audits[path]
    assert audit.error is None
    assert [f.code for f in audit.findings if f.severity is not Severity.INFO] == []


def test_every_code_is_produced_by_a_lab_server(audits: dict[str, Audit]) -> None:
    produced = {f.code for a in audits.values() for f in a.findings}
    assert produced == set(Code)


def test_credentials_decide_the_severity(audits: dict[str, Audit]) -> None:
    with_cookies = audits["/reflect"].findings[0]
    public = audits["/reflect-public"].findings[0]
    assert (with_cookies.credentials, with_cookies.severity) == (True, Severity.CRITICAL)
    assert (public.credentials, public.severity) == (False, Severity.LOW)
    assert with_cookies.evidence.response_headers  # the proof is the exchange as received
    assert ("Access-Control-Allow-Origin", with_cookies.origin) in with_cookies.evidence.response_headers


def test_reflection_stops_early_and_implies_the_narrower_classes(audits: dict[str, Audit]) -> None:
    audit = audits["/reflect"]
    assert audit.requests <= 4
    assert audit.stopped is not None and "moot" in audit.stopped
    assert Code.NULL_ORIGIN_TRUSTED in audit.findings[0].implied


def test_requests_per_url_are_bounded(audits: dict[str, Audit]) -> None:
    assert all(0 < a.requests <= 60 for a in audits.values())


def test_a_small_budget_is_respected_and_reported(lab: Lab) -> None:
    [audit] = asyncio.run(audit_all([Target(lab.url("/exact"), (APP,))], AuditOptions(max_requests=8)))
    assert audit.requests <= 8
    assert audit.stopped is not None and "budget" in audit.stopped


def test_only_safe_methods_and_no_credentials_reach_the_servers(own_lab: Lab, audits: dict[str, Audit]) -> None:
    lab = own_lab
    assert lab.log
    assert {entry.method for entry in lab.log} <= SAFE_METHODS
    for entry in lab.log:
        names = {name.lower() for name, _ in entry.headers}
        assert not names & {"cookie", "authorization", "proxy-authorization"}, entry
    assert len(lab.log) == sum(a.requests for a in audits.values())  # every request is counted


def test_rate_paces_requests_per_host(lab: Lab) -> None:
    import time

    start = time.monotonic()
    [audit] = asyncio.run(audit_all([Target(lab.url("/reflect"), (APP,))], AuditOptions(rate=20.0)))
    assert time.monotonic() - start >= (audit.requests - 1) / 20.0 * 0.9
