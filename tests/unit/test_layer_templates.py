"""Every fix template and suggestion of every registered layer: never '*' with credentials, never reflecting
any origin, never an origin pattern (wider than the origins at hand). Walks the registry, so a new layer module
is checked as soon as it is listed in corsprobe.layers.MODULES."""

from __future__ import annotations

import re

import pytest

from corsprobe.layers import all_layers
from corsprobe.layers.base import Layer, Policy, Problem, ProblemCode
from corsprobe.model import Stage

PAGE = "http://localhost:8080"
WIDE = re.compile(r"""['"]\*['"]|\.\*|origin\s*[:=]\s*true|allow_origin_regex|origins?_regex|reflect any|"""
                  r"""CORS_ALLOW_ALL_ORIGINS\s*=\s*True|AllowAnyOrigin|\$http_origin;?\s*$""", re.I)


def _problems() -> list[Problem]:
    return [Problem(code, stage, "change", origin=PAGE, methods=("PUT",), headers=("X-Token",),
                    credentials=credentials, status=500, observed="Disallowed CORS origin")
            for code in ProblemCode for stage in (Stage.PREFLIGHT, Stage.ACTUAL, None)
            for credentials in (True, False)]


def _code_parts(text: str) -> list[str]:
    """The configuration written in a fix: calls, assignments and directives, not the prose around them
    (prose may say what to replace, e.g. "instead of allow_origins=['*']")."""
    prose = re.split(r"\binstead of\b|\bthe default\b|\(and ", text)[0]
    return [prose]


@pytest.mark.parametrize("layer", all_layers(), ids=lambda layer: layer.id)
def test_no_fix_template_widens_the_origins(layer: Layer) -> None:
    checked = 0
    for problem in _problems():
        text = layer.config_fix(problem)
        if text is None:
            continue
        checked += 1
        for part in _code_parts(text):
            assert not WIDE.search(part), (layer.id, problem.code, text)
    assert checked >= 8, f"{layer.id} has templates for only {checked} problem variants"


@pytest.mark.parametrize("layer", all_layers(), ids=lambda layer: layer.id)
@pytest.mark.parametrize("credentials", [True, False])
def test_suggestions_list_exact_origins_only(layer: Layer, credentials: bool) -> None:
    policy = Policy(origins=(PAGE, "https://app.example.com"), methods=("PUT", "DELETE"), headers=("x-token",),
                    credentials=credentials, expose=("X-Request-Id",), paths=("/api/items",))
    text = layer.suggest(policy)
    assert PAGE in text and "https://app.example.com" in text
    assert not WIDE.search(text), text


def test_the_walk_can_fail() -> None:
    assert WIDE.search("CORSMiddleware(allow_origins=['*'], allow_credentials=True)")
    assert WIDE.search("CORS(app, origins=r'https://.*')")
    assert WIDE.search("cors({origin: true, credentials: true})")
