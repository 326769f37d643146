"""A reader that closes stdout part-way (``corsprobe run … | head``): the run ends quietly with 141 (128 +
SIGPIPE, what a shell reports), no traceback or message on stderr; with nothing else to write, no more
requests are sent; report files are still written whole. Real subprocesses, a real pipe, a loopback server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.rawserver import RawServer, Received, response

ROWS = 2000


def _allow(received: Received) -> bytes:
    return response(200, [("Access-Control-Allow-Origin", "*")], b"ok")


def _scenarios(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "many.toml"
    path.write_text(f'base_url = "{base}"\n' + "".join(
        f'[[probe]]\nname = "row {i}"\npath = "/r{i}"\norigin = "https://app.example.com"\n' for i in range(ROWS)))
    return path


def _run_and_close(args: list[str], keep: int = 300) -> tuple[int, str]:
    """Start corsprobe, read ``keep`` bytes of its stdout, close the pipe, wait."""
    child = subprocess.Popen([sys.executable, "-m", "corsprobe", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(keep)
    child.stdout.close()
    try:
        _out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, err.decode("utf-8", "replace")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "junit", "table", "markdown"])
def test_a_closed_stdout_ends_the_run_quietly(tmp_path: Path, fmt: str) -> None:
    with RawServer(_allow) as server:
        code, err = _run_and_close(["run", str(_scenarios(tmp_path, server.origin)), "--format", fmt,
                                    "--concurrency", "4"])
        sent = len(server.log)
    assert code == 141, err
    assert err == "", err  # no traceback, no "Broken pipe", no "Exception ignored"
    if fmt in ("json", "jsonl"):  # streamed: the run stops once nobody reads (at most the rows in flight more)
        assert sent < ROWS, sent


def test_report_files_are_still_written_whole(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.json"
    with RawServer(_allow) as server:
        code, err = _run_and_close(["run", str(_scenarios(tmp_path, server.origin)), "--format", "jsonl",
                                    "--report-json", str(report)])
        sent = len(server.log)
    assert code == 141, err
    assert err == "", err
    document = json.loads(report.read_text())
    assert len(document["results"]) == ROWS and sent == ROWS
    assert document["summary"]["total"] == ROWS
