"""Layers that cannot run here, fingerprinted from recorded responses (tests/layers/data/recorded/*.json; each
file says where its responses come from: library, version, source file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corsprobe.layers import identify, named_layer
from corsprobe.layers.base import Policy, Problem, ProblemCode
from corsprobe.model import Exchange, HttpRequest, HttpResponse, Stage

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"


def _exchange(item: dict[str, dict[str, object]]) -> Exchange:
    req, resp = item["request"], item["response"]
    headers = tuple((str(k), str(v)) for k, v in req["headers"])  # type: ignore[attr-defined]
    stage = Stage.PREFLIGHT if req["method"] == "OPTIONS" else Stage.ACTUAL
    request = HttpRequest(stage, str(req["method"]), str(req["url"]), headers)
    response = HttpResponse(int(resp["status"]), tuple((str(k), str(v)) for k, v in resp["headers"]),  # type: ignore
                            body=str(resp.get("body", "")))
    return Exchange(request, response)


@pytest.mark.parametrize("path", sorted(RECORDED.glob("*.json")), ids=lambda p: p.stem)
def test_each_recorded_exchange_identifies_its_layer(path: Path) -> None:
    document = json.loads(path.read_text())
    assert document["origin"], "every recording says where it comes from"
    for item in document["exchanges"]:
        found = identify([_exchange(item)])
        assert found.layer == path.stem, (item["name"], found)


@pytest.mark.parametrize("layer_id", ["spring", "fastify-cors", "go-rs-cors", "aspnetcore", "rack-cors",
                                      "aws-api-gateway"])
def test_fix_and_suggestion_name_the_origin(layer_id: str) -> None:
    layer = named_layer(layer_id)
    assert layer is not None
    fix = layer.config_fix(Problem(ProblemCode.ORIGIN_NOT_ALLOWED, Stage.PREFLIGHT, "x", origin="http://a.test"))
    assert fix and "http://a.test" in fix
    assert "http://a.test" in layer.suggest(Policy(("http://a.test",), ("PUT",), ("x-token",), True))
