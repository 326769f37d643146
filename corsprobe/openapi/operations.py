"""From each OpenAPI operation, the request a frontend would make. Pure.

The method; a concrete path (path parameters from ``example``/``examples``/``default``/``enum``,
else a ``${name}`` variable); required query parameters; ``Content-Type`` and a small body from
the request body's first media type; headers from ``in: header`` parameters; the security
scheme's ``Authorization``, API-key header or cookie (values from ``${env:…}``, secrets); the
declared response headers the page must be able to read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from corsprobe.openapi import samples
from corsprobe.openapi.document import METHODS
from corsprobe.openapi.refs import Resolver

BOUNDARY = "corsprobe-boundary"
#: Header parameters OpenAPI says are ignored (they are described elsewhere).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
UNREADABLE = frozenset({"set-cookie", "set-cookie2"})
SKIPPED_METHODS = frozenset({"trace"})


@dataclass(frozen=True, slots=True)
class Variable:
    """A ``${name}`` the generated file uses and ``--var`` must fill."""

    name: str
    note: str


@dataclass(frozen=True, slots=True)
class Secret:
    """An ``${env:NAME}`` the generated file reads from the process environment."""

    env: str
    note: str


@dataclass(frozen=True, slots=True)
class Request:
    """One operation as a page's ``fetch()`` would make it."""

    method: str
    template: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    credentials: bool = False
    cookie: str | None = None
    readable: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    title: str = ""
    variables: tuple[Variable, ...] = ()
    secrets: tuple[Secret, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


def operations(document: dict[str, Any], resolver: Resolver, *, readable_declared: bool = False) -> list[Request]:
    """Every operation of ``document`` as a Request, sorted by path template then method."""
    found: list[Request] = []
    for template, item in document.get("paths", {}).items():
        item = resolver.resolve(item)
        if not isinstance(item, dict):
            continue
        shared = _list(item.get("parameters"))
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and method not in SKIPPED_METHODS:
                found.append(_Builder(document, resolver, template, method, readable_declared)
                             .build(operation, shared))
    order = {m.upper(): i for i, m in enumerate(METHODS)}
    return sorted(found, key=lambda r: (r.template, order[r.method]))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def env_name(scheme: str) -> str:
    return "CORSPROBE_" + (re.sub(r"[^A-Za-z0-9]+", "_", scheme).strip("_").upper() or "TOKEN")


def var_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]", "_", name)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


def inert(value: str) -> str:
    """A value from the description with any ``${`` made literal-safe (it must not become a variable)."""
    return value.replace("${", "$ {")


class _Builder:
    def __init__(self, document: dict[str, Any], resolver: Resolver, template: str, method: str,
                 readable_declared: bool) -> None:
        self.document, self.resolver, self.template = document, resolver, template
        self.method, self.readable_declared = method.upper(), readable_declared
        self.variables: list[Variable] = []
        self.secrets: list[Secret] = []
        self.notes: list[str] = []
        self.headers: dict[str, str] = {}
        self.query: list[tuple[str, str]] = []
        self.credentials = False
        self.cookie: str | None = None
        self.path_values: dict[str, str] = {}

    def build(self, operation: dict[str, Any], shared: Sequence[Any]) -> Request:
        for parameter in self._parameters(shared, _list(operation.get("parameters"))):
            self._parameter(parameter)
        self._security(operation)
        body = self._body(operation.get("requestBody"))
        path = re.sub(r"\{([^{}]+)\}", self._path_value, self.template)
        if self.query:
            path += "?" + "&".join(f"{quote(k, safe='')}={v if v.startswith('${env:') else quote(v, safe='')}"
                                   for k, v in self.query)
        tags = tuple(inert(str(t)) for t in _list(operation.get("tags")))
        title = " — ".join(inert(str(operation[k])) for k in ("operationId", "summary") if operation.get(k))
        if operation.get("deprecated") is True:
            self.notes.append("deprecated in the description")
        return Request(self.method, inert(self.template), path, tuple(self.headers.items()), body,
                       self.credentials, self.cookie, self._readable(operation), tags, title,
                       tuple(dict.fromkeys(self.variables)), tuple(dict.fromkeys(self.secrets)), tuple(self.notes))

    def _parameters(self, shared: Sequence[Any], own: Sequence[Any]) -> list[dict[str, Any]]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for parameter in [*shared, *own]:
            parameter = self.resolver.resolve(parameter)
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                merged[(str(parameter.get("in")), parameter["name"])] = parameter
        return list(merged.values())

    def _parameter(self, parameter: dict[str, Any]) -> None:
        where, name = parameter.get("in"), parameter["name"]
        has, value = samples.declared_value(parameter, self.resolver)
        if where == "path":
            if has:
                self.path_values[name] = quote(samples.text(value), safe="")
            else:
                self.path_values[name] = self._path_variable(name, parameter)
        elif where == "query" and parameter.get("required") is True:
            if not has:
                value = samples.sample(parameter.get("schema", {}), self.resolver)
            self.query.append((name, samples.text(value)))
        elif where == "header" and name.lower() not in IGNORED_HEADERS:
            if not has:
                value = samples.sample(parameter.get("schema", {}), self.resolver)
            self.headers[name] = inert(samples.text(value)) or "1"

    def _path_value(self, match: re.Match[str]) -> str:
        name = match.group(1)
        return self.path_values[name] if name in self.path_values else self._path_variable(name)

    def _path_variable(self, name: str, parameter: dict[str, Any] | None = None) -> str:
        variable = var_name(name)
        schema = self.resolver.resolve((parameter or {}).get("schema"))
        kind = f" ({schema['type']})" if isinstance(schema, dict) and isinstance(schema.get("type"), str) else ""
        self.variables.append(Variable(variable, f"path parameter '{inert(name)}'{kind} of {self.method} "
                                                 f"{inert(self.template)}"))
        return "${" + variable + "}"

    def _security(self, operation: dict[str, Any]) -> None:
        requirements = operation.get("security", self.document.get("security"))
        chosen = next((r for r in _list(requirements) if isinstance(r, dict)), None)
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        for name in chosen or {}:
            scheme = self.resolver.resolve(schemes.get(name)) if isinstance(schemes, dict) else None
            if not isinstance(scheme, dict):
                self.notes.append(f"security scheme '{inert(str(name))}' is not defined; skipped")
                continue
            self._scheme(inert(str(name)), scheme)

    def _scheme(self, name: str, scheme: dict[str, Any]) -> None:
        kind, env = scheme.get("type"), env_name(name)
        placeholder = "${env:" + env + "}"
        if kind in ("oauth2", "openIdConnect") or (kind == "http" and str(scheme.get("scheme")).lower() == "bearer"):
            self.headers["Authorization"] = f"Bearer {placeholder}"
            self.secrets.append(Secret(env, f"a bearer token for security scheme '{name}'"))
        elif kind == "http":
            word = str(scheme.get("scheme") or "Basic").capitalize()
            self.headers["Authorization"] = f"{word} {placeholder}"
            what = "base64 of user:password" if word == "Basic" else f"the {word} credentials"
            self.secrets.append(Secret(env, f"{what} for security scheme '{name}'"))
        elif kind == "apiKey" and isinstance(scheme.get("name"), str):
            key, where = inert(scheme["name"]), scheme.get("in")
            self.secrets.append(Secret(env, f"the API key for security scheme '{name}' ({where} '{key}')"))
            if where == "header":
                self.headers[key] = placeholder
            elif where == "query":
                self.query.append((key, placeholder))
            elif where == "cookie":
                self.credentials = True
                self.cookie = f"{key}={placeholder}"
        else:
            self.notes.append(f"security scheme '{name}' ({inert(str(kind))}) is not sent by a page's fetch(); "
                              "skipped")

    def _body(self, body: Any) -> str | None:
        body = self.resolver.resolve(body)
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media_type, media = next(iter(content.items()))
        media = self.resolver.resolve(media)
        has, value = samples.declared_value(media, self.resolver) if isinstance(media, dict) else (False, None)
        if not has:
            value = samples.sample(media.get("schema", {}) if isinstance(media, dict) else {}, self.resolver)
        essence = str(media_type).split(";")[0].strip().lower()
        if essence in ("*/*", ""):
            return None
        if essence == "multipart/form-data":
            self.headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
            return _multipart(value, self._file_fields(media))
        self.headers["Content-Type"] = inert(str(media_type))
        if essence == "application/x-www-form-urlencoded":
            fields = value if isinstance(value, dict) else {}
            return urlencode([(k, _field(v)) for k, v in fields.items()])
        if "json" in essence:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("${", "\\u0024{")
        return inert(value if isinstance(value, str) else json.dumps(value))

    def _file_fields(self, media: Any) -> frozenset[str]:
        schema = self.resolver.resolve(media.get("schema")) if isinstance(media, dict) else None
        properties = schema.get("properties") if isinstance(schema, dict) else None
        files = set()
        for name, prop in (properties.items() if isinstance(properties, dict) else ()):
            prop = self.resolver.resolve(prop)
            if isinstance(prop, dict) and (prop.get("format") == "binary" or "contentMediaType" in prop):
                files.add(str(name))
        return frozenset(files)

    def _readable(self, operation: dict[str, Any]) -> tuple[str, ...]:
        responses = self.resolver.resolve(operation.get("responses"))
        names: list[str] = []
        for code, response in (responses.items() if isinstance(responses, dict) else ()):
            if not (str(code).startswith("2") or str(code) == "default"):
                continue
            response = self.resolver.resolve(response)
            headers = response.get("headers") if isinstance(response, dict) else None
            for header, spec in (headers.items() if isinstance(headers, dict) else ()):
                spec = self.resolver.resolve(spec)
                marked = isinstance(spec, dict) and spec.get("x-corsprobe-readable") is True
                if (marked or self.readable_declared) and str(header).lower() not in UNREADABLE:
                    names.append(inert(str(header)))
        return tuple(dict.fromkeys(names))


def _field(value: Any) -> str:
    if isinstance(value, dict):
        return json.dumps(value)
    return value if isinstance(value, str) else samples.text(value)


def _multipart(value: Any, files: frozenset[str]) -> str:
    """A multipart/form-data body: one part per field, a small text file for binary fields."""
    fields = value if isinstance(value, dict) else {}
    parts = []
    for name, field in fields.items():
        quoted = inert(str(name)).replace('"', "%22").replace("\r", "").replace("\n", "")
        disposition = f'form-data; name="{quoted}"'
        if name in files:
            disposition += '; filename="corsprobe.txt"\r\nContent-Type: text/plain'
            field = "corsprobe"
        parts.append(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{inert(_field(field))}\r\n")
    return "".join(parts) + f"--{BOUNDARY}--\r\n"
