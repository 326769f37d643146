"""Output formats: one module per format, each ``render(results, options) -> str``. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from corsprobe.model import Result
from corsprobe.output.formats import FORMATS
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


__all__ = ["FORMATS", "RenderOptions", "Renderer", "renderer"]

Renderer = Callable[[Sequence[Result], RenderOptions], str]


def renderer(name: str) -> Renderer:
    """The render function of format ``name`` (imported only when used)."""
    if name == "json":
        from corsprobe.output.render import json_format

        return json_format.render
    if name == "junit":
        from corsprobe.output.render import junit

        return junit.render
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

