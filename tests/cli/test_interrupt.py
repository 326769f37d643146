"""SIGINT and SIGTERM half-way through a real run (a subprocess, a real signal): no new sends,
the rows done so far go to stdout and to --report-json / --report-junit, exit 130 or 143."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.support.rawserver import RawServer, Received, response

ROWS = 400


def slow(req: Received) -> bytes:
    time.sleep(0.05)
    return response(200, [("Access-Control-Allow-Origin", "*")], b"ok")


@pytest.mark.parametrize(("number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_leaves_partial_reports(tmp_path: Path, number: int, status: int) -> None:
    with RawServer(slow) as server:
        scenario = tmp_path / "many.toml"
        probes = "".join(f'[[probe]]\nname = "p{i}"\nurl = "{server.url(f"/r{i}")}"\n\n' for i in range(ROWS))
        scenario.write_text(f'[defaults]\norigin = "http://localhost:8080"\n\n{probes}')
        json_report, junit_report = tmp_path / "r.json", tmp_path / "r.xml"
        child = subprocess.Popen(
            [sys.executable, "-m", "corsprobe", "run", str(scenario), "--format", "json", "--concurrency", "4",
             "--report-json", str(json_report), "--report-junit", str(junit_report)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parents[2],
            env={**os.environ, "NO_PROXY": "*"})
        try:
            deadline = time.monotonic() + 20
            while len(server.log) < 20 and time.monotonic() < deadline:
                time.sleep(0.05)
            child.send_signal(number)
            out, err = child.communicate(timeout=20)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=5)
        seen_at_signal_end = len(server.log)
    assert child.returncode == status, err.decode()
    document = json.loads(out)
    done = len(document["results"])
    assert 0 < done < ROWS
    assert seen_at_signal_end < ROWS
    assert document["summary"]["interrupted"] is True
    assert len(json.loads(json_report.read_text())["results"]) == done
    assert json.loads(json_report.read_text())["summary"]["interrupted"] is True
    assert len(list(ET.parse(junit_report).getroot().iter("testcase"))) == done
