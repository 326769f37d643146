"""ASP.NET Core's CORS middleware (``AddCors``/``UseCors``: ``CorsMiddleware`` + ``CorsService``). Cannot run
here: fingerprinted from responses reconstructed from the source, ``dotnet/aspnetcore``
@2c917f36 ``src/Middleware/CORS/src/Infrastructure/CorsService.cs`` and @10e76628 ``CorsMiddleware.cs``
(recorded in tests/layers/data/recorded/aspnetcore.json): a preflight (OPTIONS + Access-Control-Request-Method)
that matches a policy is **always** answered ``204`` by the middleware itself — without any CORS header when
the origin is refused (``ApplyResult`` returns early); lists are written by ``SetCommaSeparatedValues``
(joined with ``,``, no space); ``Access-Control-Max-Age`` only with ``SetPreflightMaxAge``; ``Vary: Origin``
only when the policy lists more than one origin. Kestrel names itself ``Server: Kestrel`` (unless
``AddServerHeader = false``), which is most of the claim: the CORS tells alone are generic.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange

LISTS = ("access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers")


def _cs(values: Sequence[str]) -> str:
    return ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)


class AspNetCore:
    """``builder.Services.AddCors(o => o.AddPolicy(...))`` and ``app.UseCors(...)``."""

    id = "aspnetcore"
    title = "ASP.NET Core CORS middleware"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if not (seen.value("server") or "").lower().startswith("kestrel"):
                continue
            score.add(45, "Server: Kestrel (ASP.NET Core)")
            if seen.is_preflight and seen.response.status == 204:
                score.add(10, "preflight answered 204 (CorsMiddleware always answers a preflight itself)")
                if not seen.cors_lines():
                    score.add(15, "refused preflight: 204 with no CORS header (CorsService.ApplyResult)")
            for name in LISTS:
                value = seen.value(name) or ""
                if "," in value and ", " not in value:
                    score.add(10, f"{name} joined with ',' and no space (SetCommaSeparatedValues)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return f"policy.WithOrigins({_cs([origin])})  // with the origins already listed, exactly as serialized"
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return (f"policy.WithOrigins({_cs([origin])}).AllowCredentials()  // list the origins; no "
                    "SetIsOriginAllowed callback that accepts every origin")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "policy.AllowCredentials()  // with WithOrigins(...) listing the origins"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f"policy.WithMethods({_cs(listed)})"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"policy.WithHeaders({_cs(merged(problem.observed, problem.headers))})"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"policy.WithExposedHeaders({_cs(merged(problem.observed, problem.headers))})"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS, ProblemCode.ERROR_SKIPS_LAYER,
                    ProblemCode.ACTUAL_SKIPS_LAYER):
            return ("app.UseRouting(); app.UseCors(\"Frontend\"); app.UseAuthentication(); app.UseAuthorization();"
                    "  // UseCors after UseRouting and before UseAuthorization; no [DisableCors] on the endpoint")
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"        .WithOrigins({_cs(policy.origins)})",
                 f"        .WithMethods({_cs(methods_with(policy.methods))})"]
        if policy.headers:
            lines.append(f"        .WithHeaders({_cs(policy.headers)})")
        if policy.expose:
            lines.append(f"        .WithExposedHeaders({_cs(policy.expose)})")
        if policy.credentials:
            lines.append("        .AllowCredentials()")
        lines[-1] += "));"
        return "\n".join([
            "builder.Services.AddCors(options => options.AddPolicy(\"Frontend\", policy => policy", *lines,
            "// ...", "app.UseRouting();", "app.UseCors(\"Frontend\");  // before UseAuthentication/UseAuthorization",
            "app.UseAuthentication();", "app.UseAuthorization();",
        ]) + "\n"


LAYER = AspNetCore()
