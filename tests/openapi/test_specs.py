"""Committed fixture descriptions (Spring's /v3/api-docs, YAML, Swagger 2.0) and hostile or malformed ones.

Every bad description is one line on stderr and exit status 2; nothing a description points at is fetched.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from corsprobe.cli import main
from corsprobe.openapi.document import MAX_BYTES
from corsprobe.openapi.generate import Choices, generate
from tests.openapi.apps import PAGE
from tests.support.servers import run_asgi

SPECS = Path(__file__).parent / "specs"
ORIGIN = ["--origin", PAGE, "--blocked-origin", "none"]


def _generated(name: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["init", "--openapi", str(SPECS / name), *ORIGIN, "-o", "-", *extra])
    assert result.exit_code == 0, result.stderr
    return tomllib.loads(result.stdout)


def _probes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {probe["name"]: probe for probe in data["probe"]}


def test_spring_api_docs() -> None:
    data = _generated("spring-api-docs.json")
    probes = _probes(data)
    assert data["base_url"] == "http://localhost:8080"
    assert list(probes) == ["GET /api/customers", "POST /api/customers", "GET /api/customers/{id}",
                            "PUT /api/customers/{id}", "DELETE /api/customers/{id}"]
    assert probes["GET /api/customers"]["path"] == "/api/customers?page=0"
    assert probes["GET /api/customers"]["expect_readable"] == ["X-Total-Count"]
    assert probes["PUT /api/customers/{id}"]["path"] == "/api/customers/${id}"
    assert probes["PUT /api/customers/{id}"]["send_unsafe"] is False
    assert json.loads(probes["POST /api/customers"]["body"]) == {"name": "Ada"}
    assert probes["DELETE /api/customers/{id}"]["headers"] == {"X-API-Key": "${env:CORSPROBE_APIKEY}"}


def test_yaml_description() -> None:
    probes = _probes(data := _generated("petstore.yaml"))
    assert data["base_url"] == "https://pets.example.com/v1"
    assert probes["GET /pets"]["headers"] == {"X-Request-Id": "abc-123"}
    assert (probes["POST /pets"]["headers"], probes["POST /pets"]["body"]) == ({"Content-Type": "text/plain"}, "Rex")
    assert probes["GET /pets/{petId}"]["path"] == "/pets/rex"
    assert probes["GET /pets/{petId}"]["headers"] == {"Authorization": "Basic ${env:CORSPROBE_BASICAUTH}"}


def test_swagger_2_is_converted() -> None:
    probes = _probes(data := _generated("swagger2.json", "--send-unsafe"))
    assert data["base_url"] == "https://legacy.example.com/api"
    assert probes["GET /widgets"]["path"] == "/widgets?limit=20"
    assert probes["POST /widgets"]["headers"] == {"X-Token": "${env:CORSPROBE_TOKEN}",
                                                  "Content-Type": "application/json"}
    assert probes["POST /widgets"]["expect_readable"] == ["X-Rate-Limit"] and probes["POST /widgets"]["send_unsafe"]
    photo = probes["POST /widgets/{id}/photo"]
    assert photo["path"] == "/widgets/7/photo"
    assert photo["headers"]["Content-Type"] == "multipart/form-data; boundary=corsprobe-boundary"
    assert 'name="photo"; filename=' in photo["body"]


def _spring_app() -> Starlette:
    spec = (SPECS / "spring-api-docs.json").read_bytes()

    async def docs(_request: Request) -> Response:
        return Response(spec, media_type="application/json")

    async def customers(_request: Request) -> Response:
        return JSONResponse([], headers={"X-Total-Count": "0"})

    return Starlette(routes=[Route("/v3/api-docs", docs), Route("/api/customers", customers, methods=["GET", "POST"]),
                             Route("/api/customers/{id}", customers, methods=["GET", "PUT", "DELETE"])],
                     middleware=[Middleware(CORSMiddleware, allow_origins=[PAGE], allow_methods=["GET", "POST"],
                                            allow_headers=["X-API-Key", "Content-Type"],
                                            expose_headers=["X-Total-Count"])])


def test_spring_discovery_and_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSPROBE_APIKEY", "k3y")
    with run_asgi(_spring_app()) as server:
        result = CliRunner().invoke(main, ["run", "--openapi", server.url("/"), *ORIGIN, "--base-url", server.url(""),
                                           "--var", "id=1", "--format", "json"])
    assert f"using the API description at {server.url('/v3/api-docs')}" in result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)["results"]}
    assert {name: row["verdict"] for name, row in rows.items()} == {
        "GET /api/customers": "allowed", "POST /api/customers": "allowed", "GET /api/customers/{id}": "allowed",
        "PUT /api/customers/{id}": "blocked", "DELETE /api/customers/{id}": "blocked"}
    assert result.exit_code == 1


def _spec(paths: Any = None, **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": paths if paths is not None else {"/a": {"get": {"responses": {}}}}, **extra}


def _schema_ref(ref: str) -> dict[str, Any]:
    return {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": ref}}}}}}}


HOSTILE = [
    ("ref-cycle", _spec(_schema_ref("#/components/schemas/A"), components={"schemas": {
        "A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}), "$ref cycle"),
    ("remote-ref", _spec(_schema_ref("https://evil.example/schema.json")), "points outside this document"),
    ("file-ref", _spec(_schema_ref("other.yaml#/Pet")), "never fetches"),
    ("dangling-ref", _spec(_schema_ref("#/components/schemas/Nope")), "points at nothing"),
    ("paths-list", _spec(["/a"]), "'paths' must be an object, not an array"),
    ("operation-string", _spec({"/a": {"get": "yes"}}), "paths['/a'].get must be an object, not a string"),
    ("path-no-slash", _spec({"a": {}}), "must start with '/'"),
    ("no-version", {"paths": {}}, "not an OpenAPI 3.0/3.1 or Swagger 2.0 description"),
    ("openapi-2", {"openapi": "2.5", "paths": {}}, "openapi: 2.5"),
    ("swagger-1", {"swagger": "1.2", "paths": {}}, "is not Swagger 2.0"),
    ("swagger-shared-body", {"swagger": "2.0", "paths": {}, "parameters": {"b": {"in": "body", "name": "b"}}},
     "does not map cleanly to OpenAPI 3"),
    ("array", ["openapi"], "must be a JSON/YAML object, not an array"),
    ("ref-not-string", _spec(_schema_ref(42)), "a $ref must be a string"),
    ("no-operations", _spec({}), "has no operations"),
    ("deep", _spec(_schema_ref("#/x"), x=json.loads("[" * 100 + "]" * 100)), "nests deeper than 64"),
]


@pytest.mark.parametrize(("document", "message"), [(d, m) for _, d, m in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_descriptions_are_one_line_exit_2(tmp_path: Path, document: Any, message: str) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--openapi", str(path), *ORIGIN, "--base-url", "http://127.0.0.1:9"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert message in lines[0] and lines[0].startswith(f"corsprobe: error: {path}")
    assert result.stdout == ""


@pytest.mark.parametrize(("text", "message"), [
    ("{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}", ":3: not valid JSON"),
    ("\xff\xfe", "not UTF-8"),
    ("openapi: [unclosed", "not valid YAML or JSON"),
    ("", "empty"),
    ('{"openapi": NaN}', "NaN is not JSON"),
])
def test_malformed_text(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "spec.json"
    path.write_bytes(text.encode("latin-1"))
    result = CliRunner().invoke(main, ["init", "--openapi", str(path), *ORIGIN, "-o", str(tmp_path / "out.toml")])
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert not (tmp_path / "out.toml").exists()


def test_a_50_mb_description_is_refused_from_a_file_and_from_a_url(tmp_path: Path) -> None:
    big = b'{"openapi": "3.1.0", "paths": {}, "x": "' + b"a" * (50 * 1024 * 1024) + b'"}'
    path = tmp_path / "big.json"
    path.write_bytes(big)
    result = CliRunner().invoke(main, ["init", "--openapi", str(path), *ORIGIN, "-o", "-"])
    assert result.exit_code == 2 and f"at most {MAX_BYTES:,}" in result.stderr

    async def served(_request: Request) -> Response:
        return Response(big, media_type="application/json")

    with run_asgi(Starlette(routes=[Route("/openapi.json", served)])) as server:
        result = CliRunner().invoke(main, ["init", "--openapi", server.url("/openapi.json"), *ORIGIN, "-o", "-"])
    assert result.exit_code == 2 and "larger than" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_yaml_without_pyyaml_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # what an interpreter without pyyaml does on import
    result = CliRunner().invoke(main, ["init", "--openapi", str(SPECS / "petstore.yaml"), *ORIGIN, "-o", "-"])
    assert result.exit_code == 2 and "pip install 'corsprobe[yaml]'" in result.stderr, result.stderr


def test_generated_text_is_deterministic_and_independent_of_path_order() -> None:
    paths = {"/b": {"post": {"responses": {}}, "get": {"responses": {}}}, "/a": {"delete": {"responses": {}}}}
    reordered = dict(reversed(list(paths.items())))
    choices = Choices(origins=(PAGE,), base_url="http://127.0.0.1:9")
    first = generate(json.dumps(_spec(paths)).encode(), "s.json", choices)
    assert first == generate(json.dumps(_spec(reordered)).encode(), "s.json", choices)
    names = [p["name"] for p in tomllib.loads(first)["probe"]]
    assert names == ["DELETE /a", "DELETE /a from a blocked origin", "GET /b", "GET /b from a blocked origin",
                     "POST /b", "POST /b from a blocked origin"]


def test_values_from_the_description_cannot_inject_toml_or_variables() -> None:
    operation = {"summary": "x\nbase_url = \"https://evil.example\"\n[[probe]]", "parameters": [
        {"name": "X-Note", "in": "header", "example": "${env:HOME}"},
        {"name": "id", "in": "path", "example": "${env:HOME}/.."}],
        "requestBody": {"content": {"application/json": {"example": {"k": "${env:HOME}"}}}}}
    text = generate(json.dumps(_spec({"/a/{id}": {"put": operation}})).encode(), "s.json",
                    Choices(origins=(PAGE,), base_url="http://127.0.0.1:9", blocked_origin=None))
    data = tomllib.loads(text)
    assert data["base_url"] == "http://127.0.0.1:9" and len(data["probe"]) == 1
    [probe] = data["probe"]
    assert "${" not in probe["path"] + probe["headers"]["X-Note"] + probe["body"]
    assert json.loads(probe["body"]) == {"k": "${env:HOME}"}  # the JSON value itself is unchanged
    assert probe["path"] == "/a/%24%7Benv%3AHOME%7D%2F.."


def test_run_names_a_missing_secret_and_usage_mistakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORSPROBE_APIKEY", raising=False)
    cli = CliRunner()
    spring = str(SPECS / "spring-api-docs.json")
    result = cli.invoke(main, ["run", "--openapi", spring, *ORIGIN])
    assert result.exit_code == 2 and "set the environment variable CORSPROBE_APIKEY" in result.stderr
    monkeypatch.setenv("CORSPROBE_APIKEY", "k")
    result = cli.invoke(main, ["run", "--openapi", spring, *ORIGIN])
    assert result.exit_code == 2 and "pass --var id=VALUE" in result.stderr
    assert cli.invoke(main, ["run"]).exit_code == 2
    result = cli.invoke(main, ["run", "x.toml", "--origin", PAGE])
    assert result.exit_code == 2 and "only with --openapi" in result.stderr
    result = cli.invoke(main, ["init", "--openapi", spring, "-o", "-"])
    assert result.exit_code == 2 and "--origin ORIGIN" in result.stderr
    result = cli.invoke(main, ["init", "--openapi", spring, "--origin", "localhost:8080", "-o", "-"])
    assert result.exit_code == 2 and "not an http(s) origin" in result.stderr


def test_init_without_a_server_writes_a_file_that_needs_base_url(tmp_path: Path) -> None:
    document = json.loads((SPECS / "petstore.yaml").with_name("spring-api-docs.json").read_text(encoding="utf-8"))
    del document["servers"]
    source = tmp_path / "spec.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["init", "--openapi", str(source), *ORIGIN, "-o", str(tmp_path / "a.toml")])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "a.toml").read_text(encoding="utf-8")
    assert "base_url =" not in text and "pass --base-url URL" in text
