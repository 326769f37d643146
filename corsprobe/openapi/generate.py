"""An API description -> the text of a scenario file. Pure: the description's bytes are passed in.

Picks the base URL (``--base-url``, else the description's ``servers[0]`` resolved against the URL
it came from, else that URL's origin), filters operations (``--include``/``--exclude`` path globs,
``--tag``) and hands the requests to ``writer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urljoin

from corsprobe.browser import origins
from corsprobe.errors import ScenarioError
from corsprobe.openapi import CANARY_ORIGIN, document, operations, writer
from corsprobe.openapi.refs import Resolver


@dataclass(frozen=True, slots=True)
class Choices:
    """The command line's choices for the generated probes."""

    origins: tuple[str, ...]
    blocked_origin: str | None = CANARY_ORIGIN
    credentials: bool = False
    base_url: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    send_unsafe: bool = False
    readable_declared: bool = False


def generate(data: bytes, source: str, choices: Choices, *, url: str | None = None,
             media_type: str | None = None) -> str:
    """The scenario file for the description ``data`` read from ``source`` (fetched from ``url``, if any)."""
    for origin in (*choices.origins, *([choices.blocked_origin] if choices.blocked_origin else [])):
        if origin != "null" and origins.serialize_origin(origin) != origin.rstrip("/"):
            raise ScenarioError(source, None, f"origin {origin!r} is not an http(s) origin; write e.g. "
                                "https://app.example.com")
    if not choices.origins:
        raise ScenarioError(source, None, "give the app's origins with --origin (e.g. --origin http://localhost:8080)")
    spec = document.parse_text(data, source, media_type)
    resolver = Resolver(spec, source)
    found = operations.operations(spec, resolver, readable_declared=choices.readable_declared)
    chosen = [r for r in found if _wanted(r, choices)]
    if not chosen:
        what = f"{len(found)} operation{'s' if len(found) != 1 else ''}"
        raise ScenarioError(source, None, f"no operation to probe: the description has {what} and none "
                            "matches --include/--exclude/--tag" if found else "the description has no operations")
    base, note = _base_url(spec, choices.base_url, url, source)
    info = spec.get("info", {})
    title = " ".join(str(info[k]) for k in ("title", "version") if isinstance(info, dict) and info.get(k))
    skipped = [f"{r.name} (tags: {', '.join(r.tags) or 'none'})" for r in found if r not in chosen]
    plan = writer.Plan(tuple(chosen), tuple(o.rstrip("/") for o in choices.origins), url or source,
                       f"{title} (OpenAPI {spec.get('openapi')})".strip(), base, note,
                       choices.blocked_origin.rstrip("/") if choices.blocked_origin else None,
                       choices.credentials, choices.send_unsafe, tuple(skipped))
    return writer.render(plan)


def _wanted(request: operations.Request, choices: Choices) -> bool:
    if choices.include and not any(fnmatchcase(request.template, g) for g in choices.include):
        return False
    if any(fnmatchcase(request.template, g) for g in choices.exclude):
        return False
    return not choices.tags or any(t in request.tags for t in choices.tags)


def _base_url(spec: dict[str, Any], given: str | None, url: str | None, source: str) -> tuple[str | None, str]:
    if given:
        return given, ""
    servers = spec.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else None
    if isinstance(server, dict) and isinstance(server.get("url"), str):
        value = _with_variables(server["url"], server.get("variables"))
        if url is not None:
            value = urljoin(url, value)
        if origins.split_url(value) is not None:
            return value.rstrip("/") or value, "the description's servers[0]"
        if url is None:
            raise ScenarioError(source, None, f"servers[0] is {value!r}, not a full http(s) URL; pass --base-url")
    if url is not None:
        origin = origins.serialize_origin(url)
        return origin, "where the description was served (it names no server)"
    return None, ""


def _with_variables(template: str, variables: Any) -> str:
    if isinstance(variables, dict):
        for name, variable in variables.items():
            if isinstance(variable, dict) and isinstance(variable.get("default"), str | int):
                template = template.replace("{" + str(name) + "}", str(variable["default"]))
    return template
