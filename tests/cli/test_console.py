"""Terminal facts: colour precedence and the progress line (only on a terminal's stderr)."""

from __future__ import annotations

import io

import pytest

from corsprobe.console import PROGRESS_MIN_ROWS, Progress, Terminal
from corsprobe.model import Outcome, Probe, Result, Verdict


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


COLOR_CASES = [
    ("always-wins", "always", {"NO_COLOR": "1"}, False, True),
    ("never-wins", "never", {"FORCE_COLOR": "1"}, True, False),
    ("no-color", "auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ("empty-no-color-ignored", "auto", {"NO_COLOR": ""}, True, True),
    ("force-color", "auto", {"FORCE_COLOR": "1"}, False, True),
    ("dumb-term", "auto", {"TERM": "dumb"}, True, False),
    ("tty", "auto", {}, True, True),
    ("pipe", "auto", {}, False, False),
]


@pytest.mark.parametrize(("choice", "environ", "tty", "expected"), [c[1:] for c in COLOR_CASES],
                         ids=[c[0] for c in COLOR_CASES])
def test_color_precedence(choice: str, environ: dict[str, str], tty: bool, expected: bool) -> None:
    stdout = _Tty() if tty else io.StringIO()
    assert Terminal(stdout, io.StringIO(), environ).color(choice) is expected


def _result() -> Result:
    return Result(Probe("http://127.0.0.1/", "http://localhost"), Outcome(Verdict.ALLOWED))


def test_progress_on_terminal_stderr_only() -> None:
    tty, pipe = _Tty(), io.StringIO()
    for stream in (tty, pipe):
        progress = Progress(Terminal(io.StringIO(), stream, {}), PROGRESS_MIN_ROWS)
        for _ in range(PROGRESS_MIN_ROWS):
            progress(_result())
        progress.close()
    assert f"{PROGRESS_MIN_ROWS}/{PROGRESS_MIN_ROWS}" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_no_progress_for_short_runs() -> None:
    tty = _Tty()
    progress = Progress(Terminal(io.StringIO(), tty, {}), PROGRESS_MIN_ROWS - 1)
    progress(_result())
    progress.close()
    assert tty.getvalue() == ""


def test_progress_shows_rate_and_eta() -> None:
    tty = _Tty()
    ticks = iter([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    total = PROGRESS_MIN_ROWS + 2
    progress = Progress(Terminal(io.StringIO(), tty, {}), total, clock=lambda: next(ticks))
    for _ in range(2):
        progress(_result())
    assert tty.getvalue().endswith(f"2/{total}  1.0 rows/s  ETA {total - 2}s")
    progress.close()
