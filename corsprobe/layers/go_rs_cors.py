"""Go ``github.com/rs/cors``. Cannot run here: fingerprinted from responses reconstructed from the source,
``rs/cors`` @001b4b20 ``cors.go`` (``handlePreflight``/``handleActualRequest``; recorded in
tests/layers/data/recorded/go-rs-cors.json): a preflight (OPTIONS + Access-Control-Request-Method) always gets
``Vary: Origin``, ``Vary: Access-Control-Request-Method``, ``Vary: Access-Control-Request-Headers`` (three
``Add`` calls; v1.11 writes them as one line), and any failed check (origin, method, headers) returns with only
those, status 200 (newer: ``OptionsSuccessStatus`` 204); on success Access-Control-Allow-Methods is **just the
requested method**, upper-cased, and Allow-Headers the requested names joined ``, ``.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all, split_list
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange

VARY = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")


def _go(values: Sequence[str]) -> str:
    return "[]string{" + ", ".join('"' + v.replace('"', '\\"') + '"' for v in values) + "}"


class GoRsCors:
    """``cors.New(cors.Options{AllowedOrigins, AllowedMethods, AllowedHeaders, ...}).Handler(mux)``."""

    id = "go-rs-cors"
    title = "Go rs/cors"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if not seen.is_preflight:
                continue
            vary = tuple(item for line in seen.response.values("vary") for item in split_list(line))
            if vary[:3] == VARY:
                score.add(30, "preflight Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            requested = (seen.request.header("access-control-request-method") or "").upper()
            if requested and seen.value("access-control-allow-methods") == requested:
                score.add(25, f"Access-Control-Allow-Methods is just the requested method {requested!r}")
            if vary[:3] == VARY and not seen.cors_lines() and seen.response.status in (200, 204) and not seen.body():
                score.add(30, f"refused preflight: {seen.response.status}, empty, only the Vary lines")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN,
                    ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return (f"AllowedOrigins: {_go([origin])},  // with the origins already listed; never the wildcard "
                    "or an AllowOriginFunc allowing every origin")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "AllowCredentials: true,"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            return f"AllowedMethods: {_go(methods_with(problem.methods))},  // the default is GET, POST, HEAD"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"AllowedHeaders: {_go(merged(problem.observed, problem.headers))},"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"ExposedHeaders: {_go(merged(problem.observed, problem.headers))},"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.ERROR_SKIPS_LAYER):
            return "handler := c.Handler(mux)  // wrap the whole mux (outermost), not single routes"
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"    AllowedOrigins: {_go(policy.origins)},",
                 f"    AllowedMethods: {_go(methods_with(policy.methods))},",
                 f"    AllowedHeaders: {_go(policy.headers)},"]
        if policy.expose:
            lines.append(f"    ExposedHeaders: {_go(policy.expose)},")
        if policy.credentials:
            lines.append("    AllowCredentials: true,")
        return "\n".join(["c := cors.New(cors.Options{", *lines, "})", "handler := c.Handler(mux)"]) + "\n"


LAYER = GoRsCors()
