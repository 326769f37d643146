"""Where a run's rows go while it runs.

The streaming formats (JSON, JSON lines, JUnit: ``render.STREAMING``) are written row by row as rows
complete, in the jobs' order, to stdout and to their ``--report-*`` files, and no row is kept for
them: a row that completes before an earlier one waits in a buffer (at most the probes in flight).
JUnit's testcases wait in a scratch file, since its counts come first. The other formats (table,
markdown, html, github) collect the rows and are written at the end. The summary and the exit
status are counted as rows go by (``report.Tally``).

Every row is masked (``secrets.Masker.value``) before a writer sees it: with the secrets known at
the start (declared ones, those in the jobs) and the row's own. Does I/O (streams, files).
"""

from __future__ import annotations

import contextlib
import errno
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from corsprobe.console import Output, Terminal, write_file
from corsprobe.model import Result
from corsprobe.output.render import STREAMING, RenderOptions, StreamWriter, renderer, stream_writer
from corsprobe.output.report import Tally
from corsprobe.output.secrets import Masker, masker_for, secrets_in


@dataclass(frozen=True, slots=True)
class _Target:
    """One place a streaming format goes: stdout or a report file."""

    stream: TextIO
    writer: StreamWriter

    def write(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()

_SEEN_MAX = 50_000  # strings and answers remembered as looked at for secrets (bounded, not per row)


class RowSink:
    """Takes rows as ``add(index, result)`` in any order; ``close`` ends every output."""

    def __init__(self, output: Output, terminal: Terminal, known: Iterable[str] = (),
                 on_closed: Callable[[], None] | None = None) -> None:
        self.output = output
        self.terminal = terminal
        self.known = frozenset({*known, *output.secrets})
        self.masker = Masker.of(self.known)
        self._seen: set[object] = set()
        self.tally = Tally()
        self.pending: dict[int, Result] = {}
        self.next = 0
        collect = output.fmt not in STREAMING or bool(output.report_html)
        self.collected: list[Result] | None = [] if collect else None
        self.targets: list[_Target] = []
        self.scratch = contextlib.ExitStack()
        self.error: OSError | None = None
        self.stdout_closed = False  # stdout's reader went away (a closed pipe): not an error of a report
        self.on_closed = on_closed  # told when stdout closed and nothing else is written: the run can stop

    def open(self) -> RowSink:
        """Open stdout's and every report file's writer and write their beginnings (OSError: a
        report cannot be written; nothing was sent yet)."""
        plain = RenderOptions(verbose=self.output.verbose, masker=self.masker)
        try:
            for path, fmt in self.output.reports():
                if fmt in STREAMING:
                    self.targets.append(self._target(self.scratch.enter_context(_open(path)), fmt, plain))
        except OSError:
            self.scratch.close()
            raise
        if self.output.fmt in STREAMING:
            options = RenderOptions(verbose=self.output.verbose, masker=self.masker, width=self.terminal.width(),
                                    layout=self.output.layout, show_readable=self.output.show_readable)
            self.targets.insert(0, self._target(self.terminal.stdout, self.output.fmt, options))
        return self

    def add(self, index: int, result: Result) -> None:
        """Row ``index`` (counted from 0 in the jobs' order) is done: write it and every row after it that is done."""
        self.pending[index] = result
        while self.next in self.pending:
            self._write(self.pending.pop(self.next))
            self.next += 1

    def close(self, interrupted: bool = False) -> Tally:
        """Write what is left (rows after a gap a second signal left, in order), the ends, then the
        collected formats. Raises the first OSError met while writing."""
        for index in sorted(self.pending):
            self._write(self.pending.pop(index))
        self.tally.interrupted = interrupted
        try:
            for target in list(self.targets):
                self._each(target, self._end)
        finally:
            self.scratch.close()  # the report files and the spools
        if self.error is not None:
            raise self.error
        if self.collected is not None:
            self._write_collected(self.collected, interrupted)
        if self.stdout_closed:  # every report was written; the command ends as a closed pipe does
            raise BrokenPipeError(errno.EPIPE, "stdout was closed")
        return self.tally

    def _target(self, stream: TextIO, fmt: str, options: RenderOptions) -> _Target:
        spool = self.scratch.enter_context(_spool()) if fmt == "junit" else None
        target = _Target(stream, stream_writer(fmt, options, spool))
        target.write(target.writer.begin())
        return target

    def _write(self, result: Result) -> None:
        self.tally.add(result)
        if self.collected is not None:
            self.collected.append(result)
        if not self.targets:
            return
        masked = self._row_masker(result).value(result)
        for target in list(self.targets):
            self._each(target, lambda t: t.write(t.writer.row(masked)))

    def _end(self, target: _Target) -> None:
        for part in target.writer.end(self.tally):
            target.write(part)

    def _each(self, target: _Target, write: Callable[[_Target], None]) -> None:
        """Write to one target; one that fails (disk full, a closed pipe) is left out from then on, the
        others go on, and the first error is raised at the end."""
        try:
            write(target)
        except OSError as error:
            self.targets.remove(target)
            if target.stream is not self.terminal.stdout or error.errno != errno.EPIPE:
                self.error = self.error or error
                return
            self.stdout_closed = True
            if not self.targets and self.collected is None and self.on_closed is not None:
                self.on_closed()  # nobody reads any more: no need to send the rest

    def _row_masker(self, result: Result) -> Masker:
        """The secrets known so far (declared, and every earlier row's) plus this row's own: a secret found
        once stays masked in every later row, so what an earlier row showed need not be looked at again."""
        if len(self._seen) > _SEEN_MAX:
            self._seen.clear()
        own = secrets_in([result], self._seen) - self.known
        if own:
            self.known = self.known | own
            self.masker = self.masker.with_values(own)
        return self.masker

    def _write_collected(self, results: list[Result], interrupted: bool) -> None:
        output, terminal = self.output, self.terminal
        masker = masker_for(results, output.secrets)
        results = [masker.value(result) for result in results]
        if output.fmt not in STREAMING:
            color = output.fmt == "table" and terminal.color(output.color)
            options = RenderOptions(verbose=output.verbose, color=color, masker=masker, width=terminal.width(),
                                    layout=output.layout, show_readable=output.show_readable,
                                    interrupted=interrupted)
            try:
                _write_all(terminal.stdout, renderer(output.fmt)(results, options))
            except OSError as error:  # a closed pipe: the report files are still written
                if error.errno != errno.EPIPE:
                    raise
                self.stdout_closed = True
        plain = RenderOptions(verbose=output.verbose, color=False, masker=masker, interrupted=interrupted)
        for path, fmt in output.reports():
            if fmt not in STREAMING:
                write_file(path, renderer(fmt)(results, plain))
        summary_path = terminal.environ.get("GITHUB_STEP_SUMMARY")
        if output.fmt == "github" and summary_path:
            from corsprobe.output.render import github

            write_file(summary_path, github.step_summary(results, plain), append=True)


def _write_all(stream: TextIO, text: str, piece: int = 1 << 16) -> None:
    """``text`` in pieces: one big write to a pipe whose reader goes away can end part-way without an
    error (the buffered writer reports the partial write), so the closed pipe would go unnoticed."""
    for start in range(0, len(text), piece):
        stream.write(text[start:start + piece])
        stream.flush()


def _spool() -> TextIO:
    return tempfile.TemporaryFile("w+", encoding="utf-8")


def _open(path: str) -> TextIO:
    target = Path(path)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    return target.open("w", encoding="utf-8")


def emit_all(results: Iterable[Result], output: Output, terminal: Terminal) -> Tally:
    """Every result at once (``console.emit``): masked with the secrets of all of them, as one run's rows."""
    kept = list(results)
    sink = RowSink(output, terminal, secrets_in(kept)).open()
    for index, result in enumerate(kept):
        sink.add(index, result)
    return sink.close(output.interrupted)
