"""Scenario files: TOML text -> validated probes with expectations.

Pure: works on text already read (the CLI reads files). Every error names the file, the line,
what is wrong and what would be right (with a did-you-mean for unknown keys).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from corsprobe.browser import origins, spec
from corsprobe.errors import ScenarioError
from corsprobe.model import Credentials, Expectation, Job, Probe, Verdict
from corsprobe.reasons import Reason
from corsprobe.scenarios.environments import Context, declared_in, select
from corsprobe.scenarios.variables import Substitution

TOP_KEYS = ("version", "base_url", "defaults", "probe", "env", "audit")  # [[audit]]: corsprobe audit
PROBE_KEYS = (
    "name", "path", "url", "origin", "origins", "method", "methods", "headers", "credentials",
    "body", "cookie", "send_unsafe", "expect", "expect_reason", "expect_readable", "server_layer",
)
DEFAULT_KEYS = ("origin", "origins", "method", "methods", "headers", "credentials", "cookie",
                "send_unsafe", "server_layer")
EXPECT_VALUES = ("allowed", "blocked", "error")

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*=")


@dataclass(frozen=True, slots=True)
class _Where:
    """Line numbers of tables and keys, found in the text (tomllib gives none)."""

    lines: dict[tuple[str, int, str], int]
    tables: dict[tuple[str, int], int]

    @classmethod
    def scan(cls, text: str) -> _Where:
        lines: dict[tuple[str, int, str], int] = {}
        tables: dict[tuple[str, int], int] = {}
        table, counts = "", {"probe": -1}
        for number, line in enumerate(text.splitlines(), 1):
            if match := _TABLE.match(line):
                table = match.group(1)
                counts[table] = counts.get(table, -1) + 1
                tables.setdefault((table, counts[table]), number)
            elif match := _KEY.match(line):
                lines.setdefault((table, counts.get(table, 0), match.group(1)), number)
        return cls(lines, tables)

    def key(self, table: str, index: int, key: str) -> int | None:
        return self.lines.get((table, index, key)) or self.tables.get((table, index))


@dataclass(frozen=True, slots=True)
class Loaded:
    """A scenario file's jobs and the secret values (``${env:…}``) they were built from."""

    jobs: list[Job]
    secrets: frozenset[str]


def parse(text: str, path: str, base_url: str | None = None) -> list[Job]:
    """Parse one scenario file's text into jobs (matrix expanded), or raise ScenarioError."""
    return load(text, path, Context(base_url=base_url)).jobs


def read_toml(text: str, path: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ScenarioError(path, int(line.group(1)) if line else None,
                            f"not valid TOML: {error}") from None


def load(text: str, path: str, context: Context) -> Loaded:
    """Parse one scenario file under a context (--base-url, --env, --var, environment).

    A ScenarioError never carries a ``${env:…}`` value or a URL secret: its message is masked.
    """
    used: set[str] = set()
    try:
        return _load(text, path, context, used)
    except ScenarioError as error:
        from corsprobe.output.secrets import Masker

        raise ScenarioError(error.path, error.line, Masker.of(used).text(error.message)) from None


def _load(text: str, path: str, context: Context, used: set[str]) -> Loaded:
    data = read_toml(text, path)
    where = _Where.scan(text)
    _check_keys(data, TOP_KEYS, path, lambda k: where.key("", 0, k), "top-level key")
    own = declared_in(data, path, text, lambda k: where.key("", 0, k))
    env, _source = select(context, own)
    substitution = Substitution(text, path, {**env.get("vars", {}), **context.variables},
                                context.environ, used)
    data = substitution.apply({k: v for k, v in data.items() if k != "env"})
    env = Substitution(_source.text if _source else text, _source.path if _source else path,
                       substitution.variables, context.environ, substitution.secrets).apply(env)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ScenarioError(path, where.key("", 0, "defaults"), "[defaults] must be a table")
    _check_keys(defaults, DEFAULT_KEYS, path, lambda k: where.key("defaults", 0, k), "key in [defaults]")
    defaults = _with_environment(defaults, env)
    base = context.base_url or env.get("base_url") or data.get("base_url")
    if base is not None and (not isinstance(base, str) or origins.split_url(base) is None):
        raise ScenarioError(path, where.key("", 0, "base_url"),
                            f"base_url {base!r} is not an http(s) URL; write e.g. "
                            "base_url = \"https://api.example.com\"")
    probes = data.get("probe", [])
    if not isinstance(probes, list) or not probes:
        hint = "; [[audit]] tables are run by `corsprobe audit FILE`" if "audit" in data else ""
        raise ScenarioError(path, None, "no probes: add at least one [[probe]] table with a path "
                            f"and an origin{hint}")
    jobs: list[Job] = []
    for index, table in enumerate(probes):
        jobs += _ProbeTable(table, defaults, base, path, index, where).jobs()
    return Loaded(jobs, frozenset(substitution.secrets))


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


def _check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], path: str,
                line_of: Any, what: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(allowed)}"
            raise ScenarioError(path, line_of(key), f"unknown {what} '{key}'{hint}")


__all__ = ["Context", "Loaded", "ScenarioError", "load", "parse", "read_toml"]


class _ProbeTable:
    """One [[probe]] table merged with [defaults]."""

    def __init__(self, table: Any, defaults: dict[str, Any], base: str | None, path: str,
                 index: int, where: _Where) -> None:
        self.path, self.index, self.where, self.base = path, index, where, base
        if not isinstance(table, dict):
            raise ScenarioError(path, where.key("probe", index, ""), "each probe must be a table")
        _check_keys(table, PROBE_KEYS, path, self.line, "key in [[probe]]")
        self.table = table
        self.values = {**defaults, **table}
        self.headers_default = defaults.get("headers", {})

    def line(self, key: str) -> int | None:
        return self.where.key("probe", self.index, key)

    def fail(self, key: str, message: str) -> ScenarioError:
        return ScenarioError(self.path, self.line(key), message)

    def jobs(self) -> list[Job]:
        url = self._url()
        page_origins = self._list("origin", "origins")
        methods = self._list("method", "methods", default="GET")
        for origin in page_origins:
            if origin != "null" and origins.serialize_origin(origin) is None:
                raise self.fail("origin" if "origin" in self.table else "origins",
                                f"origin {origin!r} is not an http(s) origin; write e.g. "
                                "\"https://app.example.com\"")
        name = self._str("name") or f"{self.table.get('path') or url}"
        headers = self._headers()
        credentials = self._credentials()
        expect = self._expect()
        source = f"{self.path}:{self.where.tables.get(('probe', self.index), 0)}"
        layer = self._server_layer()
        jobs = []
        for origin in page_origins:
            for method in methods:
                label = name
                varying = [v for v, many in ((origin, len(page_origins) > 1), (method, len(methods) > 1)) if many]
                if varying:
                    label = f"{name} [{' '.join(varying)}]"
                probe = Probe(url=url, origin=origin, method=method, headers=headers,
                              credentials=credentials, body=self._str("body"),
                              send_unsafe=self._bool("send_unsafe"), cookie=self._str("cookie"),
                              name=label)
                jobs.append(Job(probe, expect, source, layer))
        return jobs

    def _url(self) -> str:
        url, path = self._str("url"), self._str("path")
        if url is None and path is None:
            raise self.fail("", "a probe needs 'path' (with base_url) or 'url'")
        if url is None:
            if self.base is None:
                raise self.fail("path", "'path' needs a base_url at the top of the file or "
                                "--base-url; or write a full 'url'")
            url = urljoin(self.base.rstrip("/") + "/", (path or "").lstrip("/"))
        if origins.split_url(url) is None:
            raise self.fail("url" if "url" in self.table else "path",
                            f"{url!r} is not an http(s) URL")
        return url

    def _server_layer(self) -> str | None:
        from corsprobe.layers import layer_ids

        layer = self._str("server_layer")
        if layer is not None and layer not in layer_ids():
            raise self.fail("server_layer", f"unknown server_layer {layer!r}; write one of {', '.join(layer_ids())}")
        return layer

    def _str(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"'{key}' must be a string, not {type(value).__name__}")
        return value

    def _bool(self, key: str) -> bool:
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"'{key}' must be true or false")
        return value

    def _list(self, one: str, many: str, default: str | None = None) -> list[str]:
        if one in self.table or (many not in self.table and one in self.values):
            value: Any = [self.values[one]]
            key = one
        elif many in self.values:
            value, key = self.values[many], many
        elif default is not None:
            return [default]
        else:
            raise self.fail("", f"a probe needs '{one}' (or '{many}' = [...]), here or in [defaults]")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"'{key}' must be {'a string' if key == one else 'a list of strings'}")
        return list(value)

    def _headers(self) -> tuple[tuple[str, str], ...]:
        merged = {**self.headers_default, **self.table.get("headers", {})}
        for name, value in merged.items():
            if not isinstance(value, str):
                raise self.fail("headers", f"header '{name}' must have a string value")
            if not spec.is_token(name):
                raise self.fail("headers", f"'{name}' is not a valid header name")
        return tuple(merged.items())

    def _credentials(self) -> Credentials:
        value = self.values.get("credentials", False)
        if value in (True, "include"):
            return Credentials.INCLUDE
        if value in (False, "omit", "same-origin"):
            return Credentials.OMIT
        raise self.fail("credentials", f"credentials {value!r} must be true/false or "
                        "\"include\"/\"omit\"")

    def _expect(self) -> Expectation | None:
        verdict = self._str("expect")
        reason_text = self._str("expect_reason")
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
                close = difflib.get_close_matches(reason_text, codes, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise self.fail("expect_reason", f"unknown reason code {reason_text!r}{hint}")
            reason = Reason(reason_text)
        if not isinstance(readable, list) or not all(isinstance(h, str) for h in readable):
            raise self.fail("expect_readable", "'expect_readable' must be a list of header names")
        return Expectation(Verdict(verdict), reason, tuple(readable))
