"""The README's examples run as written: its Python sessions (doctest), its pytest-plugin example,
its `corsprobe demo` output, and every `corsprobe …` command line parses with the real CLI.

Runs the demo API on a 127.0.0.1 ephemeral port; the README's port 8000 is replaced by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import doctest
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from corsprobe import demo
from corsprobe.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README) if lang == language]


@pytest.fixture(scope="module")
def demo_port() -> Iterator[int]:
    """The demo API in a thread of its own, for the whole module; stopped at the end."""
    ready: list[str] = []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def serve() -> None:
        async with demo.serve() as base:
            ready.append(base)
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    for _ in range(200):  # bounded: at most 10 s
        if ready:
            break
        thread.join(0.05)
    assert ready, "the demo API did not start"
    yield int(ready[0].rsplit(":", 1)[1])
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
    loop.close()


def _on(port: int, text: str) -> str:
    return text.replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def test_the_readme_has_the_examples_this_module_runs() -> None:
    assert [b for b in blocks("python") if ">>>" in b], "no Python session in the README"
    assert [b for b in blocks("python") if "def test_" in b], "no pytest-plugin example in the README"
    assert "Output of `corsprobe demo`" in README


@pytest.mark.parametrize("index", range(len([b for b in blocks("python") if ">>>" in b])))
def test_python_sessions_print_what_the_readme_shows(index: int, demo_port: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    session = [b for b in blocks("python") if ">>>" in b][index]
    test = doctest.DocTestParser().get_doctest(_on(demo_port, session), {}, f"README session {index}", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_pytest_plugin_example_passes_against_the_demo(demo_port: int, tmp_path: Path) -> None:
    [example] = [b for b in blocks("python") if "def test_" in b]
    (tmp_path / "test_readme_plugin.py").write_text(_on(demo_port, example), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_readme_plugin.py",
         "--corsprobe-base-url", f"http://127.0.0.1:{demo_port}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "2 passed" in completed.stdout


def test_demo_output_is_what_the_readme_shows() -> None:
    after = README.split("Output of `corsprobe demo`", 1)[1]
    shown = FENCE.search(after)
    assert shown is not None
    completed = subprocess.run([sys.executable, "-m", "corsprobe", "demo", "--color", "never"], cwd=ROOT,
                               capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin",
                                                                                  "PYTHONPATH": str(ROOT)})
    assert completed.returncode == 0, completed.stderr
    actual = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", completed.stdout)
    assert [line.rstrip() for line in actual.splitlines()] == [line.rstrip() for line in shown.group(2).splitlines()]


def _command_lines() -> list[str]:
    """Each `corsprobe …` command of the README's sh blocks (a quoted argument may span lines)."""
    lines = []
    for block in blocks("sh"):
        pending = ""
        for line in block.replace("\\\n", " ").splitlines():
            if not pending:
                line = line.split(" # ", 1)[0]
            pending = f"{pending}\n{line}" if pending else line
            try:
                shlex.split(pending)
            except ValueError:  # an open quote: the command goes on on the next line
                continue
            for part in pending.split("&&"):
                if part.strip().startswith("corsprobe "):
                    lines.append(part.strip())
            pending = ""
    return lines


@pytest.mark.parametrize("line", _command_lines())
def test_every_shell_example_parses(line: str) -> None:
    args = shlex.split(line)[1:]
    group_ctx = main.make_context("corsprobe", list(args), resilient_parsing=True)
    command = main.get_command(group_ctx, args[0])
    assert command is not None, f"no command {args[0]!r}"
    with contextlib.suppress(click.exceptions.Exit):
        command.make_context(args[0], args[1:])  # raises UsageError on an unknown option or a bad value
