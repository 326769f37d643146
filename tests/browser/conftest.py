"""Gates and session fixtures for the headless-browser differential suites.

Chromium tests (test_differential.py, test_grammar.py) skip with one reason when Chromium is
missing unless CORSPROBE_BROWSER_TESTS=require; Firefox tests (*firefox*.py) likewise with
CORSPROBE_FIREFOX_TESTS, WebKit tests (*webkit*.py: WebKitWebDriver, Xvfb, xauth and
PyGObject's WebKit2 4.1) with CORSPROBE_WEBKIT_TESTS. The case servers start once per session; each browser runs once
per page (the plain-http grammar, the secure-*/insecure-* pages, Chromium's LNA page).
After a full run of a browser in which no case disagreed, its build is recorded in
corsprobe/data/browser-verified.json.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.browsers import CHROMIUM_BROWSER, FIREFOX_BROWSER, WEBKIT_BROWSER, Browser
from tests.browser.cases import all_cases
from tests.browser.cases_secure import insecure_cases, lna_cases, secure_cases
from tests.browser.frameworks import FrameworkServers
from tests.browser.grammar import Case
from tests.browser.harness import Run, run_both
from tests.browser.secure import Launcher, SecureRun, chromium_launcher, firefox_launcher, run_secure
from tests.browser.secure_servers import SecureServers
from tests.browser.servers import Servers
from tests.browser.tls import Tls, make_tls

VERIFIED = Path(__file__).resolve().parents[2] / "corsprobe" / "data" / "browser-verified.json"
_HERE = Path(__file__).resolve().parent
# The parametrized test whose every case must pass for a browser build to be recorded.
MAIN_TESTS = {"chromium": "::test_case_agrees_with_chromium[", "firefox": "::test_case_agrees_with_firefox[",
              "webkit": "::test_case_agrees_with_webkit["}
_state: dict[str, object] = {}


def browser_of(path: Path) -> Browser:
    if "webkit" in path.name:
        return WEBKIT_BROWSER
    return FIREFOX_BROWSER if "firefox" in path.name else CHROMIUM_BROWSER


def _required(browser: Browser) -> bool:
    return os.environ.get(browser.gate, "") == "require"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).resolve()
        if _HERE not in path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        browser = browser_of(path)
        if browser.find() is None and not _required(browser):
            item.add_marker(pytest.mark.skip(
                reason=f"{browser.name} is not installed (set {browser.gate}=require to make this a failure)"))


def pytest_collection_finish(session: pytest.Session) -> None:
    collected: dict[str, int] = {}
    for item in session.items:
        path = Path(str(item.path)).resolve()
        if _HERE in path.parents:
            name = browser_of(path).name
            collected[name] = collected.get(name, 0) + 1
    _state["collected"] = collected


@pytest.fixture(scope="session")
def case_servers() -> Iterator[Servers]:
    """Every scripted and framework server, shared by all browsers' runs."""
    with Servers(all_cases()) as servers, FrameworkServers(servers):
        yield servers


def _run(browser: Browser, servers: Servers) -> Run:
    errors: dict[str, str] = _state.setdefault("errors", {})  # type: ignore[assignment]
    if browser.name in errors:  # a failed run is not retried for every case
        pytest.fail(f"the {browser.name} run failed: {errors[browser.name]}")
    binary = browser.find()
    if binary is None:
        pytest.fail(f"{browser.gate}=require but {browser.name} is not installed")
    try:
        run = run_both(browser, binary, servers, all_cases())
    except Exception as error:
        errors[browser.name] = f"{type(error).__name__}: {error}"
        raise
    runs: dict[str, Run] = _state.setdefault("runs", {})  # type: ignore[assignment]
    runs[browser.name] = run
    dump = os.environ.get("CORSPROBE_BROWSER_DUMP")
    if dump:
        target = Path(dump.replace(".json", f"-{browser.name}.json") if browser.name != "chromium" else dump)
        target.write_text(json.dumps(
            {"browser": {k: dataclasses.asdict(v) for k, v in run.browser.items()},
             "corsprobe": {k: dataclasses.asdict(v) for k, v in run.corsprobe.items()},
             "seconds": [run.browser_seconds, run.corsprobe_seconds]}, indent=1))
    return run


@pytest.fixture(scope="session")
def browser_run(case_servers: Servers) -> Run:
    """The Chromium run (the name predates the Firefox run)."""
    return _run(CHROMIUM_BROWSER, case_servers)


@pytest.fixture(scope="session")
def firefox_run(case_servers: Servers) -> Run:
    return _run(FIREFOX_BROWSER, case_servers)


@pytest.fixture(scope="session")
def webkit_run(case_servers: Servers) -> Run:
    return _run(WEBKIT_BROWSER, case_servers)


@pytest.fixture(scope="session")
def secure_tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def secure_servers(secure_tls: Tls) -> Iterator[SecureServers]:
    """The https page on app.test and the http/https APIs of the secure-context cases."""
    with SecureServers(secure_cases() + lna_cases(), secure_tls) as servers:
        yield servers


@pytest.fixture(scope="session")
def insecure_servers(secure_tls: Tls) -> Iterator[SecureServers]:
    """The same APIs for the insecure-* cases, the page over plain http on app.test."""
    with SecureServers(insecure_cases(), secure_tls, page_scheme="http") as servers:
        yield servers


def _secure(browser: Browser, launch: Launcher, passes: tuple[str, str], servers: SecureServers,
            tls: Tls, cases: list[Case] | None = None) -> SecureRun:
    binary = browser.find()
    if binary is None:
        pytest.fail(f"{browser.gate}=require but {browser.name} is not installed")
    cases = secure_cases() if cases is None else cases
    return run_secure(browser.name, binary, browser.version(binary), launch, passes, servers, cases, tls,
                      browser.profile)


@pytest.fixture(scope="session")
def secure_chromium_run(secure_servers: SecureServers, secure_tls: Tls) -> SecureRun:
    return _secure(CHROMIUM_BROWSER, chromium_launcher(secure_tls), ("sb", "scp"), secure_servers, secure_tls)


@pytest.fixture(scope="session")
def secure_firefox_run(secure_servers: SecureServers, secure_tls: Tls) -> SecureRun:
    return _secure(FIREFOX_BROWSER, firefox_launcher(secure_tls), ("sfb", "sfcp"), secure_servers, secure_tls)


@pytest.fixture(scope="session")
def lna_chromium_run(secure_servers: SecureServers, secure_tls: Tls) -> SecureRun:
    """The Local Network Access cases, with Chromium told the page's address is public."""
    public = f"--ip-address-space-overrides=127.0.0.1:{secure_servers.page.port}=public"
    return _secure(CHROMIUM_BROWSER, chromium_launcher(secure_tls, public), ("lb", "lcp"), secure_servers,
                   secure_tls, lna_cases())


@pytest.fixture(scope="session")
def insecure_chromium_run(insecure_servers: SecureServers, secure_tls: Tls) -> SecureRun:
    return _secure(CHROMIUM_BROWSER, chromium_launcher(secure_tls), ("ib", "icp"), insecure_servers,
                   secure_tls, insecure_cases())


@pytest.fixture(scope="session")
def insecure_firefox_run(insecure_servers: SecureServers, secure_tls: Tls) -> SecureRun:
    return _secure(FIREFOX_BROWSER, firefox_launcher(secure_tls), ("ifb", "ifcp"), insecure_servers,
                   secure_tls, insecure_cases())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = Path(report.fspath).resolve()
    if _HERE not in path.parents:
        return
    outcomes: dict[str, dict[str, str]] = _state.setdefault("outcomes", {})  # type: ignore[assignment]
    mine = outcomes.setdefault(browser_of(path).name, {})
    if report.failed:
        mine[report.nodeid] = "failed"
    elif report.when == "call" or report.skipped:
        kind = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        mine.setdefault(report.nodeid, kind)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Record each browser build whose every case of the full grammar ran and agreed.

    Cases that xfail on a known runner gap (see compare.RUNNER_GAPS) are not counted.
    """
    runs: dict[str, Run] = _state.get("runs", {})  # type: ignore[assignment]
    outcomes: dict[str, dict[str, str]] = _state.get("outcomes", {})  # type: ignore[assignment]
    collected: dict[str, int] = _state.get("collected", {})  # type: ignore[assignment]
    recorded: dict[str, object] = {}
    for name, run in runs.items():
        mine = outcomes.get(name, {})
        if len(mine) != collected.get(name) or any(k not in ("passed", "xfailed") for k in mine.values()):
            continue
        main = {nodeid.rsplit("[", 1)[1][:-1]: kind for nodeid, kind in mine.items() if MAIN_TESTS[name] in nodeid}
        if set(main) != set(run.browser):
            continue  # a partial selection (-k) does not verify the whole grammar
        passed = sum(1 for kind in main.values() if kind == "passed")
        recorded.update(_record(name, run.version, passed))
    if recorded:
        existing = json.loads(VERIFIED.read_text()) if VERIFIED.exists() else {}
        VERIFIED.parent.mkdir(exist_ok=True)
        VERIFIED.write_text(json.dumps({**existing, **recorded}, indent=2) + "\n")


def _record(name: str, version: str, passed: int) -> dict[str, object]:
    """The fields one browser's verified run writes (Chromium's keep their original names)."""
    today = datetime.date.today().isoformat()
    major = int(version.split(".", 1)[0])
    if name == "chromium":
        return {"chromium": version, "chromium_major": major, "cases": passed, "date": today}
    return {name: version, f"{name}_major": major, f"{name}_cases": passed, f"{name}_date": today}
