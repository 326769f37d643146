"""What to audit: URLs from the command line or a file, and ``[[audit]]`` tables in scenario files.

Pure: works on text already read. Every error is a ScenarioError (file:line, what is wrong, what would be
right) or a ValueError for command-line input; the command turns either into one line and exit 2.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

from corsprobe.audit.model import Target
from corsprobe.browser import origins, spec
from corsprobe.errors import ScenarioError
from corsprobe.scenarios.environments import Context, declared_in, select
from corsprobe.scenarios.parse import read_toml
from corsprobe.scenarios.variables import Substitution

AUDIT_KEYS = ("name", "url", "path", "app_origins", "app_origin", "methods", "headers")
#: Headers an audit refuses to send: it never carries the user's credentials.
REFUSED_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
_AUDIT_TABLE = re.compile(r"^\s*\[\[\s*audit\s*\]\]")


def check_origin(origin: str) -> str:
    """An app origin as a browser serializes it; ValueError if it is not one."""
    parts = origins.split_url(origin) if origin.startswith(("http://", "https://")) else None
    serialized = origins.serialize_origin(origin)
    if parts is None or serialized is None or parts.path not in ("", "/") or parts.query or parts.fragment \
            or parts.username is not None:
        raise ValueError(f"{origin!r} is not an origin; write scheme://host[:port], e.g. https://app.example.com")
    return serialized


def check_url(url: str, base_url: str | None) -> str:
    if url.startswith("/") and base_url:
        url = urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))
    if origins.split_url(url) is None:
        hint = " (a path needs --base-url)" if url.startswith("/") else ""
        raise ValueError(f"{url!r} is not an http(s) URL{hint}")
    return url


def check_headers(headers: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    for name, value in headers:
        if not spec.is_token(name) or not spec.is_valid_header_value(value):
            raise ValueError(f"header {name!r} is not a valid request header")
        if name.lower() in REFUSED_HEADERS:
            raise ValueError(f"an audit never sends {name}: it judges what a page could read with the user's "
                             "credentials without using any; drop the header")
        if spec.is_forbidden_request_header(name, value):
            raise ValueError(f"a page cannot set {name!r}; drop it")
    return tuple(headers)


def from_urls(urls: Sequence[str], app_origins: Sequence[str], methods: Sequence[str] = (),
              headers: Sequence[tuple[str, str]] = (), base_url: str | None = None) -> list[Target]:
    """Targets for URLs given on the command line (ValueError on bad input)."""
    if urls and not app_origins:
        raise ValueError("name the origins meant to read these URLs with --app-origin ORIGIN (repeatable)")
    apps = tuple(dict.fromkeys(check_origin(o) for o in app_origins))
    checked_methods = tuple(_check_method(m) for m in methods)
    return [Target(check_url(url, base_url), apps, checked_methods, check_headers(headers)) for url in urls]


def url_lines(text: str, path: str) -> list[tuple[str, int]]:
    """The URLs of a ``--from-file`` text (one per line; blank lines and '#' comments skipped), with lines."""
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            found.append((line, number))
    if not found:
        raise ScenarioError(path, None, "no URLs in this file (one http(s) URL per line)")
    return found


def has_audit_tables(text: str) -> bool:
    return any(_AUDIT_TABLE.match(line) for line in text.splitlines())


def audit_tables(text: str, path: str, context: Context, app_origins: Sequence[str] = ()) -> tuple[list[Target],
                                                                                               frozenset[str]]:
    """The ``[[audit]]`` tables of one scenario file (with ``--env``, ``--base-url`` and variables applied),
    and the secret values used. ``app_origins`` (``--app-origin``) fills tables that name none."""
    data = read_toml(text, path)
    lines = _table_lines(text)
    own = declared_in(data, path, text, lambda _key: None)
    env, _source = select(context, own)
    substitution = Substitution(text, path, {**env.get("vars", {}), **context.variables}, context.environ)
    data = substitution.apply({k: v for k, v in data.items() if k != "env"})
    env = Substitution(text, path, substitution.variables, context.environ, substitution.secrets).apply(env)
    base = context.base_url or env.get("base_url") or data.get("base_url")
    tables = data.get("audit", [])
    if not isinstance(tables, list) or not tables:
        raise ScenarioError(path, None, "no [[audit]] tables: add one with a url (or path) and app_origins")
    fallback = tuple(app_origins) or tuple(_origins_of(env))
    targets = [_target(table, index, lines, path, base, fallback, env) for index, table in enumerate(tables)]
    return targets, frozenset(substitution.secrets)


def _target(table: Any, index: int, lines: list[int], path: str, base: str | None, fallback: tuple[str, ...],
            env: Mapping[str, Any]) -> Target:
    line = lines[index] if index < len(lines) else None

    def fail(message: str) -> ScenarioError:
        return ScenarioError(path, line, f"[[audit]] #{index + 1}: {message}")

    if not isinstance(table, dict):
        raise fail("must be a table")
    for key in table:
        if key not in AUDIT_KEYS:
            close = difflib.get_close_matches(key, AUDIT_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(AUDIT_KEYS)}"
            raise fail(f"unknown key '{key}'; {hint}")
    url, rel = table.get("url"), table.get("path")
    if not isinstance(url, str | None) or not isinstance(rel, str | None) or (url is None) == (rel is None):
        raise fail("give exactly one of 'url' (a full URL) or 'path' (joined to base_url), as a string")
    if rel is not None and base is None:
        raise fail("'path' needs base_url (top of the file, the --env environment, or --base-url)")
    raw_origins = table.get("app_origins", [table["app_origin"]] if "app_origin" in table else list(fallback))
    if not isinstance(raw_origins, list) or not raw_origins or not all(isinstance(o, str) for o in raw_origins):
        raise fail("'app_origins' must be a non-empty list of origins (or pass --app-origin)")
    methods = table.get("methods", [])
    headers = table.get("headers", {})
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        raise fail("'methods' must be a list of method names, e.g. [\"GET\", \"PUT\"]")
    if isinstance(headers, list):
        headers = {name: "1" for name in headers}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise fail("'headers' must be a list of header names or a table of name = \"value\"")
    env_headers = {k: v for k, v in env.get("headers", {}).items() if k.lower() not in REFUSED_HEADERS}
    try:
        return Target(
            url=check_url(url if url is not None else "/" + str(rel).lstrip("/"), base),
            app_origins=tuple(dict.fromkeys(check_origin(o) for o in raw_origins)),
            methods=tuple(_check_method(m) for m in methods),
            headers=check_headers(list({**env_headers, **headers}.items())),
            source=f"{path}:{line}" if line else path, name=str(table.get("name") or ""),
        )
    except ValueError as error:
        raise fail(str(error)) from None


def _origins_of(env: Mapping[str, Any]) -> list[str]:
    if "origins" in env and isinstance(env["origins"], list):
        return [str(o) for o in env["origins"]]
    return [str(env["origin"])] if isinstance(env.get("origin"), str) else []


def _check_method(method: str) -> str:
    if not spec.is_token(method) or spec.is_forbidden_method(method):
        raise ValueError(f"{method!r} is not a method a page can use")
    return method


def _table_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if _AUDIT_TABLE.match(line)]
