"""nginx ``add_header`` (``src/http/modules/ngx_http_headers_filter_module.c``), hand-written CORS.

Fingerprint, verified against Debian's nginx-light 1.22.1 (tests/layers/test_nginx.py): ``Server: nginx`` or
``nginx/VERSION``; without ``always`` the headers are added only to 200, 201, 204, 206, 301, 302, 303, 304,
307 and 308 (``ngx_http_headers_filter``'s safe-status switch), so a 4xx/5xx answer has none; a static file
answers OPTIONS with ``405`` and nginx's HTML page (``<center>nginx/VERSION</center>``); a value that
evaluates to '' is not sent (what makes a ``map $http_origin`` allow-list work). Header names are written as
configured (usually canonical).
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange

ALWAYS_NOTE = "always: without it nginx adds headers only to 2xx/3xx answers"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_header(name: str, value: str) -> str:
    shown = value if value.startswith("$") else _quoted(value)
    return f"add_header {name} {shown} always;"


def origin_map(origins: Sequence[str]) -> str:
    """``map $http_origin $cors_origin``: each listed origin reflected, any other '' (so no header)."""
    rows = "".join(f"    {_quoted(origin)} $http_origin;\n" for origin in origins)
    return f'map $http_origin $cors_origin {{  # in the http block\n    default "";\n{rows}}}'


def preflight_block(lines: Sequence[str]) -> str:
    inner = "".join(f"    {line}\n" for line in lines)
    return f"if ($request_method = OPTIONS) {{\n{inner}    return 204;\n}}"


class Nginx:
    """nginx as the CORS layer: ``add_header`` directives, an OPTIONS ``if`` block, a ``map`` of origins."""

    id = "nginx"
    title = "nginx add_header"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            server = seen.value("server") or ""
            if server == "nginx" or server.startswith("nginx/"):
                score.add(45, f"Server: {server}")
                if seen.cors_lines():
                    score.add(15, "CORS headers on an nginx answer")
                if seen.response.status >= 400 and not seen.cors_lines() and seen.request.header("origin"):
                    score.add(5, f"{seen.response.status} without CORS headers (add_header without always?)")
            if seen.is_options and seen.response.status == 405 and "nginx" in seen.body():
                score.add(20, "nginx's own 405 Not Allowed page for OPTIONS")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        reflect = add_header("Access-Control-Allow-Origin", "$cors_origin")
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN,
                    ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            note = "  # the exact origin, no trailing slash; never $http_origin unmapped"
            return f"{origin_map([origin])}\n{reflect}{note}"
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return add_header("Access-Control-Allow-Credentials", "true")
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return add_header("Access-Control-Allow-Methods", ", ".join(listed)) + "  # in the OPTIONS block"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            listed = merged(problem.observed, problem.headers)
            return add_header("Access-Control-Allow-Headers", ", ".join(listed)) + "  # in the OPTIONS block"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return add_header("Access-Control-Expose-Headers", ", ".join(merged(problem.observed, problem.headers)))
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS, ProblemCode.PREFLIGHT_REDIRECT):
            lines = [reflect]
            if problem.credentials:
                lines.append(add_header("Access-Control-Allow-Credentials", "true"))
            lines.append(add_header("Access-Control-Allow-Methods", ", ".join(methods_with(problem.methods))))
            if problem.headers:
                lines.append(add_header("Access-Control-Allow-Headers", ", ".join(problem.headers)))
            block = preflight_block(lines) + "  # answer the preflight here; 'if' is its own level: repeat the headers"
            return f"{origin_map([origin])}\n{block}" if origin else block
        if code is ProblemCode.ERROR_SKIPS_LAYER:
            line = f"{reflect}  # add 'always' to every CORS add_header ({ALWAYS_NOTE})"
            return f"{origin_map([origin])}\n{line}" if origin else line
        if code is ProblemCode.MULTIPLE_ALLOW_ORIGIN:
            return "proxy_hide_header Access-Control-Allow-Origin;  # the upstream sends it too: keep one layer"
        return None

    def suggest(self, policy: Policy) -> str:
        common = [add_header("Access-Control-Allow-Origin", "$cors_origin")]
        if policy.credentials:
            common.append(add_header("Access-Control-Allow-Credentials", "true"))
        common.append(add_header("Vary", "Origin"))
        actual = [*common]
        if policy.expose:
            actual.insert(-1, add_header("Access-Control-Expose-Headers", ", ".join(policy.expose)))
        preflight = [*common[:-1], add_header("Access-Control-Allow-Methods", ", ".join(methods_with(policy.methods)))]
        if policy.headers:
            preflight.append(add_header("Access-Control-Allow-Headers", ", ".join(policy.headers)))
        preflight.append(common[-1])
        where = ", ".join(policy.paths) if policy.paths else "your API"
        return "\n".join([
            origin_map(policy.origins),
            "",
            f"# in the server or location block that serves {where}:",
            *actual,
            preflight_block(preflight),
        ]) + "\n"


LAYER = Nginx()
