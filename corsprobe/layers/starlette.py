"""Starlette's ``CORSMiddleware`` (also FastAPI's ``fastapi.middleware.cors.CORSMiddleware``, the same class).

Fingerprint, verified against Starlette 1.10 under uvicorn (tests/integration/test_layers_starlette.py) and
``starlette/middleware/cors.py``: a preflight is answered only for OPTIONS + Origin +
Access-Control-Request-Method, by a ``PlainTextResponse`` (lower-case header names; 200 ``OK`` or 400
``Disallowed CORS origin, method, headers``); its headers come in a fixed order starting with
``vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers,
Access-Control-Request-Private-Network``, then Allow-Methods (default ``GET``; ``"*"`` gives ``DELETE, GET,
HEAD, OPTIONS, PATCH, POST, PUT, QUERY``), ``access-control-max-age: 600`` (the default), Allow-Headers
starting with the four safelisted names ``Accept, Accept-Language, Content-Language, Content-Type``. Actual
responses get Allow-Credentials and Expose-Headers even for a refused origin (no Allow-Origin then).
An unhandled exception's 500 comes from ``ServerErrorMiddleware``, outside CORSMiddleware: no CORS headers.
Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corsprobe.layers import evidence
from corsprobe.layers.base import Layer, Match, Policy, Problem, ProblemCode
from corsprobe.layers.syntax import repr_list
from corsprobe.model import Exchange

PREFLIGHT_VARY = ("Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                  "Access-Control-Request-Private-Network")
SAFELISTED_PREFIX = "Accept, Accept-Language, Content-Language, Content-Type"
ALL_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY"
OLD_ALL_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
SIMPLE_METHODS = ("GET", "HEAD", "POST")


def _add(keyword: str, values: Sequence[str]) -> str:
    return f"CORSMiddleware({keyword}=[..., {', '.join(repr(v) for v in values)}])"


@dataclass(frozen=True, slots=True)
class StarletteLayer:
    """Starlette/FastAPI CORSMiddleware."""

    id: str = "starlette"
    title: str = "Starlette/FastAPI CORSMiddleware"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = evidence.Score()
        preflights = evidence.preflights(exchanges)
        everything = [r for _, r in evidence.answered(exchanges)]
        for response in preflights:
            body = response.body.strip()
            if response.status == 400 and body.startswith("Disallowed CORS "):
                score.add(80, f"the preflight was refused with 400 '{body[:60]}' (CORSMiddleware's text)")
            if response.combined("vary") == PREFLIGHT_VARY:
                score.add(50, f"preflight 'vary: {PREFLIGHT_VARY}' (CORSMiddleware's preflight Vary)")
            if (response.combined("access-control-allow-headers") or "").startswith(SAFELISTED_PREFIX):
                score.add(30, f"Allow-Headers starts with '{SAFELISTED_PREFIX}' (always added by CORSMiddleware)")
            if response.values("access-control-max-age") == ("600",):
                score.add(10, "access-control-max-age: 600 (CORSMiddleware's default)")
            methods = response.combined("access-control-allow-methods")
            if methods == ALL_METHODS:
                score.add(20, f"Allow-Methods '{ALL_METHODS}' (CORSMiddleware's allow_methods=['*'])")
        for response in evidence.actuals(exchanges):
            tail = [n for n, _ in response.headers][-2:]
            appended = tail == ["access-control-allow-origin", "vary"] or (
                tail[-1:] == ["vary"] and response.values("access-control-allow-credentials") == ("true",))
            if appended and response.values("vary")[-1:] == ("Origin",):
                score.add(20, "CORS headers appended last to a non-preflight response, ending 'vary: Origin' "
                              "(CORSMiddleware's send wrapper)")
        if everything and evidence.names_lower_case(everything):
            score.add(5, "lower-case access-control-* header names")
        server = evidence.server(everything)
        if server.startswith(("uvicorn", "hypercorn", "daphne", "granian")):
            score.add(15, f"server: {server} (an ASGI server)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code = problem.code
        if code is ProblemCode.ORIGIN_NOT_ALLOWED and problem.origin:
            return (f"{_add('allow_origins', [problem.origin])}: this exact string, no trailing slash or path "
                    "(CORSMiddleware compares origins as exact strings)")
        if code is ProblemCode.WILDCARD_WITH_CREDENTIALS and problem.origin:
            return (f"CORSMiddleware(allow_origins={repr_list([problem.origin])}, allow_credentials=True): list the "
                    "origins instead of '*'")
        if code is ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS and problem.origin:
            return (f"CORSMiddleware(allow_origins={repr_list([problem.origin])}, allow_credentials=True): list the "
                    "origins that may read credentialed responses instead of allow_origins=['*'] or an "
                    "allow_origin_regex that matches any origin")
        if code is ProblemCode.UNWANTED_ORIGIN_ALLOWED and problem.origin:
            return (f"CORSMiddleware(allow_origins=[...]) without {problem.origin!r}: list only the origins that may "
                    "read this, instead of allow_origins=['*'] or an allow_origin_regex that matches it")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "CORSMiddleware(..., allow_credentials=True)"
        if code is ProblemCode.METHOD_NOT_ALLOWED and problem.methods:
            return (f"{_add('allow_methods', problem.methods)} (the default is ['GET'] only; the match is "
                    "case-sensitive)")
        if code is ProblemCode.HEADER_NOT_ALLOWED and problem.headers:
            return _add("allow_headers", problem.headers)
        if code is ProblemCode.HEADER_NOT_EXPOSED and problem.headers:
            return _add("expose_headers", problem.headers)
        if code is ProblemCode.PREFLIGHT_STATUS and problem.observed.startswith("Disallowed CORS"):
            return (f"nothing of its own: CORSMiddleware answers 400 '{problem.observed}' when it refuses the "
                    "origin, method or headers; the other changes of this row make it answer 200")
        if code is ProblemCode.PREFLIGHT_SKIPS_LAYER:
            return ("app.add_middleware(CORSMiddleware, ...) on the application itself (middleware added last is "
                    "outermost), not on one route or a mounted sub-app only; nothing before it may answer or "
                    "reject OPTIONS (authentication, a custom OPTIONS route)")
        if code is ProblemCode.ERROR_SKIPS_LAYER:
            return ("an unhandled exception's 500 is built by ServerErrorMiddleware, outside CORSMiddleware "
                    "(an @app.exception_handler(Exception) runs there too): catch the error and return a "
                    "response (or raise HTTPException), or wrap the whole app: "
                    "app = CORSMiddleware(app, allow_origins=[...], ...) so that every response passes through it")
        if code is ProblemCode.ACTUAL_SKIPS_LAYER:
            return ("a response that skips CORSMiddleware: the route is served by another app (a mount or a "
                    "proxy) or builds its own ASGI response outside it; add CORSMiddleware to that app too")
        if code is ProblemCode.MULTIPLE_ALLOW_ORIGIN:
            return ("let one layer send Access-Control-Allow-Origin: remove the route's own header, or the "
                    "proxy's, or CORSMiddleware")
        return None

    def suggest(self, policy: Policy) -> str:
        methods = list(dict.fromkeys((*SIMPLE_METHODS, *(m for m in policy.methods if m not in SIMPLE_METHODS))))
        lines = ["from fastapi.middleware.cors import CORSMiddleware  # or starlette.middleware.cors", "",
                 "app.add_middleware(", "    CORSMiddleware,", f"    allow_origins={repr_list(policy.origins)},"]
        if policy.credentials:
            lines.append("    allow_credentials=True,")
        lines.append(f"    allow_methods={repr_list(methods)},")
        if policy.headers:
            lines.append(f"    allow_headers={repr_list(policy.headers)},")
        if policy.expose:
            lines.append(f"    expose_headers={repr_list(policy.expose)},")
        lines.append(")")
        return "\n".join(lines) + "\n"


LAYER: Layer = StarletteLayer()
