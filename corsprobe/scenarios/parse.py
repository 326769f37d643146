"""Scenario files: TOML text -> validated probes with expectations.

Pure: works on text already read (``loading`` reads files). Every key's type is checked first
(``schema``); every error names the file, the line, what is wrong and what would be right (with
a did-you-mean for unknown keys). The matrix is counted before it is expanded (``max_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urljoin

from corsprobe.browser import origins, spec
from corsprobe.errors import ScenarioError
from corsprobe.hints import did_you_mean
from corsprobe.model import Credentials, Expectation, Job, Verdict
from corsprobe.reasons import Reason, warning_problem
from corsprobe.scenarios import schema
from corsprobe.scenarios.environments import Context, declared_in, select
from corsprobe.scenarios.matrix import Jobs, Matrix
from corsprobe.scenarios.variables import Substitution
from corsprobe.scenarios.where import Where, read_toml

__all__ = ["Context", "Loaded", "ScenarioError", "load", "parse", "read_toml"]

EXPECT_VALUES = ("allowed", "blocked", "error")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A scenario file's jobs and the secret values (``${env:…}``) they were built from."""

    jobs: Sequence[Job]  # built row by row when asked for (``matrix.Jobs``)
    secrets: frozenset[str]
    notes: tuple[str, ...] = ()


def parse(text: str, path: str, base_url: str | None = None) -> list[Job]:
    """Parse one scenario file's text into jobs (matrix expanded), or raise ScenarioError."""
    return list(load(text, path, Context(base_url=base_url)).jobs)


def load(text: str, path: str, context: Context) -> Loaded:
    """Parse one scenario file under a context (--base-url, --env, --var, environment).

    A ScenarioError never carries a ``${env:…}`` value or a URL secret: its message is masked.
    """
    used: set[str] = set()
    try:
        return _load(text, path, context, used)
    except ScenarioError as error:
        from corsprobe.output.secrets import Masker

        raise ScenarioError(error.path, error.line, Masker.of(used).text(error.message), error.column) from None


def _load(text: str, path: str, context: Context, used: set[str]) -> Loaded:
    data = read_toml(text, path)
    where = Where.scan(text)
    schema.check(data, schema.TOP, "", path, lambda k: where.key("", 0, k))
    raw_probes = data.get("probe")
    if isinstance(raw_probes, dict):
        raise ScenarioError(path, where.table("probe"), "found a [probe] table; write [[probe]] (an array of tables)")
    if not raw_probes:
        hint = "; [[audit]] tables are run by `corsprobe audit FILE`" if "audit" in data else ""
        raise ScenarioError(path, where.table("probe"), "no probes: add at least one [[probe]] table with a path "
                            f"and an origin{hint}")
    if not isinstance(raw_probes, list) or not all(isinstance(t, dict) for t in raw_probes):
        raise ScenarioError(path, where.table("probe"), "'probe' must be [[probe]] tables (an array of tables)")
    schema.check(data.get("defaults", {}), schema.DEFAULTS, "[defaults]", path, lambda k: where.key("defaults", 0, k))
    for index, raw in enumerate(raw_probes):
        schema.check(raw, schema.PROBE, "[[probe]]", path, partial(where.key, "probe", index))
    own = declared_in(data, path, text, where)
    env, _source = select(context, own)
    substitution = Substitution(text, path, {**env.get("vars", {}), **context.variables},
                                context.environ, used)
    data = substitution.apply({k: v for k, v in data.items() if k != "env"})
    env = Substitution(_source.text if _source else text, _source.path if _source else path,
                       substitution.variables, context.environ, substitution.secrets).apply(env)
    defaults = _with_environment(data.get("defaults", {}), env)
    base = context.base_url or env.get("base_url") or data.get("base_url")
    if base is not None and (problem := origins.url_problem(base)):
        line = where.key("", 0, "base_url") if base == data.get("base_url") else None
        raise ScenarioError(_source.path if _source and line is None else path, line, f"base_url: {problem}")
    def tables() -> Iterator[_ProbeTable]:  # made twice, one at a time: a large file's tables are not all held
        return (_ProbeTable(table, defaults, base, path, index, where) for index, table in enumerate(data["probe"]))

    rows = sum(table.rows() for table in tables())
    if rows > context.max_rows:
        raise ScenarioError(path, None, f"{rows:,} rows (probes x origins x methods) exceed the limit of "
                            f"{context.max_rows:,}; raise it with --max-rows {rows} or split the file")
    matrices: list[Matrix] = []
    notes: list[str] = []
    for table in tables():
        matrices.append(table.matrix())
        notes += table.notes()
    jobs = Jobs(matrices)
    _refuse_duplicates(jobs, path)
    return Loaded(jobs, frozenset(substitution.secrets), tuple(dict.fromkeys(notes[:1])))


def _refuse_duplicates(jobs: Iterable[Job], path: str) -> None:
    """``diff`` pairs rows by name: two rows with one name would hide a change."""
    seen: dict[str, str | None] = {}
    for job in jobs:
        name = job.probe.name
        if name in seen:
            first = seen[name]
            line = int(job.source.rpartition(":")[2]) if job.source else None
            raise ScenarioError(path, line, f"probe name {name!r} is also used at {first}; "
                                "give each probe a distinct name")
        seen[name] = job.source


def _with_environment(defaults: dict[str, Any], env: Mapping[str, Any]) -> dict[str, Any]:
    """An environment's origins replace the defaults'; its headers are added to them."""
    merged = dict(defaults)
    if "origin" in env or "origins" in env:
        merged.pop("origin", None)
        merged.pop("origins", None)
        merged.update({k: env[k] for k in ("origin", "origins") if k in env})
    if env.get("headers"):
        merged["headers"] = {**merged.get("headers", {}), **env["headers"]}
    return merged


class _ProbeTable:
    """One [[probe]] table merged with [defaults] (every key's type already checked)."""

    def __init__(self, table: dict[str, Any], defaults: dict[str, Any], base: str | None, path: str,
                 index: int, where: Where) -> None:
        self.path, self.index, self.where, self.base = path, index, where, base
        self.table = table
        self.values = {**defaults, **table}
        self.headers_default = defaults.get("headers", {})
        self.page_origins = self._list("origin", "origins")
        self.methods = self._list("method", "methods", default="GET")

    def line(self, key: str) -> int | None:
        return self.where.key("probe", self.index, key)

    def fail(self, key: str, message: str) -> ScenarioError:
        return ScenarioError(self.path, self.line(key), message)

    def rows(self) -> int:
        return len(self.page_origins) * len(self.methods)

    def notes(self) -> list[str]:
        """Warnings that do not stop the run: a cookie is never sent without credentials."""
        if self.values.get("cookie") is not None and self._credentials() is Credentials.OMIT:
            line = self.line("cookie") if "cookie" in self.table else self.where.key("defaults", 0, "cookie")
            return [f"{self.path}:{line}: warning: 'cookie' is not sent without "
                    "credentials = true (fetch() with credentials: 'omit' sends no cookies)"]
        return []

    def matrix(self) -> Matrix:
        """Every value checked; the rows are made when they are needed."""
        url = self._url()
        origin_key = "origin" if "origin" in self.values and "origins" not in self.table else "origins"
        sent_origins = []
        for origin in self.page_origins:
            problem = origins.origin_problem(origin)
            if problem:
                raise self.fail(origin_key, problem)
            sent_origins.append(origins.page_origin(origin)[0])
        for method in self.methods:
            problem = spec.method_problem(method)
            if problem:
                raise self.fail("method" if "method" in self.values else "methods", problem)
        cookie = self.values.get("cookie")
        if cookie is not None and (problem := spec.cookie_problem(cookie)):
            raise self.fail("cookie", problem)
        name = self.values.get("name") or f"{self.table.get('path') or url}"
        headers = self._headers()
        credentials = self._credentials()
        expect = self._expect()
        source = f"{self.path}:{self.where.tables.get(('probe', self.index), 0)}"
        ignored = tuple(self.values.get("ignore_warnings", []))
        for code in ignored:
            if problem := warning_problem(code):
                raise self.fail("ignore_warnings", problem)
        return Matrix(url, name, tuple(sent_origins), tuple(self.methods), headers, credentials,
                      self.values.get("body"), self.values.get("send_unsafe", False), cookie, expect, source,
                      ignored, self._server_layer())

    def _url(self) -> str:
        url, path = self.table.get("url"), self.table.get("path")
        if url is not None and path is not None:
            raise self.fail("path", "a probe has 'url' or 'path' (joined to base_url), not both; keep one")
        if url is None and path is None:
            raise self.fail("", "a probe needs 'path' (with base_url) or 'url'")
        if url is None:
            if self.base is None:
                raise self.fail("path", "'path' needs a base_url at the top of the file or "
                                "--base-url; or write a full 'url'")
            url = urljoin(self.base.rstrip("/") + "/", (path or "").lstrip("/"))
        problem = origins.url_problem(url)
        if problem:
            raise self.fail("url" if "url" in self.table else "path", problem)
        return str(url)

    def _server_layer(self) -> str | None:
        from corsprobe.layers import layer_ids

        layer = self.values.get("server_layer")
        if layer is not None and layer not in layer_ids():
            raise self.fail("server_layer", f"unknown server_layer {layer!r}; write one of {', '.join(layer_ids())}")
        return layer

    def _list(self, one: str, many: str, default: str | None = None) -> list[str]:
        if one in self.table or (many not in self.table and one in self.values):
            return [self.values[one]]
        if many in self.values:
            if not self.values[many]:
                raise self.fail(many, f"'{many}' must list at least one value")
            return list(self.values[many])
        if default is not None:
            return [default]
        raise self.fail("", f"a probe needs '{one}' (or '{many}' = [...]), here or in [defaults]")

    def _headers(self) -> tuple[tuple[str, str], ...]:
        merged = {**self.headers_default, **self.table.get("headers", {})}
        for name in merged:
            if not spec.is_token(name):
                raise self.fail("headers", f"'{name}' is not a valid header name (a token: letters, digits, "
                                "!#$%&'*+-.^_`|~)")
        return tuple(merged.items())

    def _credentials(self) -> Credentials:
        value = self.values.get("credentials", False)
        return Credentials.INCLUDE if value is True or value == "include" else Credentials.OMIT

    def _expect(self) -> Expectation | None:
        verdict = self.values.get("expect")
        reason_text = self.values.get("expect_reason")
        readable = self.values.get("expect_readable", [])
        if verdict is None:
            if reason_text is not None or readable:
                raise self.fail("expect", "'expect_reason'/'expect_readable' need 'expect'")
            return None
        if verdict not in EXPECT_VALUES:
            raise self.fail("expect", f"expect {verdict!r} must be one of {', '.join(EXPECT_VALUES)}")
        reason = None
        if reason_text is not None:
            codes = [r.value for r in Reason]
            if reason_text not in codes:
                close = did_you_mean(reason_text, codes)
                hint = f"; did you mean '{close}'?" if close else ""
                raise self.fail("expect_reason", f"unknown reason code {reason_text!r}{hint}")
            reason = Reason(reason_text)
        return Expectation(Verdict(verdict), reason, tuple(readable))
