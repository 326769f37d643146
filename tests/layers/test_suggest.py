"""``corsprobe suggest`` proved on real servers: the printed configuration, applied verbatim to Express + cors,
Django + django-cors-headers and nginx, meets every expectation of tests/layers/data/suggest.toml (allowed and
blocked origins, a custom header, credentials, an exposed header, a method and a header that must stay
blocked). Also: the policy derivation and the command's errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from corsprobe.cli import main
from tests.layers.scenario import DATA, run_file, unmet
from tests.support import processes
from tests.support.servers import run_asgi, run_wsgi

SCENARIO = DATA / "suggest.toml"
# The "app" part of the location (its own X-Request-Id), then the suggested CORS part verbatim.
NGINX_LOCATION = 'location /items {{\nadd_header X-Request-Id "req-1";\n{cors}\ntry_files /items.json =404;\n}}'


def suggested(layer: str) -> str:
    result = CliRunner().invoke(main, ["suggest", str(SCENARIO), "--layer", layer])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_derived_policy_is_printed_first() -> None:
    text = suggested("express-cors")
    assert "//   origins:     http://localhost:8080, http://admin.localhost:8081" in text
    assert "//   methods:     PUT" in text and "//   expose:      X-Request-Id" in text
    assert "https://evil.example" not in text


def _starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def items(request: Request) -> JSONResponse:
        return JSONResponse({"items": [1, 2, 3]}, headers={"X-Request-Id": "req-1"})

    return Starlette(routes=[Route("/items", items, methods=["GET", "PUT", "DELETE"])])


def _flask_app() -> Any:
    from flask import Flask, jsonify

    app = Flask("suggested")

    @app.route("/items", methods=["GET", "PUT", "DELETE"])
    def items() -> Any:
        response = jsonify(items=[1, 2, 3])
        response.headers["X-Request-Id"] = "req-1"
        return response

    return app


def _apply(text: str, app: Any) -> Any:
    """Run the suggested Python verbatim with ``app`` in scope, as it would run in the user's module."""
    namespace = {"app": app}
    exec(text, namespace)
    return namespace["app"]


@pytest.mark.anyio
async def test_starlette_meets_the_scenario(client: httpx.AsyncClient) -> None:
    with run_asgi(_apply(suggested("starlette"), _starlette_app())) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert len(results) == 7 and not unmet(results)


@pytest.mark.anyio
async def test_flask_cors_meets_the_scenario(client: httpx.AsyncClient) -> None:
    with run_wsgi(_apply(suggested("flask-cors"), _flask_app())) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert len(results) == 7 and not unmet(results)


@pytest.mark.anyio
async def test_express_meets_the_scenario(needs_express: None, client: httpx.AsyncClient) -> None:
    with processes.run_express({"setup": suggested("express-cors")}) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert len(results) == 7 and not unmet(results)


@pytest.mark.anyio
async def test_django_meets_the_scenario(client: httpx.AsyncClient) -> None:
    config = {"settings": suggested("django-cors-headers"), "middleware": [processes.DJANGO_COMMON]}
    with processes.run_django(config) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert len(results) == 7 and not unmet(results)


@pytest.mark.anyio
async def test_nginx_meets_the_scenario(needs_nginx: None, client: httpx.AsyncClient, tmp_path: Path) -> None:
    http_block, _, server_part = suggested("nginx").partition("\n\n")
    with processes.run_nginx(NGINX_LOCATION.format(cors=server_part), tmp_path, http_block=http_block) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert len(results) == 7 and not unmet(results)


@pytest.mark.anyio
async def test_without_the_suggestion_the_scenario_fails(client: httpx.AsyncClient) -> None:
    """The proof can fail: django-cors-headers's defaults (credentials off, no origins) miss the allowed rows."""
    with processes.run_django({"settings": ""}) as server:
        results = await run_file(client, SCENARIO, server.origin)
    assert {r.probe.name for r in results if r.passed is not True} >= {"app reads items with cookies"}


def test_a_blocked_row_the_allowed_rows_grant_is_a_conflict(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text('base_url = "http://api.test"\n[[probe]]\nname = "a"\npath = "/x"\n'
                        'origin = "http://a.test"\nexpect = "allowed"\n'
                        '[[probe]]\nname = "b"\npath = "/y"\norigin = "http://a.test"\nexpect = "blocked"\n')
    result = CliRunner().invoke(main, ["suggest", str(scenario), "--layer", "nginx"])
    assert result.exit_code == 2
    assert "probe 'b' expects blocked" in result.stderr and "s.toml" in result.stderr


def test_an_unknown_layer_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["suggest", str(SCENARIO), "--layer", "iis"])
    assert result.exit_code == 2


def test_the_policy_lets_every_browser_through() -> None:
    """A header one browser safelists and another preflights (Chromium safelists its client hints, such as
    DPR; Firefox and WebKit do not) is in the policy: the server answers every browser."""
    from corsprobe.layers.policy import derive
    from corsprobe.model import Expectation, Job, Probe, Verdict

    page = "http://localhost:8080"
    jobs = [Job(Probe("https://api.example/a", page, headers=(("DPR", "2"), ("X-Token", "1"))),
                expect=Expectation(Verdict.ALLOWED)),
            Job(Probe("https://api.example/b", page, headers=(("Width", "100"),)), expect=Expectation(Verdict.ALLOWED))]
    assert derive(jobs).policy.headers == ("dpr", "x-token", "width")
