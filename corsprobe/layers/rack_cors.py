"""Ruby ``rack-cors`` (Rails, Sinatra, any Rack app). Cannot run here (no Ruby): fingerprinted from responses
reconstructed from the source, ``cyu/rack-cors`` @f73bcd39 (3.0.0) ``lib/rack/cors.rb`` (``call``) and
``lib/rack/cors/resource.rb`` (``to_headers``, ``process_preflight``); recorded in
tests/layers/data/recorded/rack-cors.json. ``to_headers`` writes the same set on preflights **and** actual
responses: ``access-control-allow-origin``, ``access-control-allow-methods`` (the resource's methods
upper-cased, joined ``, ``), ``access-control-expose-headers`` (an **empty** value when ``expose`` is unset),
``access-control-max-age`` (default **7200**), ``access-control-allow-credentials: true``; Rack 3 names are
lower-case. A preflight is answered ``200`` by the middleware (requested headers echoed; no Vary); actual
responses get ``vary: Origin``. A refused preflight is ``200`` with no header at all: no tell, not claimed.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange


def _rb(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'" for v in values)


def _symbols(methods: Sequence[str]) -> str:
    return "[" + ", ".join(":" + m.lower() for m in methods) + "]"


class RackCors:
    """``config.middleware.insert_before 0, Rack::Cors do allow do ... end end``."""

    id = "rack-cors"
    title = "Ruby rack-cors"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if seen.value("access-control-max-age") == "7200":
                score.add(45, "Access-Control-Max-Age: 7200 (rack-cors's default max_age)")
            expose = seen.response.values("access-control-expose-headers")
            if expose and all(not v.strip() for v in expose):
                score.add(35, "an empty Access-Control-Expose-Headers line (rack-cors writes it when expose is unset)")
            if not seen.is_preflight and seen.value("access-control-allow-methods") is not None and \
                    seen.value("access-control-max-age") is not None:
                score.add(20, "an actual response with Allow-Methods and Max-Age (rack-cors's to_headers on both)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return f"origins {_rb([origin])}  # in the allow block, with the origins already listed, exactly"
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return (f"origins {_rb([origin])}; resource '/path', credentials: true  # list them: no bare wildcard, "
                    "no block or Regexp accepting every origin")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "resource '/path', credentials: true  # with origins listing the origins"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f"resource '/path', methods: {_symbols(listed)}  # the default is [:get] only"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"resource '/path', headers: [{_rb(merged(problem.observed, problem.headers))}]"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"resource '/path', expose: [{_rb(merged(problem.observed, problem.headers))}]"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.ERROR_SKIPS_LAYER, ProblemCode.ACTUAL_SKIPS_LAYER,
                    ProblemCode.PREFLIGHT_STATUS):
            return ("config.middleware.insert_before 0, Rack::Cors do ... end  # first in the stack, before auth "
                    "(Warden/Devise) and exception middleware; a resource path that matches this URL")
        return None

    def suggest(self, policy: Policy) -> str:
        options = [f"headers: [{_rb(policy.headers)}]", f"methods: {_symbols(methods_with(policy.methods))}"]
        if policy.expose:
            options.append(f"expose: [{_rb(policy.expose)}]")
        if policy.credentials:
            options.append("credentials: true")
        resources = [f"    resource {_rb([path])},\n      " + ",\n      ".join(options)
                     for path in policy.paths or ("/*",)]
        return "\n".join([
            "# config/initializers/cors.rb",
            "Rails.application.config.middleware.insert_before 0, Rack::Cors do",
            "  allow do", f"    origins {_rb(policy.origins)}", *resources, "  end", "end",
        ]) + "\n"


LAYER = RackCors()
