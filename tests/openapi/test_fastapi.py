"""corsprobe run/init --openapi against real FastAPI apps (uvicorn on loopback): every operation is
probed with the preflight a browser would send, verdicts match a hand-written scenario's, and the file
``init`` writes runs identically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from corsprobe.cli import main
from tests.openapi.apps import ADMIN, PAGE, shop
from tests.support.servers import Running

CANARY = "https://corsprobe-canary.invalid"
# operation -> (Access-Control-Request-Method, Access-Control-Request-Headers) of its preflight, None: none sent
PREFLIGHTS = {
    "GET /items": None,
    "GET /items/{item_id}": None,
    "PUT /items/{item_id}": ("PUT", "content-type"),
    "PATCH /items/{item_id}": ("PATCH", "content-type"),
    "DELETE /items/{item_id}": ("DELETE", "authorization"),
    "POST /login": None,
    "GET /me": None,
    "POST /orders": ("POST", "authorization,content-type"),
    "GET /orders/search": ("GET", "x-tenant"),
    "POST /upload": None,
}
# The same requests written by hand, as a user would without the description.
HAND_WRITTEN = """
base_url = "{base}"
[defaults]
origins = ["http://localhost:8080"]

[[probe]]
name = "GET /items"
path = "/items"
expect_readable = ["X-Total-Count"]
expect = "allowed"
[[probe]]
name = "GET /items/{{item_id}}"
path = "/items/3"
[[probe]]
name = "PUT /items/{{item_id}}"
path = "/items/5"
method = "PUT"
headers = {{ "Content-Type" = "application/json" }}
body = '{{"name": "pen"}}'
[[probe]]
name = "PATCH /items/{{item_id}}"
path = "/items/5"
method = "PATCH"
headers = {{ "Content-Type" = "application/json" }}
[[probe]]
name = "DELETE /items/{{item_id}}"
path = "/items/5"
method = "DELETE"
headers = {{ Authorization = "Bearer t" }}
[[probe]]
name = "POST /login"
path = "/login"
method = "POST"
headers = {{ "Content-Type" = "application/x-www-form-urlencoded" }}
body = "username=a&password=b"
[[probe]]
name = "GET /me"
path = "/me"
credentials = true
cookie = "session=c"
[[probe]]
name = "POST /orders"
path = "/orders"
method = "POST"
headers = {{ Authorization = "Bearer t", "Content-Type" = "application/json" }}
body = '{{"item_id": 1}}'
[[probe]]
name = "GET /orders/search"
path = "/orders/search?status=open"
headers = {{ "X-Tenant" = "acme" }}
[[probe]]
name = "POST /upload"
path = "/upload"
method = "POST"
headers = {{ "Content-Type" = "multipart/form-data; boundary=x" }}
body = "--x--\\r\\n"
"""
# What a browser does under the "partial" configuration (GET/POST/PUT; Content-Type, Authorization).
PARTIAL = {
    "GET /items": "allowed", "GET /items/{item_id}": "allowed", "PUT /items/{item_id}": "allowed",
    "PATCH /items/{item_id}": "blocked", "DELETE /items/{item_id}": "blocked", "POST /login": "unchecked",
    "GET /me": "allowed", "POST /orders": "allowed", "GET /orders/search": "blocked", "POST /upload": "unchecked",
}


def _operations() -> set[str]:
    spec = shop("partial").openapi()
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item}


def _run(cli: CliRunner, *args: str) -> tuple[int, dict[str, Any], str]:
    result = cli.invoke(main, ["run", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def _rows(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in document["results"]}


def test_run_openapi_probes_every_operation_with_the_browsers_preflight(cli: CliRunner, partial: Running) -> None:
    code, document, _ = _run(cli, "--openapi", partial.url("/openapi.json"), "--origin", PAGE, "--var", "item_id=5")
    rows = _rows(document)
    assert set(PREFLIGHTS) == _operations()
    assert set(rows) == set(PREFLIGHTS) | {f"{name} from a blocked origin" for name in PREFLIGHTS}
    for name, preflight in PREFLIGHTS.items():
        for row in (rows[name], rows[f"{name} from a blocked origin"]):
            assert row["preflight"]["needed"] is (preflight is not None), name
            if preflight is not None:
                sent = dict(row["preflight"]["request_headers"])
                assert (sent["Access-Control-Request-Method"], sent["Access-Control-Request-Headers"]) == preflight
                assert not {"authorization", "cookie"} & {k.lower() for k in sent}
        assert rows[name]["origin"] == PAGE
        assert rows[f"{name} from a blocked origin"]["origin"] == CANARY
    assert {name: rows[name]["verdict"] for name in PREFLIGHTS} == PARTIAL
    assert {rows[f"{n} from a blocked origin"]["verdict"] for n in PREFLIGHTS} == {"blocked", "unchecked"}
    assert rows["GET /me"]["credentials"] == "include"
    assert rows["GET /items"]["passed"] is True and "x-total-count" in rows["GET /items"]["readable_headers"]
    assert rows["PUT /items/{item_id}"]["url"] == partial.url("/items/5")
    assert code == 1  # PATCH, DELETE and the search are blocked although the app origin expects allowed
    assert "bearer-s3cret" not in json.dumps(document) and "cookie-s3cret" not in json.dumps(document)


def test_verdicts_match_a_hand_written_scenario(cli: CliRunner, partial: Running, tmp_path: Path) -> None:
    hand = tmp_path / "hand.toml"
    hand.write_text(HAND_WRITTEN.format(base=partial.url("")), encoding="utf-8")
    _, by_hand, _ = _run(cli, str(hand))
    _, generated, _ = _run(cli, "--openapi", partial.url("/openapi.json"), "--origin", PAGE, "--var", "item_id=5",
                           "--blocked-origin", "none")
    verdicts = {name: (row["verdict"], row["reason"]) for name, row in _rows(by_hand).items()}
    assert {name: (row["verdict"], row["reason"]) for name, row in _rows(generated).items()} == verdicts
    assert {name: v[0] for name, v in verdicts.items()} == PARTIAL


def test_table_output(cli: CliRunner, partial: Running) -> None:
    result = cli.invoke(main, ["run", "--openapi", partial.url("/openapi.json"), "--origin", PAGE,
                               "--var", "item_id=5", "--color", "never"])
    assert result.exit_code == 1, result.stderr
    assert "GET /items/{item_id}" in result.stdout and "PATCH" in result.stdout
    assert "20 probes:" in result.stdout


def test_init_writes_a_file_that_runs_identically(cli: CliRunner, partial: Running, tmp_path: Path) -> None:
    target = tmp_path / "api.toml"
    spec = partial.url("/openapi.json")
    result = cli.invoke(main, ["init", "--openapi", spec, "--origin", PAGE, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target} (20 probes)" in result.stderr
    _, from_file, _ = _run(cli, str(target), "--var", "item_id=5")
    _, direct, _ = _run(cli, "--openapi", spec, "--origin", PAGE, "--var", "item_id=5")

    def view(document: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [(r["name"], r["url"], r["method"], r["verdict"], r["reason"], r["preflight"]["request_headers"],
                 r["actual"]["status"], r["passed"]) for r in document["results"]]

    assert view(from_file) == view(direct)
    again = cli.invoke(main, ["init", "--openapi", spec, "--origin", PAGE, "-o", str(target)])
    assert again.exit_code == 2 and "pass --force" in again.stderr
    forced = cli.invoke(main, ["init", "--openapi", spec, "--origin", PAGE, "-o", str(target), "--force"])
    assert forced.exit_code == 0
    printed = cli.invoke(main, ["init", "--openapi", spec, "--origin", PAGE, "-o", "-"])
    assert printed.stdout == target.read_text(encoding="utf-8")  # deterministic


def test_open_config_send_unsafe_and_two_origins(cli: CliRunner, open_api: Running) -> None:
    code, document, _ = _run(cli, "--openapi", open_api.url("/openapi.json"), "--origin", PAGE, "--origin", ADMIN,
                             "--var", "item_id=5", "--send-unsafe")
    rows = document["results"]
    app_rows = [r for r in rows if r["origin"] != CANARY]
    assert len(app_rows) == 2 * len(PREFLIGHTS)
    assert {r["verdict"] for r in app_rows} == {"allowed"}
    assert all(r["actual"]["sent"] for r in app_rows)
    statuses = {r["name"]: r["actual"]["status"] for r in app_rows}
    assert statuses["POST /login [http://localhost:8080]"] == 200
    assert statuses["POST /upload [http://localhost:9090]"] == 200
    assert {r["verdict"] for r in rows if r["origin"] == CANARY} == {"blocked"}
    assert code == 0


def test_expect_readable_declared_catches_an_unexposed_header(cli: CliRunner, open_api: Running) -> None:
    code, document, _ = _run(cli, "--openapi", open_api.url("/openapi.json"), "--origin", PAGE,
                             "--include", "/items", "--expect-readable-declared", "--blocked-origin", "none")
    [row] = document["results"]
    assert row["expect"]["readable"] == ["X-Total-Count", "X-Debug"]
    assert row["verdict"] == "allowed" and row["passed"] is False and code == 1


def test_discovery_filters_and_tags(cli: CliRunner, partial: Running) -> None:
    _, document, stderr = _run(cli, "--openapi", partial.url("/"), "--origin", PAGE, "--tag", "orders",
                               "--blocked-origin", "none")
    assert f"using the API description at {partial.url('/openapi.json')}" in stderr
    assert set(_rows(document)) == {"POST /orders", "GET /orders/search"}
    _, document, _ = _run(cli, "--openapi", partial.url("/openapi.json"), "--origin", PAGE, "--include", "/items*",
                          "--exclude", "/items/*", "--blocked-origin", "none")
    assert set(_rows(document)) == {"GET /items"}


def test_diff_compares_two_deployments_endpoint_by_endpoint(cli: CliRunner, partial: Running, open_api: Running,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "api.toml"
    made = cli.invoke(main, ["init", "--openapi", partial.url("/openapi.json"), "--origin", PAGE, "-o", str(target),
                             "--blocked-origin", "none"])
    assert made.exit_code == 0, made.stderr
    result = cli.invoke(main, ["diff", str(target), "--var", "item_id=5", "--base-url", partial.url(""),
                               "--base-url", open_api.url(""), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    rows = json.loads(result.stdout)["rows"]
    changed = {row["name"] for row in rows if row["differs"]}
    assert {"PATCH /items/{item_id}", "DELETE /items/{item_id}", "GET /orders/search"} <= changed
    assert len(rows) == len(PREFLIGHTS)
