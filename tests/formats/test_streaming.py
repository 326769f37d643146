"""The streaming formats (JSON, JSON lines, JUnit) written row by row by ``sink.RowSink``: rows arriving
in any order come out in the jobs' order, as the same text ``render`` gives; each row's own secrets
are masked without knowing them up front; JUnit stays schema-valid; and memory does not grow with
the number of rows (tracemalloc, through the real runner on a mock transport)."""

from __future__ import annotations

import asyncio
import io
import json
import random
import tracemalloc
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import xmlschema

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.console import Output, Terminal
from corsprobe.model import Job, Probe, Result
from corsprobe.output.render import STREAMING, RenderOptions, renderer
from corsprobe.output.secrets import masker_for
from corsprobe.runner import RunPolicy, run_jobs
from corsprobe.sink import RowSink
from tests.formats import rows
from tests.formats.test_masking import KINDS, SECRET, _leaks

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).with_name("junit.xsd")))


def _many() -> list[Result]:
    """Every kind of row, several times over, named apart; two scenario files interleaved."""
    out = []
    for i in range(5):
        for j, result in enumerate(rows.every_kind()):
            source = f"scenarios/{'ab'[j % 2]}.toml:{i * 10 + j}"
            out.append(replace(result, probe=replace(result.probe, name=f"row {i}.{j}"), source=source))
    return out


def _sink(tmp_path: Path, fmt: str, results: list[Result], order: list[int], **output: object) -> tuple[str, Path]:
    stdout = io.StringIO()
    report = tmp_path / "report"
    sink = RowSink(Output(fmt=fmt, **{f"report_{fmt}": str(report)}, **output),  # type: ignore[arg-type]
                   Terminal(stdout, io.StringIO(), {}))
    sink.open()
    for index in order:
        sink.add(index, results[index])
    sink.close()
    return stdout.getvalue(), report


def _shuffled(count: int, window: int) -> list[int]:
    """Each index at most ``window`` places from its own, as ``window`` workers would finish them."""
    rng = random.Random(7)
    return sorted(range(count), key=lambda i: i + rng.uniform(0, window))


@pytest.mark.parametrize("fmt", STREAMING)
@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_rows_in_any_order_give_the_rendered_text(fmt: str, verbose: bool, tmp_path: Path) -> None:
    results = _many()
    masker = masker_for(results)
    expected = renderer(fmt)([masker.value(r) for r in results], RenderOptions(verbose=verbose, masker=masker))
    stdout, report = _sink(tmp_path, fmt, results, _shuffled(len(results), 8), verbose=verbose)
    assert stdout == expected
    assert report.read_text() == expected


def test_junit_streamed_is_valid_and_grouped_by_file(tmp_path: Path) -> None:
    stdout, _ = _sink(tmp_path, "junit", _many(), _shuffled(40, 8))
    SCHEMA.validate(stdout)
    assert stdout.count("<testsuite ") == 2
    assert stdout.count("<testcase ") == 40


def test_jsonl_is_one_object_per_line_then_the_summary(tmp_path: Path) -> None:
    stdout, _ = _sink(tmp_path, "jsonl", _many(), list(range(40)))
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [line["row"] for line in lines[:-1]] == list(range(1, 41))
    assert lines[-1]["kind"] == "summary" and lines[-1]["summary"]["total"] == 40
    assert lines[-1]["summary"]["interrupted"] is False


def test_a_cut_run_says_interrupted(tmp_path: Path) -> None:
    stdout = io.StringIO()
    sink = RowSink(Output(fmt="json"), Terminal(stdout, io.StringIO(), {})).open()
    results = _many()
    for index in (0, 1, 3):  # row 2 never came (a second signal dropped it): 3 still goes out
        sink.add(index, results[index])
    assert len(sink.pending) == 1
    tally = sink.close(interrupted=True)
    document = json.loads(stdout.getvalue())
    assert [r["name"] for r in document["results"]] == ["row 0.0", "row 0.1", "row 0.3"]
    assert document["summary"]["interrupted"] is True and tally.total == 3


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("fmt", STREAMING)
def test_each_row_is_masked_with_its_own_secrets(kind: str, fmt: str, tmp_path: Path) -> None:
    """Nothing is known up front (a run's rows are not in hand): a row's secrets are found in the row."""
    results, declared = KINDS[kind](SECRET)
    stdout, report = _sink(tmp_path, fmt, results * 2, [1, 0], verbose=True, secrets=frozenset(declared))
    assert _leaks(SECRET, {"stdout": stdout, "report": report.read_text()}) == []


def _peak(count: int, tmp_path: Path) -> tuple[int, int]:
    """Traced peak bytes of running ``count`` jobs (mock transport, 8 in flight) into every streaming
    report, and the most rows that ever waited for an earlier one."""
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "OPTIONS":
            return httpx.Response(204, headers={"Access-Control-Allow-Origin": "*",
                                                "Access-Control-Allow-Headers": "x-token"})
        return httpx.Response(200, headers={"Access-Control-Allow-Origin": "*", "X-Row": request.url.path},
                              content=b"x" * 200)

    # 16 URLs: the pure per-URL parsing caches are bounded (lru, 4,096 entries) but would fill here
    jobs = (Job(Probe(f"http://api.test/items/{i % 16}", "http://app.test", headers=(("X-Token", f"{i}"),) * (i % 2),
                      name=f"row {i}")) for i in range(count))
    output = Output(fmt="jsonl", report_json=str(tmp_path / "r.json"), report_junit=str(tmp_path / "r.xml"),
                    report_jsonl=str(tmp_path / "r.jsonl"), verbose=True)
    sink = RowSink(output, Terminal(io.StringIO(), io.StringIO(), {}))
    waiting = 0

    def on_row(index: int, result: Result) -> None:
        nonlocal waiting
        sink.add(index, result)
        waiting = max(waiting, len(sink.pending))
        sink.terminal.stdout.seek(0)
        sink.terminal.stdout.truncate()  # stdout is a terminal here: what went out is gone

    async def main() -> None:
        async def latency(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(random.random() / 1000)
            return answer(request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(latency)) as client:
            await run_jobs(client, jobs, RunPolicy(CHROMIUM, concurrency=8), on_row=on_row, keep=False)

    tracemalloc.start()
    try:
        sink.open()
        asyncio.run(main())
        sink.close()
        return tracemalloc.get_traced_memory()[1], waiting
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    small, _ = _peak(100, tmp_path)
    large, waiting = _peak(700, tmp_path)
    assert waiting <= 8
    # Kept rows cost about 2 KB each here (600 more: 1.2 MB, measured by keeping them); streamed, the
    # difference is noise (0-200 KB: garbage awaiting the cycle collector).
    assert large - small < 600_000, (small, large)
    assert (tmp_path / "r.xml").read_text().count("<testcase ") == 700


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_broken_stdout_leaves_the_reports_whole(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    sink = RowSink(Output(fmt="jsonl", report_json=str(report)), Terminal(_ClosedPipe(), io.StringIO(), {})).open()
    for index, result in enumerate(_many()):
        sink.add(index, result)
    with pytest.raises(BrokenPipeError):
        sink.close()
    assert len(json.loads(report.read_text())["results"]) == 40
