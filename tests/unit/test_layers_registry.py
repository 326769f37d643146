"""The layer registry: identify() from recorded answers, a named layer, fixes_for() in the layer's words.

Recorded responses (header lines as received) come from the real servers of tests/support/apps.py:
Starlette 1.10.0 CORSMiddleware under uvicorn 'exact' config, flask-cors 6.0.2 on werkzeug 'exact' config.
"""

from __future__ import annotations

import pytest

from corsprobe.layers import all_layers, fixes_for, identify, layer_ids
from corsprobe.layers.base import Confidence, Identification, Problem, ProblemCode
from corsprobe.model import Exchange, HttpRequest, HttpResponse, Stage

PAGE = "http://localhost:8080"
PREFLIGHT = HttpRequest(Stage.PREFLIGHT, "OPTIONS", "http://127.0.0.1:1/api/items",
                        (("Access-Control-Request-Method", "PUT"), ("Origin", PAGE)))
STARLETTE_400 = HttpResponse(400, (
    ("date", "Wed, 02 Dec 2026 17:09:28 GMT"), ("server", "uvicorn"),
    ("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
             "Access-Control-Request-Private-Network"),
    ("access-control-allow-methods", "GET, PUT"), ("access-control-max-age", "600"),
    ("access-control-allow-headers", "Accept, Accept-Language, Content-Language, Content-Type, X-Token"),
    ("access-control-allow-credentials", "true"), ("content-length", "22"),
    ("content-type", "text/plain; charset=utf-8")), "Bad Request", body="Disallowed CORS origin")
FLASK_200 = HttpResponse(200, (
    ("Server", "Werkzeug/3.1.8 Python/3.11.7"), ("Date", "Wed, 02 Dec 2026 17:09:34 GMT"),
    ("Content-Type", "text/html; charset=utf-8"), ("Allow", "OPTIONS, POST, GET, DELETE, HEAD, PATCH, PUT"),
    ("Access-Control-Allow-Origin", PAGE), ("Access-Control-Expose-Headers", "X-Request-Id"),
    ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Headers", "x-token"),
    ("Access-Control-Allow-Methods", "GET, PATCH, PUT"), ("Content-Length", "0"), ("Connection", "close")), "OK")


@pytest.mark.parametrize(("response", "layer"), [(STARLETTE_400, "starlette"), (FLASK_200, "flask-cors")])
def test_identify_from_a_recorded_preflight(response: HttpResponse, layer: str) -> None:
    found = identify([Exchange(PREFLIGHT, response)])
    assert (found.layer, found.confidence, found.named) == (layer, Confidence.HIGH, False)
    assert found.evidence


def test_nothing_recognisable_names_no_layer() -> None:
    found = identify([Exchange(PREFLIGHT, HttpResponse(204, (("Access-Control-Allow-Origin", PAGE),)))])
    assert found.layer is None and found.confidence is Confidence.LOW


def test_a_named_layer_wins_and_says_so() -> None:
    found = identify([Exchange(PREFLIGHT, FLASK_200)], named="starlette")
    assert (found.layer, found.named) == ("starlette", True)
    with pytest.raises(ValueError, match="unknown server layer 'nope'"):
        identify([], named="nope")


def test_fixes_for_words_each_problem_in_the_layers_syntax() -> None:
    problems = [Problem(ProblemCode.ORIGIN_NOT_ALLOWED, Stage.PREFLIGHT, "Add ...", origin=PAGE),
                Problem(ProblemCode.PLAIN_HTTP_PORT, None, "Use http://")]
    fixes = fixes_for(problems, Identification("starlette", Confidence.HIGH))
    assert fixes[0].layer == "starlette"
    assert fixes[0].config is not None and "allow_origins=[..., 'http://localhost:8080']" in fixes[0].config
    assert (fixes[1].layer, fixes[1].config, fixes[1].change) == (None, None, "Use http://")
    unknown = fixes_for(problems, Identification(None, Confidence.LOW))
    assert [f.config for f in unknown] == [None, None]


def test_every_registered_layer_has_a_unique_id() -> None:
    assert len(set(layer_ids())) == len(all_layers()) >= 2
