"""Fitting text to a terminal width: a table whose columns are dropped or shortened by priority and
whose last column wraps at word boundaries, and wrapped note lines. No line is wider than the width.

Pure; returns strings. Widths count characters (the table's cells are ASCII but for names, origins
and reasons, which are shortened or wrapped, never overflowed). Colour is applied after layout.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SEPARATOR = "  "
MIN_WRAPPED = 44  # narrower than this, the last column goes under each row instead
ELLIPSIS = "…"
DEFAULT_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, whether it may be dropped (lower ``drop`` goes first) or shortened."""

    header: str
    drop: int | None = None  # None: never dropped
    shrink_to: int | None = None  # may be cut to this many characters (with an ellipsis)


Paint = Callable[[int, int, str], str]  # (row, column, padded cell) -> the cell with colour codes


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, paint: Paint | None = None) -> str:
    """A 'simple' table (header, dashes, rows) no wider than ``width``.

    The last column wraps in the width left when at least ``MIN_WRAPPED`` characters are left
    (after shortening what may be shortened); otherwise it goes under each row, indented, at the
    full width, and the other columns are shortened, then dropped by priority, until they fit.
    """
    keep = list(range(len(columns)))
    cut: dict[int, int] = {}
    widths = _shrunk(columns, rows, keep, cut, width, inline=True)
    fixed = _span(widths, keep[:-1])
    natural = widths[keep[-1]]
    if width - fixed - len(SEPARATOR) >= min(natural, MIN_WRAPPED):
        return "\n".join(_inline(columns, rows, keep, widths, width - fixed - len(SEPARATOR), paint))
    keep = keep[:-1]
    widths = _shrunk(columns, rows, keep, {}, width, inline=False)
    while _span(widths, keep) > width:
        droppable = sorted((columns[i].drop, i) for i in keep if columns[i].drop is not None)
        if not droppable:
            return "\n".join(_vertical(columns, rows, width))
        keep.remove(droppable[0][1])
        widths = _shrunk(columns, rows, keep, {}, width, inline=False)
    return "\n".join(_below(columns, rows, keep, widths, width, paint))


def _shrunk(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int], cut: dict[int, int],
            width: int, inline: bool) -> list[int]:
    """Column widths after cutting the shrinkable ones (widest first) as far as needed and allowed."""
    while True:
        widths = _widths(columns, rows, keep, cut)
        shown = keep[:-1] if inline else keep
        budget = width - (len(SEPARATOR) + min(widths[keep[-1]], MIN_WRAPPED) if inline else 0)
        over = _span(widths, shown) - budget
        shrinkable = [i for i in shown if columns[i].shrink_to is not None and widths[i] > (columns[i].shrink_to or 0)]
        if over <= 0 or not shrinkable:
            return widths
        i = max(shrinkable, key=lambda c: widths[c])
        cut[i] = max(columns[i].shrink_to or 1, widths[i] - over)


def _span(widths: Sequence[int], keep: Sequence[int]) -> int:
    return sum(widths[i] for i in keep) + len(SEPARATOR) * max(len(keep) - 1, 0)


def _head(columns: Sequence[Column], keep: Sequence[int], widths: Sequence[int]) -> list[str]:
    return [_line([_pad(columns[i].header, widths[i]) for i in keep]), _line(["-" * widths[i] for i in keep])]


def _cells(row: Sequence[str], keep: Sequence[int], widths: Sequence[int], r: int, paint: Paint | None) -> list[str]:
    cells = []
    for i in keep:
        padded = _pad(row[i], widths[i])
        cells.append(paint(r, i, padded) if paint is not None and row[i] else padded)
    return cells


def _inline(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int], widths: list[int],
            last_width: int, paint: Paint | None) -> list[str]:
    last, shown = keep[-1], keep[:-1]
    last_width = min(last_width, widths[last])
    lines = _head(columns, keep, [*widths[:last], last_width, *widths[last + 1:]])
    blank = [" " * widths[i] for i in shown]
    for r, row in enumerate(rows):
        for k, piece in enumerate(wrap(row[last], last_width) or [""]):
            lines.append(_line([*(_cells(row, shown, widths, r, paint) if k == 0 else blank), piece]))
    return lines


def _below(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int], widths: list[int],
           width: int, paint: Paint | None) -> list[str]:
    lines = _head(columns, keep, widths)
    last = len(columns) - 1
    for r, row in enumerate(rows):
        lines.append(_line(_cells(row, keep, widths, r, paint)))
        lines += wrap(row[last], width, "    ", "    ")
    return lines


def wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """``text`` wrapped at word boundaries (a word longer than the width is split) to ``width``,
    the first line prefixed by ``first``, the others by ``indent``."""
    indent = indent if len(indent) <= width // 2 else ""
    if len(first) > width // 2:  # a long prefix goes on lines of its own
        return [*wrap(first.rstrip(), width, indent), *wrap(text, width, indent, indent)]
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += textwrap.wrap(paragraph, width, initial_indent=first if not out else indent,
                             subsequent_indent=indent, break_long_words=True, break_on_hyphens=False,
                             drop_whitespace=True) or [first.rstrip() if not out else ""]
    return out


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int],
            cut: dict[int, int]) -> list[int]:
    widths = [len(c.header) for c in columns]
    for row in rows:
        for i in keep:
            widths[i] = max(widths[i], len(row[i]))
    for i, limit in cut.items():
        widths[i] = max(len(columns[i].header) if len(columns[i].header) <= limit else limit, min(widths[i], limit))
    return widths


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def _pad(text: str, width: int) -> str:
    text = _shorten(text, width)
    return text + " " * (width - len(text))


def _line(cells: Sequence[str]) -> str:
    return SEPARATOR.join(cells).rstrip()


def _vertical(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Too narrow for any table: each row as 'header: value' lines."""
    lines: list[str] = []
    for row in rows:
        for column, cell in zip(columns, row, strict=True):
            lines += wrap(cell, width, indent="  ", first=f"{column.header}: ")
        lines.append("")
    return lines[:-1]


def wrap_code(code: str, width: int, prompt: str = "", continuation: str = "", indent: str = "    ") -> list[str]:
    """A command or a line of JavaScript broken only at spaces outside quotes, so that it still pastes:
    ``continuation`` (e.g. a shell's backslash) ends every line but the last. A token longer than a
    whole line is split where the width ends."""
    tokens, current, quote = [], "", ""
    for char in code:
        if quote:
            quote = "" if char == quote and not current.endswith("\\") else quote
        elif char in "'\"":
            quote = char
        elif char == " ":
            tokens.append(current)
            current = ""
            continue
        current += char
    tokens.append(current)
    lines, line = [], indent + prompt
    room = width - len(continuation)
    for token in tokens:
        candidate = f"{line} {token}" if line.strip() and line != indent + prompt else line + token
        if len(candidate) > room and line.strip() and line != indent + prompt:
            lines.append(line + continuation)
            line = indent + "  " + token
        else:
            line = candidate
    lines.append(line)
    # A token longer than a whole line is split (the width wins; JSON keeps the command in one piece).
    out: list[str] = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width - len(continuation)] + continuation)
            line = indent + "  " + line[width - len(continuation):]
        out.append(line)
    return out
