"""Where things are in a TOML file: the one location finder, and TOML reading whose every error
carries ``line:column``. tomllib gives no positions for values, so lines are found in the text.
Pure; works on text already read.
"""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from corsprobe.errors import ScenarioError

_TABLE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*(?:\.\s*\"?[A-Za-z0-9_\-]+\"?\s*)*=")
_POSITION = re.compile(r"line (\d+), column (\d+)")
_PREFIX = "tool.corsprobe."


@dataclass(frozen=True, slots=True)
class Where:
    """Line numbers of tables (``[x]``, ``[[probe]]``) and keys in them, from the text.

    Tables are named as written with ``tool.corsprobe.`` dropped (so ``[tool.corsprobe.env.ci]``
    is ``env.ci``); the n-th ``[[probe]]`` is ``("probe", n)``; keys before any table are in ``""``.
    """

    tables: dict[tuple[str, int], int]
    arrays: frozenset[str]
    text: str = ""
    # Key lines are found when first asked for (an error, a note): a large valid file never needs them.
    found: dict[tuple[str, int, str], int] = field(default_factory=dict)
    scanned: list[bool] = field(default_factory=lambda: [False])

    @classmethod
    def scan(cls, text: str) -> Where:
        tables: dict[tuple[str, int], int] = {}
        arrays: set[str] = set()
        _scan(text, tables, arrays, None)
        return cls(tables, frozenset(arrays), text)

    @property
    def keys(self) -> dict[tuple[str, int, str], int]:
        if not self.scanned[0]:
            _scan(self.text, {}, set(), self.found)
            self.scanned[0] = True
        return self.found

    def table(self, name: str, index: int = 0) -> int | None:
        """The line of table ``name`` (its ``index``-th header), or of the key that holds it inline."""
        found = self.tables.get((name, index))
        if found is None and "." in name:
            parent, _, key = name.rpartition(".")
            found = self.keys.get((parent, 0, key))
        return found if found is not None else self.keys.get(("", 0, name))

    def key(self, table: str, index: int, key: str) -> int | None:
        """The line of ``key`` in the table, else the table's own line."""
        return self.keys.get((table, index, key)) or self.table(table, index)


def _scan(text: str, tables: dict[tuple[str, int], int], arrays: set[str],
          keys: dict[tuple[str, int, str], int] | None) -> None:
    table, counts = "", {"": 0}
    # Lines end at LF (TOML's newline; CRLF ends in LF too), read one at a time: a large file is not copied.
    for number, line in enumerate(io.StringIO(text), 1):
        if match := _TABLE.match(line):
            table = match.group(2).replace('"', "").replace(" ", "")
            table = "" if table == _PREFIX[:-1] else table.removeprefix(_PREFIX)
            if match.group(1) == "[[":
                arrays.add(table)
            counts[table] = counts.get(table, -1) + 1 if table else 0
            tables.setdefault((table, counts[table]), number)
        elif keys is not None and (match := _KEY.match(line)):
            keys.setdefault((table, counts.get(table, 0), match.group(1)), number)


def read_toml(text: str, path: str) -> dict[str, Any]:
    """Parsed TOML, or a ScenarioError at ``path:line:column``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _POSITION.search(message)
        if found:
            line, column = int(found.group(1)), int(found.group(2))
        else:  # "at end of document", or no position at all: the end of the text.
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        detail = _POSITION.sub("", message).replace("(at end of document)", "(at the end of the file)")
        detail = detail.replace("(at )", "").replace("()", "").strip()
        raise ScenarioError(path, line, f"not valid TOML: {detail}", column) from None


def decode(data: bytes, path: str) -> str:
    """UTF-8 text, or a ScenarioError at the line and column of the first undecodable byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError(path, line, f"not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded; "
                            "save the file as UTF-8", column) from None
