"""Spring Framework's CORS processing (``DefaultCorsProcessor``: @CrossOrigin, CorsRegistry, CorsConfiguration,
Spring Security's CorsFilter). Cannot run here: fingerprinted from responses reconstructed from the source,
``spring-projects/spring-framework`` @0a92d0f1 ``spring-web/src/main/java/org/springframework/web/cors/
DefaultCorsProcessor.java`` (tests/layers/data/recorded/spring.json says which lines give what):
``processRequest`` adds three separate ``Vary`` lines (``Origin``, ``Access-Control-Request-Method``,
``Access-Control-Request-Headers``) to every response it processes; ``rejectRequest`` answers **403** with the
body ``Invalid CORS request`` for a disallowed origin, method or (preflight) header — and for an actual request
from a disallowed origin too.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange

VARY_LINES = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")


def _java(values: Sequence[str]) -> str:
    return ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)


class Spring:
    """Spring MVC / WebFlux: ``CorsRegistry.addMapping(...)``, ``@CrossOrigin``, a ``CorsConfigurationSource``."""

    id = "spring"
    title = "Spring CorsConfiguration"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if seen.response.values("vary")[:3] == VARY_LINES or \
                    tuple(v for v in seen.response.values("vary") if v in VARY_LINES) == VARY_LINES:
                score.add(50, "three Vary lines: Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            if seen.response.status == 403 and seen.body().strip() == "Invalid CORS request":
                score.add(60, "403 'Invalid CORS request' (DefaultCorsProcessor.rejectRequest)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN,
                    ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            credentials = ".allowCredentials(true)" if problem.credentials else ""
            return (f'registry.addMapping("/**").allowedOrigins({_java([origin])}){credentials}  // with the origins '
                    'already listed (never the wildcard: refused with credentials)')
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "config.setAllowCredentials(true);  // or @CrossOrigin(allowCredentials = \"true\")"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f".allowedMethods({_java(listed)})  // @CrossOrigin/addMapping default: GET, HEAD, POST"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f".allowedHeaders({_java(merged(problem.observed, problem.headers))})"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f".exposedHeaders({_java(merged(problem.observed, problem.headers))})"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS, ProblemCode.ERROR_SKIPS_LAYER):
            return ("http.cors(Customizer.withDefaults());  // Spring Security: run CorsFilter before authentication, "
                    "with a CorsConfigurationSource bean")
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"          .allowedOrigins({_java(policy.origins)})",
                 f"          .allowedMethods({_java(methods_with(policy.methods))})"]
        if policy.headers:
            lines.append(f"          .allowedHeaders({_java(policy.headers)})")
        if policy.expose:
            lines.append(f"          .exposedHeaders({_java(policy.expose)})")
        if policy.credentials:
            lines.append("          .allowCredentials(true)")
        lines[-1] += ";"
        return "\n".join([
            "@Configuration",
            "class CorsConfig implements WebMvcConfigurer {",
            "  @Override public void addCorsMappings(CorsRegistry registry) {",
            '    registry.addMapping("/**")', *lines, "  }", "}",
        ]) + "\n"


LAYER = Spring()
