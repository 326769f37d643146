"""No fix and no suggestion of any registered layer widens access: walks every config_fix template (every
ProblemCode, with and without credentials, observed lists, statuses) and suggest() for several policies,
and refuses '*' as an origin, reflecting any origin, and origin regexes."""

from __future__ import annotations

import re

import pytest

from corsprobe.layers import all_layers
from corsprobe.layers.base import Policy, Problem, ProblemCode
from corsprobe.model import Stage

WIDE = [
    re.compile(r"origins?\s*[:=]\s*\[?\s*['\"]\*['\"]"),  # origin: '*', allow_origins=['*'], origins="*"
    re.compile(r"Access-Control-Allow-Origin\s+['\"]?\*"),  # nginx add_header ... *
    re.compile(r"origin\s*:\s*true"),  # cors({ origin: true })
    re.compile(r"CORS_(ALLOW_ALL_ORIGINS|ORIGIN_ALLOW_ALL)\s*=\s*True"),
    re.compile(r"add_header\s+Access-Control-Allow-Origin\s+\$http_origin"),  # reflect without a map
    re.compile(r"allow_origin_regex|CORS_ALLOWED_ORIGIN_REGEXES|send_wildcard\s*=\s*True"),
    re.compile(r"AllowAnyOrigin|allowedOriginPatterns\(\s*\"\*\""),
]
ORIGINS = ("http://localhost:8080", "https://app.example.com")


def _problems() -> list[Problem]:
    made = []
    for code in ProblemCode:
        for credentials in (False, True):
            for observed in ("", "*", "GET, POST", "http://localhost:8080/"):
                made.append(Problem(code, Stage.PREFLIGHT, "change", origin=ORIGINS[0], methods=("PUT",),
                                    headers=("x-token",), credentials=credentials, status=500, observed=observed))
    return made


def _code(text: str) -> str:
    """The text without comments (// and # to the end of a line) and without the prose after a call's '): '
    (where a fix may name what not to do)."""
    return "\n".join(re.split(r"\s(?://|#)\s|^(?://|#)|\): ", line)[0] for line in text.splitlines())


@pytest.mark.parametrize("layer", all_layers(), ids=lambda layer: layer.id)
def test_no_fix_widens(layer: object) -> None:
    wide = []
    for problem in _problems():
        fix = layer.config_fix(problem)  # type: ignore[attr-defined]
        if fix and any(p.search(_code(fix)) for p in WIDE):
            wide.append((problem.code.value, fix))
    assert not wide


@pytest.mark.parametrize("layer", all_layers(), ids=lambda layer: layer.id)
def test_no_suggestion_widens(layer: object) -> None:
    for policy in (Policy(ORIGINS, ("PUT",), ("x-token",), True, ("X-Request-Id",), ("/items",)),
                   Policy(ORIGINS[:1]), Policy(ORIGINS, credentials=True)):
        text = layer.suggest(policy)  # type: ignore[attr-defined]
        assert not [p.pattern for p in WIDE if p.search(_code(text))], text
        assert all(origin in text for origin in policy.origins)


def test_the_patterns_catch_widening() -> None:
    """The walk can fail: each pattern catches the widening it names."""
    for text in ("cors({ origin: '*', credentials: true })", "cors({ origin: true })",
                 "CORS_ALLOW_ALL_ORIGINS = True", "add_header Access-Control-Allow-Origin $http_origin always;",
                 "CORSMiddleware(allow_origins=['*'])", "allow_origin_regex=r'.*'",
                 "add_header Access-Control-Allow-Origin *;"):
        assert any(p.search(_code(text)) for p in WIDE), text
