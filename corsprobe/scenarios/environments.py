"""Named environments (``[env.staging]``, ``[env.production]``) and the run context.

An environment gives a base URL, the app's origins, extra headers and variables. It may be
declared in a scenario file or in the project's config (``corsprobe.toml`` or
``[tool.corsprobe]`` in pyproject.toml); the scenario file's keys win. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from corsprobe.errors import ScenarioError
from corsprobe.hints import unknown_hint
from corsprobe.scenarios import schema
from corsprobe.scenarios.where import Where

CONFIG_KEYS = ("env",)
#: More rows than this in one run are refused before the matrix is expanded (``--max-rows``).
DEFAULT_MAX_ROWS = 100_000


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
    max_rows: int = DEFAULT_MAX_ROWS


def declared_in(data: Mapping[str, Any], path: str, text: str, where: Where) -> Declared:
    """Validate the ``env`` table of a parsed file (scenario or config): every key and its type."""
    envs = data.get("env", {})
    if not isinstance(envs, dict):
        raise ScenarioError(path, where.key("", 0, "env"), "'env' must hold tables like [env.staging]")
    for name, table in envs.items():
        if not isinstance(table, dict):
            raise ScenarioError(path, where.table(f"env.{name}"), f"[env.{name}] must be a table, e.g. "
                                f"[env.{name}] with base_url = \"https://…\"")
        schema.check(table, schema.ENV, f"[env.{name}]", path, partial(where.key, f"env.{name}", 0))
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
        raise ScenarioError(own.path, None, f"environment '{context.env}' is not defined here or in "
                            f"the project config{unknown_hint(context.env, known)}")
    return merged, source
