"""Reading the JavaScript that DevTools' "Copy as fetch" writes (and people retype): string
literals in ' " or `, unquoted keys, trailing commas, // and /* */ comments, and the newest
Chrome's commented-out forbidden headers (``// "origin": "…", // Browser will set …``), which
come back as ``commented`` pairs. Pure; no I/O.
"""

from __future__ import annotations

import json
import re
from typing import Any

_COMMENTED_PAIR = re.compile(r'^\s*//\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*")\s*,?\s*(?://.*)?$', re.M)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


class JsSyntaxError(ValueError):
    """Not an object literal corsprobe can read."""


def string_literal(text: str, i: int) -> tuple[str, int]:
    """The JS string literal starting at ``text[i]`` (a quote) and the index after it."""
    quote = text[i]
    out: list[str] = []
    i += 1
    while i < len(text):
        c = text[i]
        if c == quote:
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", text[i + 2:i + 6]):
                out.append(chr(int(text[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    raise JsSyntaxError("unterminated string")


def object_end(text: str, i: int) -> int:
    """Index after the object literal (or any bracketed group) that starts at ``text[i]``."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            _, i = string_literal(text, i)
            continue
        if text.startswith("//", i):
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise JsSyntaxError("unbalanced brackets")


def read_object(text: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The object literal as a dict, and the commented-out header pairs in it."""
    commented = [(json.loads(m.group(1)), json.loads(m.group(2))) for m in _COMMENTED_PAIR.finditer(text)]
    text = _COMMENTED_PAIR.sub("", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            value, i = string_literal(text, i)
            out.append(json.dumps(value))
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
        elif (ident := _IDENT.match(text, i)) is not None:
            word = ident.group(0)
            rest = text[ident.end():].lstrip()
            out.append(json.dumps(word) if rest.startswith(":") else word)
            i = ident.end()
        else:
            out.append(c)
            i += 1
    source = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    try:
        value = json.loads(source)
    except json.JSONDecodeError as error:
        raise JsSyntaxError(f"not a plain object literal ({error.msg})") from error
    if not isinstance(value, dict):
        raise JsSyntaxError("the options are not an object")
    return value, commented
