"""The type of every key a scenario file or project config may hold, checked before anything
else reads it: one line naming what is wrong and what would be right. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from corsprobe.errors import ScenarioError
from corsprobe.hints import unknown_hint


@dataclass(frozen=True, slots=True)
class Kind:
    """A value's expected shape: a test, and how to say it (with an example)."""

    accepts: Callable[[Any], bool]
    wanted: str


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _string_table(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


STR = Kind(lambda v: isinstance(v, str), 'a string, e.g. "…"')
BOOL = Kind(lambda v: isinstance(v, bool), "true or false")
INT = Kind(lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number, e.g. 1")
STRINGS = Kind(_strings, 'a list of strings, e.g. ["…", "…"]')
HEADERS = Kind(_string_table, 'a table of strings, e.g. { Authorization = "Bearer …" }')
VARS = Kind(_string_table, 'a table of strings, e.g. { tenant = "acme" }')
TABLE = Kind(lambda v: isinstance(v, dict), "a table, e.g. [defaults]")
CREDENTIALS = Kind(lambda v: isinstance(v, bool) or v in ("include", "omit", "same-origin"),
                   'true or false (or "include" / "omit")')

PROBE: Mapping[str, Kind] = {
    "name": STR, "path": STR, "url": STR, "origin": STR, "origins": STRINGS, "method": STR, "methods": STRINGS,
    "headers": HEADERS, "credentials": CREDENTIALS, "body": STR, "cookie": STR, "send_unsafe": BOOL,
    "expect": STR, "expect_reason": STR, "expect_readable": STRINGS, "ignore_warnings": STRINGS,
    "server_layer": STR,
}
DEFAULTS: Mapping[str, Kind] = {key: PROBE[key] for key in (
    "origin", "origins", "method", "methods", "headers", "credentials", "cookie", "send_unsafe",
    "ignore_warnings", "server_layer")}
ENV: Mapping[str, Kind] = {"base_url": STR, "origin": STR, "origins": STRINGS, "headers": HEADERS, "vars": VARS}
AUDITS = Kind(lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v),
              "[[audit]] tables (an array of tables), run by `corsprobe audit FILE`")
TOP: Mapping[str, Kind] = {"version": INT, "base_url": STR, "defaults": TABLE, "probe": TABLE, "env": TABLE,
                           "audit": AUDITS}  # [[audit]]: read by corsprobe audit, tolerated by run


def check(table: Mapping[str, Any], schema: Mapping[str, Kind], what: str, path: str,
          line_of: Callable[[str], int | None]) -> None:
    """Every key of ``table`` known to ``schema`` and of its kind, else a ScenarioError at its line.

    ``what`` names the table (``[[probe]]``, ``[env.ci]``); "" is the file's top level.
    """
    for key, value in table.items():
        kind = schema.get(key)
        if kind is None:
            label = f"key in {what}" if what else "top-level key"
            raise ScenarioError(path, line_of(key), f"unknown {label} '{key}'{unknown_hint(key, schema)}")
        if key == "probe" and schema is TOP:
            continue  # the array of tables is checked by the caller, which knows its lines
        if kind.accepts(value):
            continue
        if kind in (HEADERS, VARS) and isinstance(value, dict):
            bad = next(k for k, v in value.items() if not isinstance(v, str))
            raise ScenarioError(path, line_of(key), f"{'header' if kind is HEADERS else 'variable'} '{bad}' must "
                                f"have a string value, e.g. {key} = {{ {bad} = \"…\" }}")
        where = f" (in {what})" if what else ""
        raise ScenarioError(path, line_of(key), f"'{key}' must be {kind.wanted}, not {_shown(value)}{where}")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list with a non-string item" if any(not isinstance(v, str) for v in value) else "a list"
    if isinstance(value, dict):
        return "a table with a non-string value" if any(not isinstance(v, str) for v in value.values()) else "a table"
    return f"a {type(value).__name__}"
