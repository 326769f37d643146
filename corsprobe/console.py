"""Where results go: stdout in the chosen format, side reports, the GitHub step summary and a
progress line on a terminal's stderr.

The terminal facts live in one ``Terminal`` value so tests never patch globals. Does I/O
(writes streams and report files); decides nothing about CORS.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from corsprobe.model import Result
from corsprobe.output.secrets import Masker, masker_for

PROGRESS_MIN_ROWS = 6
DEFAULT_WIDTH = 100
_BAR = 24


@dataclass(frozen=True, slots=True)
class Terminal:
    """What corsprobe needs to know about where it prints."""

    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]

    @classmethod
    def current(cls) -> Terminal:
        return cls(sys.stdout, sys.stderr, os.environ)

    def color(self, choice: str) -> bool:
        """--color, then NO_COLOR, FORCE_COLOR, TERM=dumb, then isatty."""
        if choice != "auto":
            return choice == "always"
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        if self.environ.get("TERM") == "dumb":
            return False
        return _isatty(self.stdout)

    def width(self) -> int:
        """The terminal's width, else $COLUMNS, else 100 (never below 20)."""
        if _isatty(self.stdout):
            try:
                return max(20, os.get_terminal_size(self.stdout.fileno()).columns)
            except (OSError, ValueError, AttributeError):
                pass
        columns = self.environ.get("COLUMNS", "")
        return max(20, int(columns)) if columns.isdigit() else DEFAULT_WIDTH


@dataclass(frozen=True, slots=True)
class Output:
    """The output choices of one command."""

    fmt: str = "table"
    verbose: bool = False
    color: str = "auto"
    secrets: frozenset[str] = field(default_factory=frozenset)
    report_junit: str | None = None
    report_json: str | None = None
    layout: str = "table"
    report_html: str | None = None
    show_readable: bool = False
    interrupted: bool = False  # SIGINT/SIGTERM stopped the run: the rows are the ones done
    report_jsonl: str | None = None

    def reports(self) -> list[tuple[str, str]]:
        """(path, format) of every --report-* file asked for."""
        return [(path, fmt) for path, fmt in ((self.report_junit, "junit"), (self.report_json, "json"),
                                              (self.report_jsonl, "jsonl"), (self.report_html, "html")) if path]


class Progress:
    """``[#####      ] 12/40  8.1 rows/s  ETA 4s`` on stderr, only when stderr is a terminal and the
    run is long. ``clock`` is injectable so tests never sleep."""

    def __init__(self, terminal: Terminal, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = terminal.stderr
        self.total = total
        self.done = 0
        self.clock = clock
        self.started = clock()
        self.enabled = total >= PROGRESS_MIN_ROWS and _isatty(self.stream)
        self.width = 0

    def __call__(self, _result: Result) -> None:
        if not self.enabled:
            return
        self.done += 1
        filled = _BAR * self.done // self.total
        line = f"[{'#' * filled}{' ' * (_BAR - filled)}] {self.done}/{self.total}"
        elapsed = self.clock() - self.started
        if elapsed > 0:
            rate = self.done / elapsed
            line += f"  {rate:.1f} rows/s"
            if self.done < self.total:
                line += f"  ETA {_duration((self.total - self.done) / rate)}"
        self.width = max(self.width, len(line))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


__all__ = ["Masker", "Output", "Progress", "Terminal", "emit", "masker_for", "write_file"]


def emit(results: Sequence[Result], output: Output, terminal: Terminal) -> None:
    """Write the chosen format to stdout, then the side reports and the step summary, for rows
    already in hand (a run writes its rows as they complete: ``sink.RowSink``).

    The results are masked first (``secrets.Masker.value``): no renderer sees a secret.
    """
    from corsprobe.sink import emit_all

    emit_all(results, output, terminal)


def write_file(path: str, text: str, append: bool = False) -> None:
    target = Path(path)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a" if append else "w", encoding="utf-8") as handle:
        handle.write(text)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
