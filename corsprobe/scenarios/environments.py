"""Named environments (``[env.staging]``, ``[env.production]``) and the run context.

An environment gives a base URL, the app's origins, extra headers and variables. It may be
declared in a scenario file or in the project's config (``corsprobe.toml`` or
``[tool.corsprobe]`` in pyproject.toml); the scenario file's keys win. Pure; no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corsprobe.errors import ScenarioError

ENV_KEYS = ("base_url", "origin", "origins", "headers", "vars")
CONFIG_KEYS = ("env",)


@dataclass(frozen=True, slots=True)
class Declared:
    """Raw ``[env.*]`` tables and the file they came from."""

    tables: Mapping[str, Mapping[str, Any]]
    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Context:
    """Everything from outside a scenario file that shapes how it is read."""

    base_url: str | None = None
    env: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=dict)
    project: Declared | None = None


def declared_in(data: Mapping[str, Any], path: str, text: str, line_of: Any) -> Declared:
    """Validate the ``env`` table of a parsed file (scenario or config)."""
    envs = data.get("env", {})
    if not isinstance(envs, dict):
        raise ScenarioError(path, line_of("env"), "'env' must hold tables like [env.staging]")
    for name, table in envs.items():
        if not isinstance(table, dict):
            raise ScenarioError(path, line_of("env"), f"[env.{name}] must be a table")
        for key in table:
            if key not in ENV_KEYS:
                close = difflib.get_close_matches(key, ENV_KEYS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(ENV_KEYS)}"
                raise ScenarioError(path, _line(text, f"env.{name}", key), f"unknown key in [env.{name}] "
                                    f"'{key}'{hint}")
        variables = table.get("vars", {})
        if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
            raise ScenarioError(path, _line(text, f"env.{name}", "vars"),
                                f"[env.{name}] vars must be a table of strings")
    return Declared(envs, path, text)


def select(context: Context, own: Declared) -> tuple[dict[str, Any], Declared | None]:
    """The selected environment's keys (project config, then the file's own), or {}."""
    if context.env is None:
        return {}, None
    merged: dict[str, Any] = {}
    source: Declared | None = None
    for declared in (context.project, own):
        if declared is not None and context.env in declared.tables:
            table = declared.tables[context.env]
            headers = {**merged.get("headers", {}), **table.get("headers", {})}
            variables = {**merged.get("vars", {}), **table.get("vars", {})}
            merged = {**merged, **table, "headers": headers, "vars": variables}
            source = declared
    if source is None:
        known = sorted({*own.tables, *(context.project.tables if context.project else {})})
        close = difflib.get_close_matches(context.env, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known) or 'none'}"
        raise ScenarioError(own.path, None, f"environment '{context.env}' is not defined here or in "
                            f"the project config; {hint}")
    return merged, source


def _line(text: str, table: str, key: str) -> int | None:
    current = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and not line.startswith("[["):
            current = line.strip("[] ").removeprefix("tool.corsprobe.")
        elif current == table and line.split("=", 1)[0].strip().strip('"') == key:
            return number
    return None
