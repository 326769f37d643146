"""Express with the ``cors`` middleware (expressjs/cors 2.8.x, ``lib/index.js``); also NestJS on Express.

Fingerprint, verified against express 4.21.2 + cors 2.8.6 (tests/layers/test_express.py): every OPTIONS is
answered ``204`` with ``Content-Length: 0``; header names canonical-case, emitted in the order
Access-Control-Allow-Origin, Vary, -Allow-Credentials, -Allow-Methods, -Allow-Headers, -Max-Age,
-Expose-Headers; default Access-Control-Allow-Methods ``GET,HEAD,PUT,PATCH,POST,DELETE`` (no spaces); without
``allowedHeaders`` the request's headers are echoed with ``Vary: Access-Control-Request-Headers``; no
Max-Age by default; ``X-Powered-By: Express``. A disallowed origin gets no Allow-Origin (still 204). Express's
own OPTIONS answer (``cors`` only on routes) is ``200`` with ``Allow: GET,HEAD,...`` and the same list as body.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, casing, in_order, seen_all
from corsprobe.layers.syntax import js, js_list, merged, methods_with
from corsprobe.model import Exchange

DEFAULT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE"
ORDER = ("access-control-allow-origin", "vary", "access-control-allow-credentials", "access-control-allow-methods",
         "access-control-allow-headers", "access-control-max-age", "access-control-expose-headers")
OPTIONS = "corsOptions"


class ExpressCors:
    """The ``cors`` package on Express: ``app.use(cors({origin, credentials, methods, ...}))``."""

    id = "express-cors"
    title = "Express cors()"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if seen.value("x-powered-by") == "Express":
                score.add(30, "X-Powered-By: Express")
            lines = seen.cors_lines()
            if lines and casing([k for k, _ in lines]) == "canonical" and in_order(seen.cors_order(), ORDER):
                score.add(5, "Access-Control-* names canonical-case, in cors's emission order")
            if ("Access-Control-Allow-Methods", DEFAULT_METHODS) in lines:  # canonical name: not Fastify's
                score.add(40, f"cors's default Access-Control-Allow-Methods {DEFAULT_METHODS!r}")
            if not seen.is_options:
                continue
            if seen.response.status == 204 and seen.value("content-length") == "0" and lines:
                score.add(10, "OPTIONS answered 204 with Content-Length: 0")
            vary = seen.value("vary") or ""
            if vary.endswith("Access-Control-Request-Headers") and seen.value("access-control-allow-headers"):
                score.add(15, f"request headers echoed with Vary: {vary}")
            if seen.response.status == 200 and seen.value("allow") and not lines:
                score.add(5, "Express's own OPTIONS answer (200 with Allow, no CORS headers)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        origin, code = problem.origin, problem.code
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return (f"cors({{ origin: [{js(origin)}] }})  // add it to your list, exactly: scheme://host:port, "
                    "no trailing slash or path")
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return (f"cors({{ origin: [{js(origin)}], credentials: true }})  // list the origins that may send "
                    "credentials (never the wildcard or every origin)")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "cors({ credentials: true })"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f"cors({{ methods: {js_list(listed)} }})"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"cors({{ allowedHeaders: {js_list(merged(problem.observed, problem.headers))} }})"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"cors({{ exposedHeaders: {js_list(merged(problem.observed, problem.headers))} }})"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS):
            return (f"app.use(cors({OPTIONS}))  // once, before your routes: cors() on a route alone never "
                    "sees the preflight, Express answers OPTIONS itself")
        if code is ProblemCode.ERROR_SKIPS_LAYER:
            status = f" {problem.status}" if problem.status else ""
            return (f"app.use(cors({OPTIONS}))  // first, above the middleware that answered{status} "
                    "(auth, rate limits, body parsers)")
        if code is ProblemCode.PREFLIGHT_REDIRECT:
            return f"app.use(cors({OPTIONS}))  // first, above the middleware that redirects"
        if code is ProblemCode.MULTIPLE_ALLOW_ORIGIN:
            return "// keep one layer: remove cors() here or the proxy's Access-Control-Allow-Origin"
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"  origin: {js_list(policy.origins)},",
                 f"  methods: {js_list(methods_with(policy.methods))},",
                 f"  allowedHeaders: {js_list(policy.headers)},"]
        if policy.expose:
            lines.append(f"  exposedHeaders: {js_list(policy.expose)},")
        if policy.credentials:
            lines.append("  credentials: true,")
        return "\n".join([
            "// Before your routes (and before auth, rate limits, body parsers):",
            "const cors = require('cors');",
            "",
            "app.use(cors({", *lines, "}));",
        ]) + "\n"


LAYER = ExpressCors()
