"""An API description's text -> a validated OpenAPI 3.x mapping, or one clear error line.

Pure: works on bytes already read. JSON always; YAML when the optional ``pyyaml`` is installed
(``pip install 'corsprobe[yaml]'``). Swagger 2.0 is converted by ``swagger2`` where it maps
cleanly. Size, nesting and count limits keep a hostile document from exhausting memory or time.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
from typing import Any

from corsprobe.errors import ScenarioError

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_OPERATIONS = 2000
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def parse_text(data: bytes, source: str, media_type: str | None = None) -> dict[str, Any]:
    """Decode JSON (or YAML) into a mapping and check it is an OpenAPI 3.x description."""
    if len(data) > MAX_BYTES:
        raise ScenarioError(source, None, f"the API description is {len(data):,} bytes; corsprobe reads at most "
                            f"{MAX_BYTES:,} (split it, or pass a smaller file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(source, None, f"the API description is not UTF-8 text ({error.reason} at byte "
                            f"{error.start})") from None
    document = _decode(text, source, media_type)
    if not isinstance(document, dict):
        raise ScenarioError(source, None, f"an API description must be a JSON/YAML object, not "
                            f"{kind(document)}")
    _check_depth(document, source)
    return _openapi3(document, source)


def _decode(text: str, source: str, media_type: str | None) -> Any:
    stripped = text.lstrip()
    looks_json = stripped.startswith(("{", "[")) or (media_type or "").endswith("json")
    if looks_json:
        try:
            return json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            raise ScenarioError(source, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})") from None
        except (RecursionError, ValueError) as error:
            raise ScenarioError(source, None, f"not a usable JSON document: {error}") from None
    if not stripped:
        raise ScenarioError(source, None, "the API description is empty")
    return _yaml(text, source)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _yaml(text: str, source: str) -> Any:
    try:
        yaml: Any = importlib.import_module("yaml")  # optional: corsprobe[yaml]
    except ImportError:
        raise ScenarioError(source, None, "this API description is YAML (or not JSON); reading YAML needs "
                            "pyyaml: pip install 'corsprobe[yaml]'") from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ScenarioError(source, line, f"not valid YAML or JSON: {error.problem}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ScenarioError(source, None, f"not valid YAML or JSON: {error}") from None


def _check_depth(document: Any, source: str) -> None:
    """Bounded walk: nesting deeper than MAX_DEPTH is refused (YAML aliases are walked once)."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(source, None, f"the API description nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def _openapi3(document: dict[str, Any], source: str) -> dict[str, Any]:
    if "swagger" in document:
        from corsprobe.openapi.swagger2 import convert

        document = convert(document, source)
    version = document.get("openapi")
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01](\.\d+)?(-.*)?", version):
        found = f"'openapi: {version}'" if version is not None else "no 'openapi' or 'swagger' key"
        raise ScenarioError(source, None, f"not an OpenAPI 3.0/3.1 or Swagger 2.0 description ({found}); "
                            "corsprobe reads documents with openapi: 3.0.x or 3.1.x")
    paths = document.get("paths", {})
    if not isinstance(paths, dict):
        raise ScenarioError(source, None, f"'paths' must be an object, not {kind(paths)}")
    count = 0
    for template, item in paths.items():
        if not isinstance(template, str) or not template.startswith("/"):
            raise ScenarioError(source, None, f"path {template!r} in 'paths' must start with '/'")
        if not isinstance(item, dict):
            raise ScenarioError(source, None, f"paths['{template}'] must be an object, not {kind(item)}")
        for method in METHODS:
            if method in item:
                count += 1
                if not isinstance(item[method], dict):
                    raise ScenarioError(source, None, f"paths['{template}'].{method} must be an object, not "
                                        f"{kind(item[method])}")
    if count > MAX_OPERATIONS:
        raise ScenarioError(source, None, f"the API description has {count} operations; corsprobe generates at "
                            f"most {MAX_OPERATIONS} (narrow it with --include/--tag on a smaller file)")
    for key in ("components", "info"):
        if key in document and not isinstance(document[key], dict):
            raise ScenarioError(source, None, f"'{key}' must be an object, not {kind(document[key])}")
    return document


def kind(value: Any) -> str:
    """'an object', 'an array', 'a string', … for error messages."""
    names: Mapping[type, str] = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
                                 int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
