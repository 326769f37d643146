"""Output formats: one module per format, each ``render(results, options) -> str``. Pure.

The streaming formats (``STREAMING``: json, jsonl, junit) also have a ``Stream`` writer: ``begin()``,
then ``row(result)`` for each masked row in order, then ``end(tally)``; each returns the text to write
next, so a run writes rows as they complete and keeps none of them. Their ``render`` is the same
writer fed every row, so streamed and rendered output are the same text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from corsprobe.model import Result
from corsprobe.output.formats import FORMATS, STREAMING
from corsprobe.output.report import Tally
from corsprobe.output.secrets import Masker


@dataclass(frozen=True, slots=True)
class RenderOptions:
    verbose: bool = False
    color: bool = False
    masker: Masker = field(default_factory=Masker)
    width: int = 100  # the human formats' line width (the terminal's, else $COLUMNS, else 100)
    layout: str = "table"  # the human format's layout: 'table' (one row per probe) or 'steps'
    interrupted: bool = False  # the run was stopped by a signal: a partial report
    #: Table: a "readable:" line per allowed row (``check`` shows what the page's script may read).
    show_readable: bool = False


__all__ = ["FORMATS", "STREAMING", "RenderOptions", "Renderer", "StreamWriter", "renderer", "stream_writer"]

Renderer = Callable[[Sequence[Result], RenderOptions], str]


class StreamWriter(Protocol):
    """A format written row by row: what to write first, after each row, and at the end."""

    def begin(self) -> str: ...

    def row(self, result: Result) -> str: ...

    def end(self, tally: Tally) -> Iterable[str]: ...


def stream_writer(name: str, options: RenderOptions, spool: TextIO | None = None) -> StreamWriter:
    """The writer of streaming format ``name``; ``spool`` is a scratch text file for the parts that
    must wait for the end (JUnit's counts come before its testcases; default: in memory)."""
    if name == "json":
        from corsprobe.output.render import json_format

        return json_format.Stream(options)
    if name == "jsonl":
        from corsprobe.output.render import jsonl

        return jsonl.Stream(options)
    if name == "junit":
        from corsprobe.output.render import junit

        return junit.Stream(options, spool if spool is not None else io.StringIO())
    raise ValueError(f"{name!r} is not a streaming format; write one of {', '.join(STREAMING)}")


def renderer(name: str) -> Renderer:
    """The render function of format ``name`` (imported only when used)."""
    if name == "json":
        from corsprobe.output.render import json_format

        return json_format.render
    if name == "junit":
        from corsprobe.output.render import junit

        return junit.render
    if name == "jsonl":
        from corsprobe.output.render import jsonl

        return jsonl.render
    if name == "markdown":
        from corsprobe.output.render import markdown

        return markdown.render
    if name == "html":
        from corsprobe.output.render import html

        return html.render
    if name == "github":
        from corsprobe.output.render import github

        return github.render
    from corsprobe.output.render import table

    return table.render

