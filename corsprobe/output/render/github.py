"""GitHub Actions workflow commands: an ``::error`` annotation per row that failed its
expectation or could not be probed, a ``::warning`` per row with warnings only, then a plain
summary line; ``step_summary`` is the Markdown for ``$GITHUB_STEP_SUMMARY``. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.model import Result, Verdict
from corsprobe.output.render import RenderOptions, markdown
from corsprobe.output.render.junit import split_source
from corsprobe.output.view import Row


def render(results: Sequence[Result], options: RenderOptions) -> str:
    lines = [line for result in results if (line := annotation(Row.of(result), options))]
    lines.append(f"corsprobe: {markdown.summary_text(results)}")
    return "\n".join(lines) + "\n"


def step_summary(results: Sequence[Result], options: RenderOptions) -> str:
    """The Markdown report to append to ``$GITHUB_STEP_SUMMARY``."""
    return markdown.render(results, options)


def annotation(row: Row, options: RenderOptions) -> str | None:
    """The workflow command for one row, or None when the row needs none."""
    result = row.result
    verdict = result.outcome.verdict
    errored = verdict is Verdict.ERROR and result.passed is not True
    warnings = row.warnings()
    if result.passed is False or errored:
        level, title = "error", f"CORS {verdict.value}: {row.name}"
        lines = [row.expectation_note(), row.explanation(), *_fix(row)]
    elif warnings:
        level, title = "warning", f"CORS warning: {row.name}"
        lines = [text for _, text in warnings]
    else:
        return None
    if level == "error":
        lines += [f"Warning: {text}" for _, text in warnings]
    path, number = split_source(result.source)
    properties = [("file", path), ("line", None if number is None else str(number)), ("title", title)]
    mask = options.masker.text
    rendered = ",".join(f"{name}={escape_property(mask(value))}" for name, value in properties if value)
    message = "\n".join(text for text in lines if text)
    return f"::{level} {rendered}::{escape_data(mask(message))}"


def escape_data(text: str) -> str:
    """A command's message, escaped as @actions/core does (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _fix(row: Row) -> list[str]:
    return [line[0].upper() + line[1:] for line in row.fix_block()]
