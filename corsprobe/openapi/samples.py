"""Small values from JSON Schemas and parameter objects: what a frontend would plausibly send.

Pure. Prefers what the description says (``example``, ``examples``, ``default``, ``enum``,
``const``), then a value of the schema's type. Objects get their required properties and those
with an example or default; recursion stops at a schema already being sampled and at MAX_DEPTH.
"""

from __future__ import annotations

from typing import Any

from corsprobe.openapi.refs import Resolver

MAX_DEPTH = 6
MAX_PROPERTIES = 20
_NOTHING = object()
_FORMATS = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "email": "user@example.com",
            "uuid": "00000000-0000-4000-8000-000000000000", "uri": "https://example.com/",
            "binary": "corsprobe", "byte": "Y29yc3Byb2Jl", "password": "password"}


def declared(node: Any, resolver: Resolver) -> Any:
    """The value a parameter/media-type/schema object itself declares, or _NOTHING."""
    node = resolver.resolve(node)
    if not isinstance(node, dict):
        return _NOTHING
    if "example" in node:
        return node["example"]
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if isinstance(examples, dict):
        for example in examples.values():
            example = resolver.resolve(example)
            if isinstance(example, dict) and "value" in example:
                return example["value"]
    for key in ("default", "const"):
        if key in node:
            return node[key]
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    return _NOTHING


def declared_value(node: Any, resolver: Resolver) -> tuple[bool, Any]:
    """(True, value) when ``node`` or its schema declares a value; (False, None) otherwise."""
    value = declared(node, resolver)
    if value is _NOTHING:
        node = resolver.resolve(node)
        schema = node.get("schema") if isinstance(node, dict) else None
        value = declared(schema, resolver) if schema is not None else _NOTHING
        if value is _NOTHING and isinstance(schema, dict):
            value = _first_of(schema, resolver)
    return (False, None) if value is _NOTHING else (True, value)


def _first_of(schema: dict[str, Any], resolver: Resolver) -> Any:
    for key in ("anyOf", "oneOf", "allOf"):
        options = schema.get(key)
        if isinstance(options, list):
            for option in options:
                value = declared(option, resolver)
                if value is not _NOTHING:
                    return value
    return _NOTHING


def sample(schema: Any, resolver: Resolver, depth: int = 0, active: frozenset[str] = frozenset()) -> Any:
    """A small value matching ``schema``."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in active or depth > MAX_DEPTH:
            return None
        active = active | {ref}
    schema = resolver.resolve(schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    value = declared(schema, resolver)
    if value is not _NOTHING:
        return value
    for key in ("allOf", "anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            if key == "allOf":
                merged: dict[str, Any] = {}
                for option in options:
                    part = sample(option, resolver, depth + 1, active)
                    if isinstance(part, dict):
                        merged.update(part)
                return merged if merged else sample(options[0], resolver, depth + 1, active)
            usable = [o for o in options if resolver.resolve(o) != {"type": "null"}]
            return sample((usable or options)[0], resolver, depth + 1, active)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
        return _object(schema, resolver, depth, active)
    if kind == "array":
        item = sample(schema.get("items", {}), resolver, depth + 1, active)
        return [] if item is None else [item]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)) if isinstance(schema.get("minimum"), int | float) else 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "string" or kind is None:
        text = _FORMATS.get(str(schema.get("format")), "string")
        minimum = schema.get("minLength")
        return text.ljust(minimum, "x") if isinstance(minimum, int) and 0 < minimum <= 64 else text
    return None


def _object(schema: dict[str, Any], resolver: Resolver, depth: int, active: frozenset[str]) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {}
    listed = schema.get("required")
    required: list[Any] = listed if isinstance(listed, list) else []
    result: dict[str, Any] = {}
    for name, prop in list(properties.items())[:MAX_PROPERTIES * 5]:
        if len(result) >= MAX_PROPERTIES:
            break
        if name in required or declared(prop, resolver) is not _NOTHING:
            value = sample(prop, resolver, depth + 1, active)
            if value is not None or name in required:
                result[str(name)] = value
    return result


def text(value: Any) -> str:
    """A parameter value as it would appear in a URL or header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(text(v) for v in value)
    return "" if value is None else str(value)
