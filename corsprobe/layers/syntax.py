"""Writing values in a layer's own language: JavaScript and Python lists, quoted strings, merged lists. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from corsprobe.layers.evidence import split_list

SIMPLE_METHODS = ("GET", "HEAD", "POST")


def js(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def py(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def js_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(js(v) for v in values) + "]"


def py_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(py(v) for v in values) + "]"


def repr_list(values: Iterable[str]) -> str:
    """A Python list as ``repr`` writes its strings (single quotes): ``['a', 'b']``."""
    return "[" + ", ".join(repr(v) for v in values) + "]"


def merged(observed: str, needed: Sequence[str], *, fold: bool = True) -> list[str]:
    """The server's list as received (``observed``, comma-separated) plus the ``needed`` names it lacks.

    ``fold``: compare case-insensitively (header names); methods compare exactly, as Fetch does.
    """
    items = [item for item in split_list(observed) if item != "*"]
    key = str.lower if fold else str
    have = {key(item) for item in items}
    for name in needed:
        if key(name) not in have:
            items.append(name)
            have.add(key(name))
    return items


def methods_with(needed: Sequence[str]) -> list[str]:
    """GET, HEAD, POST (always allowed by browsers, listed for readers) and the non-simple ``needed`` ones."""
    return [*SIMPLE_METHODS, *(m for m in needed if m not in SIMPLE_METHODS)]
