"""``dumps(value)``: the exact text of ``json.dumps(value, indent=2)``, about twice as fast.

The standard library's C encoder is used only without ``indent``; with it, every value goes through
nested Python generators. This walks the value once, appending pieces to one list, with the C string
escaper. Values of other types than JSON's (str, int, float, bool, None, list, tuple, dict with str keys)
are handed to ``json.dumps`` itself, so its result and its errors stay the reference. Pure.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

_escape = encode_basestring_ascii


def dumps(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent)`` (ensure_ascii, NaN allowed, keys in insertion order)."""
    parts: list[str] = []
    try:
        _encode(value, "\n", " " * indent, parts)
    except _Unusual:
        return json.dumps(value, indent=indent)
    return "".join(parts)


class _Unusual(Exception):
    """A value (or key) outside the fast path's types: json.dumps decides."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, newline: str, step: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_escape(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        if type(value) is tuple and _header_lines(value):  # as a run repeats them: written once
            _remembered(value, newline, step, parts)
        else:
            _sequence(value, newline, step, parts)
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + step
        separator = "," + inner
        parts.append("{" + inner)
        for index, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise _Unusual
            if index:
                parts.append(separator)
            if type(item) is str:  # most leaves: no call
                parts.append(_escape(key) + ": " + _escape(item))
            else:
                parts.append(_escape(key) + ": ")
                _encode(item, inner, step, parts)
        parts.append(newline + "}")
    else:
        raise _Unusual


def _sequence(value: list[Any] | tuple[Any, ...], newline: str, step: str, parts: list[str]) -> None:
    inner = newline + step
    separator = "," + inner
    parts.append("[" + inner)
    for index, item in enumerate(value):
        if index:
            parts.append(separator)
        kind = type(item)
        if kind is str:  # most leaves: no call
            parts.append(_escape(item))
        elif (kind is list or kind is tuple) and len(item) == 2 and type(item[0]) is str \
                and type(item[1]) is str:  # a header line [name, value]: no call either
            deeper = inner + step
            parts.append("[" + deeper + _escape(item[0]) + "," + deeper + _escape(item[1]) + inner + "]")
        else:
            _encode(item, inner, step, parts)
    parts.append(newline + "]")


_MEMO: dict[tuple[tuple[tuple[str, str], ...], str, str], str] = {}
_MEMO_MAX = 1024


def _header_lines(value: tuple[Any, ...]) -> bool:
    """Only (str, str) pairs: a key whose equal values always encode alike (``True == 1`` would not)."""
    return all(type(item) is tuple and len(item) == 2 and type(item[0]) is str and type(item[1]) is str
               for item in value)


def _remembered(value: tuple[tuple[str, str], ...], newline: str, step: str, parts: list[str]) -> None:
    """Header lines encoded once per distinct value and depth (bounded)."""
    key = (value, newline, step)
    found = _MEMO.get(key)
    if found is None:
        own: list[str] = []
        _sequence(value, newline, step, own)
        found = "".join(own)
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = found
    parts.append(found)
