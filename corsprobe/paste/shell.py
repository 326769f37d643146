"""Splitting a pasted command line into words: bash (as DevTools' "Copy as cURL (bash)" quotes:
'…', "…", $'…' with \\uXXXX escapes, backslash-newline) and Windows cmd ("Copy as cURL (cmd)":
^"…^" with ^-escapes). Several commands joined by ';', '&&' or cmd's '&' come back as several
word lists. Pure; no I/O.
"""

from __future__ import annotations

import re

_ANSI = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v",
         "\\": "\\", "'": "'", '"': '"', "?": "?"}
_ANSI_NUMERIC = re.compile(r"x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})")


class ShellSyntaxError(ValueError):
    """An unterminated quote."""


def split_commands(text: str) -> list[list[str]]:
    """Words of each command in ``text``; cmd quoting when the text uses ^"."""
    return _split_cmd(text) if '^"' in text else _split_bash(text)


def _split_bash(text: str) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    word: list[str] | None = None
    i = 0
    while i < len(text):
        c = text[i]
        if c in " \t\r\n":
            if word is not None:
                commands[-1].append("".join(word))
                word = None
            i += 1
        elif c == ";" or text.startswith("&&", i) or text.startswith("||", i):
            if word is not None:
                commands[-1].append("".join(word))
                word = None
            commands.append([])
            i += 1 if c == ";" else 2
        elif c == "\\":
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 2
                continue
            word = (word or []) + [text[i + 1] if i + 1 < len(text) else ""]
            i += 2
        elif c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated ' quote")
            word = (word or []) + [text[i + 1:end]]
            i = end + 1
        elif text.startswith("$'", i):
            value, i = _ansi_c(text, i + 2)
            word = (word or []) + [value]
        elif c == '"':
            value, i = _double(text, i + 1)
            word = (word or []) + [value]
        else:
            word = (word or []) + [c]
            i += 1
    if word is not None:
        commands[-1].append("".join(word))
    return [command for command in commands if command]


def _double(text: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text) and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    raise ShellSyntaxError('unterminated " quote')


def _ansi_c(text: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(text):
        c = text[i]
        if c == "'":
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ANSI:
                out.append(_ANSI[nxt])
                i += 2
                continue
            match = _ANSI_NUMERIC.match(text, i + 1)
            if match is not None:
                digits = next(g for g in match.groups() if g is not None)
                out.append(chr(int(digits, 8 if match.group(4) else 16)))
                i = match.end()
                continue
        out.append(c)
        i += 1
    raise ShellSyntaxError("unterminated $' quote")


def _split_cmd(text: str) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    word: list[str] | None = None
    quoted = False
    i = 0
    while i < len(text):
        c = text[i]
        if quoted:
            if text.startswith('^\\^"', i):
                word = (word or []) + ['"']
                i += 4
            elif text.startswith('^"', i):
                quoted = False
                i += 2
            elif text.startswith("^\n\n", i):
                word = (word or []) + ["\n"]
                i += 3
            elif c == "^" and i + 1 < len(text):
                word = (word or []) + [text[i + 1]]
                i += 2
            elif text.startswith("%^", i):
                word = (word or []) + ["%"]
                i += 2
            else:
                word = (word or []) + [c]
                i += 1
        elif text.startswith('^"', i):
            quoted = True
            word = word or []
            i += 2
        elif text.startswith("^\r\n", i) or text.startswith("^\n", i):
            i += 3 if text[i + 1] == "\r" else 2
        elif c in " \t\r\n" or c == "&":
            if word is not None:
                commands[-1].append("".join(word))
                word = None
            if c == "&":
                commands.append([])
            i += 1
        elif c == "^" and i + 1 < len(text):
            word = (word or []) + [text[i + 1]]
            i += 2
        else:
            word = (word or []) + [c]
            i += 1
    if quoted:
        raise ShellSyntaxError('unterminated ^" quote')
    if word is not None:
        commands[-1].append("".join(word))
    return [command for command in commands if command]
