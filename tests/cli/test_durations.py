"""Results carry how long each probe took on the wire: JUnit's testcase/testsuite ``time`` and JSON's
``duration_ms`` are real (a server that answers after 200 ms shows at least that)."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.support.rawserver import RawServer, Received, response

APP = "https://app.example.com"
DELAY = 0.2


@pytest.fixture
def slow() -> Iterator[RawServer]:
    def handle(request: Received) -> bytes:
        time.sleep(DELAY)
        return response(200, [("Access-Control-Allow-Origin", APP)], b"{}")
    with RawServer(handle) as server:
        yield server


def test_junit_time_and_json_duration_are_measured(slow: RawServer, tmp_path: Path) -> None:
    junit = tmp_path / "r.xml"
    result = CliRunner().invoke(main, ["check", slow.url("/x"), "--origin", APP, "--format", "json",
                                       "--report-junit", str(junit), "--no-extra-probes"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["results"]
    assert DELAY * 1000 <= row["duration_ms"] < 10_000
    case = ET.parse(junit).getroot().find(".//testcase")
    assert case is not None and DELAY <= float(case.get("time", "0")) < 10
    suite = ET.parse(junit).getroot().find(".//testsuite")
    assert suite is not None and float(suite.get("time", "0")) >= DELAY
