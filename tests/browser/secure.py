"""Runs the secure-context cases from ``https://app.test:P`` once in a browser and once through
corsprobe's runner (same URLs, same name mapping, the CA trusted), and reduces both sides to
harness.Observation plus each request's Host and Sec-Fetch-Site.

Chromium's and Firefox's mixed-content and Local Network Access console messages are mapped
to corsprobe reasons here. Does network and process I/O (loopback only).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import Result
from corsprobe.reasons import Reason
from corsprobe.runner import Job, RunPolicy, run_jobs
from tests.browser import chromium, console, console_firefox, firefox
from tests.browser.grammar import Case, parse_path
from tests.browser.harness import REPORT_TIMEOUT, Observation, Run, _observe, probe_for
from tests.browser.page import page_html
from tests.browser.secure_servers import API_HOST, PAGE_HOST, SecureServers, Wire, mapped_client
from tests.browser.tls import Tls

PAGE_KEY = "page-info"  # not a case id: what the page says about itself
# Case id -> (reason label, message), as browsers.Console returns it.
Messages = dict[str, tuple[str | None, str]]
Launcher = Callable[[str, str, threading.Event, float], Messages]

MIXED = Reason.MIXED_CONTENT.value
LNA = Reason.LOCAL_NETWORK_ACCESS.value
_CHROMIUM_MIXED = re.compile(
    r"Mixed Content: The page at '[^']*' was loaded over HTTPS, but requested an insecure resource "
    r"'(?P<url>[^']*)'\. This request has been blocked")
_CHROMIUM_LNA = re.compile(r"Permission was denied for this request to access the `\w+` address space")
_FIREFOX_MIXED = re.compile(r"Blocked loading mixed active content [\u201c\"'](?P<url>[^\u201d\"']+)")
FIREFOX_PREFS = {"network.dns.localDomains": f"{PAGE_HOST},{API_HOST}"}
_FIREFOX_TRUST = """
const db = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
db.addCertFromBase64(%s, "C,,");
return true;
"""


@dataclass(frozen=True)
class SecureRun:
    run: Run
    page: dict[str, object]
    browser_wire: dict[str, tuple[Wire, ...]]
    corsprobe_wire: dict[str, tuple[Wire, ...]]
    warnings: dict[str, tuple[str, ...]]  # corsprobe's warning reasons per case
    urls: dict[str, str]  # each case's first URL (browser pass)


def _case_id(url: str) -> str | None:
    parsed = parse_path("/" + url.split("/", 3)[3]) if url.count("/") >= 3 else None
    return None if parsed is None else parsed[0]


def chromium_messages(log: str) -> Messages:
    found: Messages = {}
    for case_id, text in console.cors_messages(log).items():
        found[case_id] = (LNA if _CHROMIUM_LNA.search(text) else console.classify(text), text)
    for match in _CHROMIUM_MIXED.finditer(log):
        blocked = _case_id(match.group("url"))
        if blocked is not None:
            found.setdefault(blocked, (MIXED, match.group(0)))
    return found


def chromium_launcher(tls: Tls, *extra: str) -> Launcher:
    """``*.test`` mapped to 127.0.0.1; only our leaf certificate's key is trusted."""
    flags = ("--host-resolver-rules=MAP *.test 127.0.0.1",
             f"--ignore-certificate-errors-spki-list={tls.leaf_spki_sha256}", *extra)

    def launch(binary: str, url: str, done: threading.Event, timeout: float) -> Messages:
        return chromium_messages(chromium.run_page(binary, url, done, timeout, flags))
    return launch


def firefox_messages(messages: list[tuple[str, str]]) -> Messages:
    found: Messages = {case_id: (console_firefox.reason_label(category), f"{category}: {text}")
                       for case_id, (category, text) in console_firefox.messages_by_case(messages).items()}
    for category, text in messages:
        match = _FIREFOX_MIXED.search(text)
        case_id = _case_id(match.group("url")) if match else None
        # Firefox also logs "CORS request did not succeed" for the hop before a blocked one.
        if case_id is not None and found.get(case_id, (None, ""))[0] is None:
            found[case_id] = (MIXED, f"{category}: {text}")
    return found


def firefox_launcher(tls: Tls) -> Launcher:
    """``*.test`` names resolved to loopback by Firefox itself; the test CA added to its
    certificate database (chrome context) before the page loads."""
    setup = _FIREFOX_TRUST % json.dumps(tls.ca_der_base64)

    def launch(binary: str, url: str, done: threading.Event, timeout: float) -> Messages:
        return firefox_messages(firefox.run_page(binary, url, done, timeout, FIREFOX_PREFS, setup))
    return launch


def firefox_agree(browser: str | None, mine: str | None) -> bool:
    return mine == MIXED if browser == MIXED else console_firefox.agree(browser, mine)


def secure_page(cases: list[Case], urls: dict[str, str], report_path: str) -> bytes:
    """harness's page, also reporting the page's isSecureContext and origin."""
    html = page_html(cases, urls, report_path)
    marker = b"const out = {};"
    assert html.count(marker) == 1, "page.py changed: cannot add the page report"
    return html.replace(marker, b'const out = {"%s": {secure: isSecureContext, origin: location.origin}};'
                        % PAGE_KEY.encode())


def run_secure(name: str, binary: str, version: str, launch: Launcher, passes: tuple[str, str],
               servers: SecureServers, cases: list[Case], tls: Tls, profile: BrowserProfile) -> SecureRun:
    """The browser pass (page on https://app.test), then the corsprobe pass."""
    browser_pass, corsprobe_pass = passes
    urls = {case.id: servers.url(case, browser_pass) for case in cases}
    page_url, reported = servers.serve_page(browser_pass, secure_page(cases, urls, servers.report_path(browser_pass)))
    started = time.monotonic()
    messages = launch(binary, page_url, reported, REPORT_TIMEOUT)
    browser_seconds = time.monotonic() - started
    report = servers.reports[browser_pass]
    observed: dict[str, Observation] = {}
    for case in cases:
        entry = report.get(case.id)
        assert isinstance(entry, dict), f"no {name} report for {case.id}"
        reason, message = messages.get(case.id, (None, ""))
        observed[case.id] = Observation(
            allowed=bool(entry["allowed"]),
            status=entry["status"] if isinstance(entry["status"], int) else None,
            readable=tuple(sorted({str(key).lower() for key in entry["keys"]})),
            seen=tuple(servers.seen(case, browser_pass)), reason=reason,
            detail=message or str(entry["error"] or ""),
        )
    started = time.monotonic()
    results = asyncio.run(_corsprobe(servers, cases, corsprobe_pass, tls, profile))
    corsprobe_seconds = time.monotonic() - started
    mine = {case.id: _observe(result, tuple(servers.seen(case, corsprobe_pass)))
            for case, result in zip(cases, results, strict=True)}
    warnings = {case.id: tuple(w.reason.value for w in result.outcome.warnings) if isinstance(result, Result)
                else () for case, result in zip(cases, results, strict=True)}
    page = report.get(PAGE_KEY)
    return SecureRun(
        Run(name, version, observed, mine, browser_seconds, corsprobe_seconds),
        page if isinstance(page, dict) else {},
        {case.id: tuple(servers.wire(case, browser_pass)) for case in cases},
        {case.id: tuple(servers.wire(case, corsprobe_pass)) for case in cases},
        warnings, urls,
    )


async def _corsprobe(servers: SecureServers, cases: list[Case], pass_name: str, tls: Tls,
                     profile: BrowserProfile) -> list[Result | str]:
    """Every case through run_jobs with the browser's profile, one job per call (harness does
    the same for the plain-http grammar)."""
    jobs = [Job(probe_for(case, servers.url(case, pass_name), servers.page_origin)) for case in cases]
    gate = asyncio.Semaphore(8)

    async def one(client: httpx.AsyncClient, job: Job) -> Result | str:
        async with gate:
            try:
                return (await run_jobs(client, [job], RunPolicy(profile, concurrency=1)))[0]
            except Exception as error:
                return f"corsprobe raised {type(error).__name__}: {error}"

    async with mapped_client(tls) as client:
        return list(await asyncio.gather(*(one(client, job) for job in jobs)))
