"""The new fingerprints claim their layer's tells only: answers without them are not claimed (a refused
rack-cors preflight carries nothing of rack-cors; a 204 preflight is not ASP.NET Core without Kestrel)."""

from __future__ import annotations

import pytest

from corsprobe.layers import identify, named_layer
from corsprobe.model import Exchange, HttpRequest, HttpResponse, Stage

PREFLIGHT = HttpRequest(Stage.PREFLIGHT, "OPTIONS", "http://api.test/items",
                        (("Origin", "https://evil.example"), ("Access-Control-Request-Method", "PUT")))


def _preflight(status: int, headers: tuple[tuple[str, str], ...]) -> list[Exchange]:
    return [Exchange(PREFLIGHT, HttpResponse(status, headers))]


@pytest.mark.parametrize(("layer_id", "status", "headers"), [
    ("rack-cors", 200, (("Content-Length", "0"),)),
    ("aspnetcore", 204, (("Date", "Wed, 02 Dec 2026 18:00:00 GMT"),)),
    ("aspnetcore", 204, (("Access-Control-Allow-Origin", "http://localhost:8080"),
                         ("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE"))),
    ("aws-api-gateway", 204, (("Access-Control-Allow-Origin", "http://localhost:8080"),
                              ("Access-Control-Max-Age", "600"))),
])
def test_no_claim_without_the_layers_own_tell(layer_id: str, status: int, headers: tuple[tuple[str, str], ...]) -> None:
    layer = named_layer(layer_id)
    assert layer is not None
    exchanges = _preflight(status, headers)
    assert layer.fingerprint(exchanges) is None
    assert identify(exchanges).layer != layer_id


@pytest.mark.parametrize(("layer_id", "headers"), [
    ("aspnetcore", (("Server", "Kestrel"),)),
    ("aws-api-gateway", (("apigw-requestid", "Xk3bQjyZoAMEbXw="),)),
    ("rack-cors", (("access-control-max-age", "7200"), ("access-control-expose-headers", ""))),
])
def test_the_tell_alone_is_claimed(layer_id: str, headers: tuple[tuple[str, str], ...]) -> None:
    found = identify(_preflight(204, headers))
    assert found.layer == layer_id, found
