"""Django with django-cors-headers (adamchainz/django-cors-headers 4.x, ``src/corsheaders/middleware.py``).

Fingerprint, verified against Django 5.2 + django-cors-headers 4.9.0 (tests/layers/test_django.py): header
names lower-case (``middleware.py`` constants, lines 16-23) while Django's own stay canonical; every response
on a CORS-enabled path gets ``Vary: origin`` (lower-case value, ``patch_vary_headers(response, ("origin",))``);
a preflight is answered before the view: ``200``, ``content-length: 0`` (lower-case), ``text/html``; from an
allowed origin it carries ``access-control-allow-headers: accept, authorization, content-type, user-agent,
x-csrftoken, x-requested-with``, ``access-control-allow-methods: DELETE, GET, OPTIONS, PATCH, POST, PUT`` and
``access-control-max-age: 86400`` (the defaults), in the order allow-origin, allow-credentials,
expose-headers, allow-headers, allow-methods, max-age; a disallowed origin gets only ``Vary: origin``.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, casing, in_order, seen_all, split_list
from corsprobe.layers.syntax import merged, methods_with, py, py_list
from corsprobe.model import Exchange

DEFAULT_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with")
DEFAULT_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")
ORDER = ("access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers",
         "access-control-allow-headers", "access-control-allow-methods", "access-control-max-age")
CORS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
MIDDLEWARE_FIRST = (f'MIDDLEWARE = [{py(CORS_MIDDLEWARE)}, *(m for m in MIDDLEWARE if m != {py(CORS_MIDDLEWARE)})]'
                    "  # first: above CommonMiddleware and every middleware that answers by itself")


class DjangoCorsHeaders:
    """``corsheaders`` settings: CORS_ALLOWED_ORIGINS, CORS_ALLOW_CREDENTIALS, CORS_ALLOW_METHODS, ..."""

    id = "django-cors-headers"
    title = "Django django-cors-headers"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if "origin" in [v for line in seen.response.values("vary") for v in split_list(line)]:
                score.add(35, "Vary: origin (lower-case value, as django-cors-headers patches it)")
            lines = seen.cors_lines()
            names = [k for k, _ in lines]
            if names and casing(names) == "lower" and casing([k for k, _ in seen.response.headers
                                                               if k.lower() in ("content-type", "vary")]) != "lower":
                score.add(15, "access-control-* names lower-case beside canonical Content-Type/Vary")
            if in_order([k.lower() for k in names], ORDER):
                score.add(3, "Access-Control-* lines in django-cors-headers's order")
            if tuple(split_list(seen.value("access-control-allow-methods"))) == DEFAULT_METHODS:
                score.add(30, "default access-control-allow-methods 'DELETE, GET, OPTIONS, PATCH, POST, PUT'")
            if tuple(split_list(seen.value("access-control-allow-headers"))) == DEFAULT_HEADERS:
                score.add(30, "default access-control-allow-headers (accept, authorization, ... x-requested-with)")
            if seen.value("access-control-max-age") == "86400":
                score.add(10, "access-control-max-age: 86400 (the default CORS_PREFLIGHT_MAX_AGE)")
            if seen.is_preflight and seen.response.status == 200 and "content-length" in \
                    [k for k, _ in seen.response.headers]:
                score.add(5, "preflight answered 200 with a lower-case content-length: 0")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        listed = f"CORS_ALLOWED_ORIGINS = [\n    # ...the origins already listed,\n    {py(origin)},\n]"
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return f"{listed}  # exactly scheme://host[:port]: no path or trailing slash (corsheaders.E014)"
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return f"CORS_ALLOW_ALL_ORIGINS = False\n{listed}\nCORS_ALLOW_CREDENTIALS = True"
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "CORS_ALLOW_CREDENTIALS = True"
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            observed = tuple(split_list(problem.observed))
            extra = [m for m in problem.methods if m not in DEFAULT_METHODS]
            if not observed or observed == DEFAULT_METHODS:
                return ("from corsheaders.defaults import default_methods\n"
                        f"CORS_ALLOW_METHODS = (*default_methods, {', '.join(py(m) for m in extra)})")
            return f"CORS_ALLOW_METHODS = {py_list(merged(problem.observed, problem.methods, fold=False))}"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            names = {h.lower() for h in split_list(problem.observed)}
            if not names or set(DEFAULT_HEADERS) <= names:
                extra = [h for h in merged(problem.observed, problem.headers) if h.lower() not in DEFAULT_HEADERS]
                return ("from corsheaders.defaults import default_headers\n"
                        f"CORS_ALLOW_HEADERS = (*default_headers, {', '.join(py(h) for h in extra)})")
            return f"CORS_ALLOW_HEADERS = {py_list(merged(problem.observed, problem.headers))}"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"CORS_EXPOSE_HEADERS = {py_list(merged(problem.observed, problem.headers))}"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.ERROR_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS,
                    ProblemCode.PREFLIGHT_REDIRECT):
            return MIDDLEWARE_FIRST
        if code is ProblemCode.MULTIPLE_ALLOW_ORIGIN:
            return "# keep one layer: remove corsheaders or the proxy's Access-Control-Allow-Origin"
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [
            "# settings.py",
            'INSTALLED_APPS += ["corsheaders"]',
            f"MIDDLEWARE.insert(0, {py(CORS_MIDDLEWARE)})  # first: above CommonMiddleware",
            "CORS_ALLOWED_ORIGINS = [", *(f"    {py(o)}," for o in policy.origins), "]",
            f"CORS_ALLOW_METHODS = {py_list(methods_with(policy.methods))}",
            f"CORS_ALLOW_HEADERS = {py_list(policy.headers)}",
        ]
        if policy.expose:
            lines.append(f"CORS_EXPOSE_HEADERS = {py_list(policy.expose)}")
        if policy.credentials:
            lines.append("CORS_ALLOW_CREDENTIALS = True")
        return "\n".join(lines) + "\n"


LAYER = DjangoCorsHeaders()
