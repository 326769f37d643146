"""Fastify's ``@fastify/cors`` plugin. Cannot run here: fingerprinted from responses reconstructed from the
source, ``fastify/fastify-cors`` @034bb137 ``index.js`` (the plugin for fastify 4.x; recorded in
tests/layers/data/recorded/fastify-cors.json): the ``onRequest`` hook answers every OPTIONS itself; with
``strictPreflight`` (default) an OPTIONS without Origin or Access-Control-Request-Method gets **400**
``text/plain`` ``Invalid Preflight Request``; otherwise ``optionsSuccessStatus`` (204) with
``Content-Length: 0``; default methods ``GET,HEAD,PUT,PATCH,POST,DELETE`` (``GET,HEAD,POST`` since v11);
without ``allowedHeaders`` the requested headers are echoed (+ ``Vary: Access-Control-Request-Headers``);
a disallowed origin gets no Allow-Origin. Fastify stores reply header names lower-case, which tells it from
Express ``cors`` (same option names, same default list, canonical-case names).
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, casing, seen_all
from corsprobe.layers.syntax import js, js_list, merged, methods_with
from corsprobe.model import Exchange

DEFAULT_METHODS = ("GET,HEAD,PUT,PATCH,POST,DELETE", "GET,HEAD,POST")


class FastifyCors:
    """``await fastify.register(require('@fastify/cors'), {origin, credentials, methods, ...})``."""

    id = "fastify-cors"
    title = "Fastify @fastify/cors"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            lines = seen.cors_lines()
            if seen.is_options and seen.response.status == 400 and seen.body().strip() == "Invalid Preflight Request":
                score.add(80, "400 'Invalid Preflight Request' (@fastify/cors strictPreflight)")
            lower = bool(lines) and casing([k for k, _ in lines]) == "lower"
            if lower and seen.value("access-control-allow-methods") in DEFAULT_METHODS:
                score.add(45, f"lower-case access-control-allow-methods: {seen.value('access-control-allow-methods')} "
                              "(@fastify/cors's default)")
            if lower and seen.is_options and seen.response.status == 204 and seen.value("content-length") == "0":
                score.add(10, "OPTIONS answered 204 with content-length: 0 and lower-case CORS names")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return f"{{ origin: [{js(origin)}] }}  // @fastify/cors options: add it to the list, exactly"
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return f"{{ origin: [{js(origin)}], credentials: true }}  // list them (never the wildcard or every origin)"
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "{ credentials: true }  // @fastify/cors options"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f"{{ methods: {js_list(listed)} }}  // v11's default is GET,HEAD,POST"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"{{ allowedHeaders: {js_list(merged(problem.observed, problem.headers))} }}"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"{{ exposedHeaders: {js_list(merged(problem.observed, problem.headers))} }}"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.ERROR_SKIPS_LAYER):
            return "{ hook: 'onRequest' }  // register @fastify/cors before auth plugins; no route config cors: false"
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"  origin: {js_list(policy.origins)},", f"  methods: {js_list(methods_with(policy.methods))},",
                 f"  allowedHeaders: {js_list(policy.headers)},"]
        if policy.expose:
            lines.append(f"  exposedHeaders: {js_list(policy.expose)},")
        if policy.credentials:
            lines.append("  credentials: true,")
        return "\n".join(["await fastify.register(require('@fastify/cors'), {", *lines, "});"]) + "\n"


LAYER = FastifyCors()
