"""Swagger 2.0 -> OpenAPI 3.0, for what maps cleanly; anything else is refused with one line.

Pure. Converts host/basePath/schemes to servers, body and formData parameters to a requestBody
(``consumes`` gives the media type), other parameters' types to schemas, response headers,
``definitions`` to ``components/schemas`` and ``securityDefinitions`` to security schemes.
"""

from __future__ import annotations

from typing import Any

from corsprobe.errors import ScenarioError

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "example", "minimum", "maximum", "pattern")


def convert(document: dict[str, Any], source: str) -> dict[str, Any]:
    """An OpenAPI 3.0 mapping equivalent to the Swagger 2.0 ``document`` for corsprobe's purposes."""
    if document.get("swagger") != "2.0":
        raise ScenarioError(source, None, f"swagger: {document.get('swagger')!r} is not Swagger 2.0; corsprobe "
                            "reads Swagger 2.0 and OpenAPI 3.0/3.1")
    document = _rewrite_refs(document)
    shared = document.get("parameters", {})
    if not isinstance(shared, dict):
        shared = {}
    for name, parameter in shared.items():
        if isinstance(parameter, dict) and parameter.get("in") in ("body", "formData"):
            raise ScenarioError(source, None, f"Swagger 2.0: the shared {parameter.get('in')} parameter "
                                f"#/parameters/{name} does not map cleanly to OpenAPI 3; convert the file first "
                                "(e.g. with swagger2openapi)")
    consumes = document.get("consumes") or ["application/json"]
    paths: dict[str, Any] = {}
    for template, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[template] = item
            continue
        converted: dict[str, Any] = {}
        if "parameters" in item:
            converted["parameters"] = [_parameter(p) for p in _list(item["parameters"])
                                       if not _is_body(p)]
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                converted[method] = _operation(operation, consumes, _list(item.get("parameters")))
            elif operation is not None:
                converted[method] = operation
        paths[template] = converted
    components = {
        "schemas": document.get("definitions") or {},
        "parameters": {k: _parameter(v) for k, v in shared.items()},
        "securitySchemes": {k: _security(v) for k, v in (document.get("securityDefinitions") or {}).items()
                            if isinstance(v, dict)},
    }
    result: dict[str, Any] = {"openapi": "3.0.3", "info": document.get("info") or {}, "paths": paths,
                              "components": components}
    if "security" in document:
        result["security"] = document["security"]
    if document.get("host"):
        schemes = _list(document.get("schemes")) or ["https"]
        result["servers"] = [{"url": f"{schemes[0]}://{document['host']}{document.get('basePath') or ''}"}]
    elif document.get("basePath"):
        result["servers"] = [{"url": document["basePath"]}]
    return result


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_body(parameter: Any) -> bool:
    return isinstance(parameter, dict) and parameter.get("in") in ("body", "formData")


def _operation(operation: dict[str, Any], consumes: list[Any], inherited: list[Any]) -> dict[str, Any]:
    converted = {k: v for k, v in operation.items() if k not in ("parameters", "responses", "consumes",
                                                                 "produces")}
    parameters = _list(operation.get("parameters"))
    converted["parameters"] = [_parameter(p) for p in parameters if not _is_body(p)]
    media = (operation.get("consumes") or consumes or ["application/json"])[0]
    body = [p for p in [*inherited, *parameters] if isinstance(p, dict) and p.get("in") == "body"]
    form = [p for p in [*inherited, *parameters] if isinstance(p, dict) and p.get("in") == "formData"]
    if body:
        converted["requestBody"] = {"content": {media: {"schema": body[0].get("schema") or {}}}}
    elif form:
        files = any(p.get("type") == "file" for p in form)
        form_media = media if media in ("application/x-www-form-urlencoded", "multipart/form-data") else (
            "multipart/form-data" if files else "application/x-www-form-urlencoded")
        properties = {p.get("name", ""): _schema(p) for p in form}
        required = [p.get("name", "") for p in form if p.get("required")]
        converted["requestBody"] = {"content": {form_media: {"schema": {
            "type": "object", "properties": properties, "required": required}}}}
    responses = operation.get("responses")
    if isinstance(responses, dict):
        converted["responses"] = {code: _response(r) for code, r in responses.items()}
    return converted


def _parameter(parameter: Any) -> Any:
    if not isinstance(parameter, dict) or "$ref" in parameter:
        return parameter
    converted = {k: v for k, v in parameter.items() if k not in _SCHEMA_KEYS and k != "collectionFormat"}
    converted["schema"] = _schema(parameter)
    if "example" in parameter:
        converted["example"] = parameter["example"]
    return converted


def _schema(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = {k: parameter[k] for k in _SCHEMA_KEYS if k in parameter}
    if schema.get("type") == "file":
        schema = {"type": "string", "format": "binary"}
    return schema


def _response(response: Any) -> Any:
    if not isinstance(response, dict):
        return response
    converted = {k: v for k, v in response.items() if k not in ("headers", "schema", "examples")}
    headers = response.get("headers")
    if isinstance(headers, dict):
        converted["headers"] = {
            name: {**{k: v for k, v in h.items() if k.startswith("x-") or k == "description"},
                   "schema": _schema(h)} if isinstance(h, dict) else h
            for name, h in headers.items()}
    return converted


def _security(scheme: dict[str, Any]) -> dict[str, Any]:
    if scheme.get("type") == "basic":
        return {"type": "http", "scheme": "basic"}
    return scheme


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return {**node, "$ref": "#/components/schemas/" + ref.removeprefix("#/definitions/")}
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            return {**node, "$ref": "#/components/parameters/" + ref.removeprefix("#/parameters/")}
        return {key: _rewrite_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node
