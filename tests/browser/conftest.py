"""Gate and session fixture for the headless-Chromium differential suite.

Skips the whole directory (one reason) when Chromium is missing, unless
CORSPROBE_BROWSER_TESTS=require. Runs the browser once per session; writes
corsprobe/data/browser-verified.json after a full run in which no case disagreed.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.cases import all_cases
from tests.browser.chromium import find_chromium
from tests.browser.frameworks import FrameworkServers
from tests.browser.harness import Run, run_both
from tests.browser.servers import Servers

REQUIRE = os.environ.get("CORSPROBE_BROWSER_TESTS", "") == "require"
VERIFIED = Path(__file__).resolve().parents[2] / "corsprobe" / "data" / "browser-verified.json"
_HERE = Path(__file__).resolve().parent
_state: dict[str, object] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mine = [item for item in items if _HERE in Path(str(item.path)).resolve().parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if find_chromium() is None and not REQUIRE:
        skip = pytest.mark.skip(reason="chromium is not installed (set CORSPROBE_BROWSER_TESTS=require "
                                       "to make this a failure)")
        for item in mine:
            item.add_marker(skip)


def pytest_collection_finish(session: pytest.Session) -> None:
    _state["collected"] = sum(
        1 for item in session.items if _HERE in Path(str(item.path)).resolve().parents
    )


@pytest.fixture(scope="session")
def browser_run() -> Iterator[Run]:
    if "error" in _state:  # a failed run is not retried for every case
        pytest.fail(f"the browser run failed: {_state['error']}")
    binary = find_chromium()
    if binary is None:
        pytest.fail("CORSPROBE_BROWSER_TESTS=require but chromium is not installed")
    cases = all_cases()
    try:
        with Servers(cases) as servers, FrameworkServers(servers):
            run = run_both(binary, servers, cases)
    except Exception as error:
        _state["error"] = f"{type(error).__name__}: {error}"
        raise
    _state["run"] = run
    dump = os.environ.get("CORSPROBE_BROWSER_DUMP")
    if dump:
        Path(dump).write_text(json.dumps(
            {"browser": {k: dataclasses.asdict(v) for k, v in run.browser.items()},
             "corsprobe": {k: dataclasses.asdict(v) for k, v in run.corsprobe.items()},
             "seconds": [run.browser_seconds, run.corsprobe_seconds]}, indent=1))
    yield run


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _HERE not in Path(report.fspath).resolve().parents and Path(report.fspath).resolve().parent != _HERE:
        return
    outcomes: dict[str, str] = _state.setdefault("outcomes", {})  # type: ignore[assignment]
    if report.failed:
        outcomes[report.nodeid] = "failed"
    elif report.when == "call" or report.skipped:
        kind = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        outcomes.setdefault(report.nodeid, kind)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Record the Chromium build when every case of the full grammar ran and none disagreed.

    Cases that xfail on a known runner gap (see test_differential.RUNNER_GAPS) are not counted.
    """
    run = _state.get("run")
    outcomes: dict[str, str] = _state.get("outcomes", {})  # type: ignore[assignment]
    if not isinstance(run, Run) or len(outcomes) != _state.get("collected"):
        return
    if any(kind not in ("passed", "xfailed") for kind in outcomes.values()):
        return
    main = {nodeid.rsplit("[", 1)[1][:-1]: kind for nodeid, kind in outcomes.items()
            if "::test_case_agrees_with_chromium[" in nodeid}
    if set(main) != set(run.browser):
        return  # a partial selection (-k) does not verify the whole grammar
    VERIFIED.parent.mkdir(exist_ok=True)
    VERIFIED.write_text(json.dumps({
        "chromium": run.chromium,
        "chromium_major": int(run.chromium.split(".", 1)[0]),
        "cases": sum(1 for kind in main.values() if kind == "passed"),
        "date": datetime.date.today().isoformat(),
    }, indent=2) + "\n")
