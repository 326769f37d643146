"""Table-driven rules of corsprobe.openapi.operations: the request a frontend would make per operation."""

from __future__ import annotations

from typing import Any

import pytest

from corsprobe.openapi.operations import Request, operations
from corsprobe.openapi.refs import Resolver

SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"}, "basic": {"type": "http", "scheme": "basic"},
    "oauth": {"type": "oauth2", "flows": {}}, "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    "query": {"type": "apiKey", "in": "query", "name": "api_key"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "sid"}, "mtls": {"type": "mutualTLS"},
}


def _one(operation: dict[str, Any], path: str = "/a", method: str = "post", **top: Any) -> Request:
    document = {"openapi": "3.1.0", "paths": {path: {method: operation}},
                "components": {"securitySchemes": SCHEMES, "schemas": {
                    "Node": {"type": "object", "required": ["name", "child"],
                             "properties": {"name": {"type": "string"},
                                            "child": {"$ref": "#/components/schemas/Node"}}}}},
                **top}
    [request] = operations(document, Resolver(document, "t.json"))
    return request


def _body(media: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"requestBody": {"content": {media: {"schema": schema or {}, **extra}}}}


OBJECT = {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}, "s": {"default": "x"},
                                                             "skip": {"type": "string"}}}
BODIES = [
    ("application/json", OBJECT, {}, "application/json", '{"n":1,"s":"x"}'),
    ("application/vnd.api+json", {"type": "array", "items": {"type": "boolean"}}, {}, "application/vnd.api+json",
     "[true]"),
    ("application/json", {"$ref": "#/components/schemas/Node"}, {}, "application/json",
     '{"name":"string","child":null}'),
    ("application/json", {}, {"example": {"from": "media"}}, "application/json", '{"from":"media"}'),
    ("application/json", {}, {"examples": {"one": {"value": [1]}}}, "application/json", "[1]"),
    ("application/x-www-form-urlencoded", OBJECT, {}, "application/x-www-form-urlencoded", "n=1&s=x"),
    ("text/plain", {"type": "string", "example": "hi"}, {}, "text/plain", "hi"),
    ("application/xml", {"type": "string"}, {}, "application/xml", "string"),
    ("*/*", OBJECT, {}, None, None),
]


@pytest.mark.parametrize(("media", "schema", "extra", "content_type", "body"), BODIES)
def test_request_bodies(media: str, schema: dict[str, Any], extra: dict[str, Any], content_type: str | None,
                        body: str | None) -> None:
    request = _one(_body(media, schema, **extra))
    assert dict(request.headers).get("Content-Type") == content_type
    assert request.body == body


def test_multipart_body_matches_its_boundary() -> None:
    request = _one(_body("multipart/form-data", {"type": "object", "required": ["f", "t"], "properties": {
        "f": {"type": "string", "format": "binary"}, "t": {"type": "string"}}}))
    content_type = dict(request.headers)["Content-Type"]
    boundary = content_type.split("boundary=")[1]
    assert request.body is not None and request.body.endswith(f"--{boundary}--\r\n")
    assert request.body.count(f"--{boundary}\r\n") == 2 and 'name="f"; filename="corsprobe.txt"' in request.body


SECURITY = [
    ([{"bearer": []}], {"Authorization": "Bearer ${env:CORSPROBE_BEARER}"}, False, None, ""),
    ([{"basic": []}], {"Authorization": "Basic ${env:CORSPROBE_BASIC}"}, False, None, ""),
    ([{"oauth": ["read"]}], {"Authorization": "Bearer ${env:CORSPROBE_OAUTH}"}, False, None, ""),
    ([{"key": []}], {"X-Key": "${env:CORSPROBE_KEY}"}, False, None, ""),
    ([{"query": []}], {}, False, None, "?api_key=${env:CORSPROBE_QUERY}"),
    ([{"cookie": []}], {}, True, "sid=${env:CORSPROBE_COOKIE}", ""),
    ([{"key": [], "cookie": []}], {"X-Key": "${env:CORSPROBE_KEY}"}, True, "sid=${env:CORSPROBE_COOKIE}", ""),
    ([{}, {"bearer": []}], {}, False, None, ""),  # the first alternative: no authentication
    ([], {}, False, None, ""),
    ([{"mtls": []}], {}, False, None, ""),
]


@pytest.mark.parametrize(("security", "headers", "credentials", "cookie", "query"), SECURITY)
def test_security_schemes(security: list[Any], headers: dict[str, str], credentials: bool, cookie: str | None,
                          query: str) -> None:
    request = _one({"security": security}, method="get")
    assert (dict(request.headers), request.credentials, request.cookie, request.path) == (
        headers, credentials, cookie, "/a" + query)
    assert {s.env for s in request.secrets} == {v.split("${env:")[1].rstrip("}") for v in
                                                [*headers.values(), cookie or "", query] if "${env:" in v}


def test_operation_security_overrides_the_documents() -> None:
    assert _one({"security": []}, method="get", security=[{"bearer": []}]).headers == ()
    assert _one({}, method="get", security=[{"bearer": []}]).headers[0][0] == "Authorization"


PATH_VALUES = [
    ({"example": 7}, "/i/7"),
    ({"examples": {"a": {"value": "x y"}}}, "/i/x%20y"),
    ({"schema": {"type": "integer", "examples": [4]}}, "/i/4"),
    ({"schema": {"type": "string", "default": "d"}}, "/i/d"),
    ({"schema": {"enum": ["on", "off"]}}, "/i/on"),
    ({"schema": {"anyOf": [{"type": "integer", "example": 9}, {"type": "null"}]}}, "/i/9"),
    ({"schema": {"type": "integer"}}, "/i/${item_id}"),
]


@pytest.mark.parametrize(("declared", "path"), PATH_VALUES)
def test_path_parameters(declared: dict[str, Any], path: str) -> None:
    request = _one({"parameters": [{"name": "item_id", "in": "path", "required": True, **declared}]},
                   path="/i/{item_id}", method="get")
    assert request.path == path
    assert [v.name for v in request.variables] == (["item_id"] if "${" in path else [])


def test_header_and_query_parameters() -> None:
    request = _one({"parameters": [
        {"name": "X-Tenant", "in": "header", "schema": {"type": "string", "default": "acme"}},
        {"name": "X-Count", "in": "header", "schema": {"type": "integer"}},
        {"name": "Accept", "in": "header", "example": "text/csv"},
        {"name": "Authorization", "in": "header", "example": "x"},
        {"name": "q", "in": "query", "required": True, "example": "a b"},
        {"name": "page", "in": "query", "schema": {"type": "integer"}},
    ]}, method="get")
    assert dict(request.headers) == {"X-Tenant": "acme", "X-Count": "1"}
    assert request.path == "/a?q=a%20b"


def test_path_level_parameters_are_inherited_and_overridden() -> None:
    document = {"openapi": "3.1.0", "paths": {"/i/{id}": {
        "parameters": [{"name": "id", "in": "path", "example": 1}, {"name": "X-A", "in": "header", "example": "a"}],
        "get": {"parameters": [{"name": "id", "in": "path", "example": 2}]}}}}
    [request] = operations(document, Resolver(document, "t.json"))
    assert (request.path, request.headers) == ("/i/2", (("X-A", "a"),))


def test_readable_response_headers() -> None:
    headers = {"X-Total": {"x-corsprobe-readable": True}, "X-Other": {}, "Set-Cookie": {"x-corsprobe-readable": True}}
    responses = {"200": {"headers": headers}, "404": {"headers": {"X-Err": {"x-corsprobe-readable": True}}}}
    document = {"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": responses}}}}
    [marked] = operations(document, Resolver(document, "t.json"))
    [declared] = operations(document, Resolver(document, "t.json"), readable_declared=True)
    assert marked.readable == ("X-Total",)
    assert declared.readable == ("X-Total", "X-Other")


def test_trace_is_skipped_and_order_is_path_then_method() -> None:
    document = {"openapi": "3.1.0", "paths": {"/b": {"trace": {}, "delete": {}, "get": {}}, "/a": {"patch": {}}}}
    assert [r.name for r in operations(document, Resolver(document, "t.json"))] == ["PATCH /a", "GET /b", "DELETE /b"]
