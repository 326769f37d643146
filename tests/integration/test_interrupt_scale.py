"""SIGINT and SIGTERM half-way through a 10,000-row run (a real ``python -m corsprobe run`` child, a real
signal, a fast keep-alive server on loopback): stdout's JSON, --report-json, --report-junit and
--report-jsonl are valid partial reports with ``"interrupted": true``, the exit is 130 or 143; and a
second signal ends a run whose probes hang at once, its reports still valid."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from tests.support.fastserver import fast_server

ROWS = 10_000
ROOT = Path(__file__).resolve().parents[2]
SCHEMA = xmlschema.XMLSchema(str(ROOT / "tests" / "formats" / "junit.xsd"))
PROGRESS_LIMIT = 60.0  # seconds to wait for the report to show progress
EXIT_LIMIT = 30.0


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with fast_server() as base:
        yield base


def _scenario(folder: Path, base: str, rows: int = ROWS) -> Path:
    path = folder / "many.toml"
    probes = "".join(f'[[probe]]\nname = "row {i}"\npath = "/items/{i}"\n\n' for i in range(rows))
    path.write_text(f'base_url = "{base}"\n\n[defaults]\norigin = "http://localhost:8080"\n\n{probes}')
    return path


class Child:
    """``corsprobe run`` of the scenario with every streaming report; stdout and stderr go to files."""

    def __init__(self, folder: Path, scenario: Path, *extra: str) -> None:
        self.folder = folder
        self.json, self.junit, self.jsonl = folder / "r.json", folder / "r.xml", folder / "r.jsonl"
        self.out, self.err = folder / "out.json", folder / "err.txt"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "corsprobe", "run", str(scenario), "--format", "json", "--concurrency", "8",
                 "--no-extra-probes", "--report-json", str(self.json), "--report-junit", str(self.junit),
                 "--report-jsonl", str(self.jsonl), *extra],
                stdout=out, stderr=err, cwd=ROOT, env={**os.environ, "NO_PROXY": "*"})

    def wait_for_rows(self, rows: int) -> int:
        """Poll the JSON-lines report (bounded) until it holds ``rows`` lines; return how many it holds."""
        seen = 0
        deadline = time.monotonic() + PROGRESS_LIMIT
        while not self.jsonl.exists() and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.1)
        with self.jsonl.open("rb") as lines:
            while seen < rows and time.monotonic() < deadline and self.process.poll() is None:
                seen += lines.read().count(b"\n")
                time.sleep(0.1)
        return seen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def _check_reports(child: Child, total: int = ROWS) -> int:
    """Every report is valid, partial and consistent; return the number of rows done."""
    document = json.loads(child.out.read_text())
    done = len(document["results"])
    assert 0 < done < total
    for report in (document, json.loads(child.json.read_text())):
        assert len(report["results"]) == done
        _check_summary(report["summary"], report["results"])
    assert [r["name"] for r in document["results"]] == [f"row {i}" for i in range(done)]  # job order, no gap
    lines = [json.loads(line) for line in child.jsonl.read_text().splitlines()]
    rows, last = lines[:-1], lines[-1]
    assert last["kind"] == "summary"
    assert [r["kind"] for r in rows] == ["row"] * done
    assert [r["row"] for r in rows] == list(range(1, done + 1))
    _check_summary(last["summary"], rows)
    xml = child.junit.read_text()
    SCHEMA.validate(xml)
    assert xml.count("<testcase ") == done
    assert f'<testsuites name="corsprobe" tests="{done}"' in xml
    return done


def _check_summary(summary: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    assert summary["interrupted"] is True
    assert summary["total"] == len(rows) == sum(summary["verdicts"].values())
    for verdict, count in summary["verdicts"].items():
        assert count == sum(1 for r in rows if r["verdict"] == verdict)


@pytest.mark.parametrize(("number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_half_way_leaves_valid_partial_reports(server: str, tmp_path: Path, number: int,
                                                      status: int) -> None:
    child = Child(tmp_path, _scenario(tmp_path, server))
    try:
        assert child.wait_for_rows(ROWS // 2) >= ROWS // 2, child.err.read_text()
        child.process.send_signal(number)
        child.process.wait(timeout=EXIT_LIMIT)
    finally:
        child.stop()
    assert child.process.returncode == status, child.err.read_text()
    assert ROWS // 2 <= _check_reports(child) < ROWS
    assert "interrupted; finishing the probes in flight" in child.err.read_text()


def test_a_second_signal_ends_at_once(tmp_path: Path) -> None:
    """The server stops answering after 200 requests: the probes in flight hang (--timeout 60); the first
    SIGINT waits for them, the second ends the run at once with the rows done so far written."""
    with fast_server(hang_after=200) as base:
        child = Child(tmp_path, _scenario(tmp_path, base), "--timeout", "60")
        try:
            # One request per row: once 200 rows are done, the next 8 probes are in flight, unanswered.
            assert child.wait_for_rows(200) == 200, child.err.read_text()
            child.process.send_signal(signal.SIGINT)
            time.sleep(0.5)
            assert child.process.poll() is None  # still waiting for the probes in flight
            child.process.send_signal(signal.SIGINT)
            child.process.wait(timeout=EXIT_LIMIT)  # well before the hung probes' 60 s timeout
        finally:
            child.stop()
    assert child.process.returncode == 130, child.err.read_text()
    assert _check_reports(child) == 200


def test_a_signal_during_browser_all_leaves_complete_rows(server: str, tmp_path: Path) -> None:
    """`--browser all` streams its rows: a SIGINT part-way leaves valid partial reports whose every row
    carries all three engines (a row in flight ends under each), in job order without a gap."""
    rows = 3_000
    child = Child(tmp_path, _scenario(tmp_path, server, rows), "--browser", "all")
    try:
        assert child.wait_for_rows(300) >= 300, child.err.read_text()
        child.process.send_signal(signal.SIGINT)
        child.process.wait(timeout=EXIT_LIMIT)
    finally:
        child.stop()
    assert child.process.returncode == 130, child.err.read_text()
    done = _check_reports(child, rows)
    assert done >= 300
    results = json.loads(child.out.read_text())["results"]
    assert all(list(r["browsers"]) == ["chromium", "firefox", "webkit"] for r in results)
