"""flask-cors (``CORS(app, ...)`` / ``@cross_origin``).

Fingerprint, verified against flask-cors 6.0 on Flask 3 / werkzeug (tests/integration/test_layers_flask.py) and
``flask_cors/core.py``: the preflight is Flask's automatic OPTIONS answer (200, empty ``text/html`` body, an
``Allow:`` header listing the route's methods) with the CORS headers added after it in canonical case and in
the order Allow-Origin, Expose-Headers, Allow-Credentials, Allow-Headers, Max-Age, Allow-Methods; the default
Allow-Methods is ``DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT`` (sorted); Allow-Headers lists only the
requested names it allows, as the request wrote them; Expose-Headers also on the preflight; a refused origin
gets no CORS header at all (still 200). The default ``origins='*'`` reflects every origin. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corsprobe.layers import evidence
from corsprobe.layers.base import Layer, Match, Policy, Problem, ProblemCode
from corsprobe.layers.syntax import repr_list
from corsprobe.model import Exchange

DEFAULT_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
_ORDER = ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials",
          "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Access-Control-Allow-Methods")


def _add(keyword: str, values: Sequence[str]) -> str:
    return f"CORS(app, {keyword}=[..., {', '.join(repr(v) for v in values)}])"


@dataclass(frozen=True, slots=True)
class FlaskCorsLayer:
    """flask-cors."""

    id: str = "flask-cors"
    title: str = "flask-cors"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = evidence.Score()
        preflights = evidence.preflights(exchanges)
        everything = [r for _, r in evidence.answered(exchanges)]
        for response in preflights:
            names = evidence.cors_names(response)
            if names and response.values("allow") and response.status == 200:
                score.add(35, "the preflight is Flask's automatic OPTIONS answer (200 with an Allow: header) "
                              "carrying CORS headers")
            if not names and response.values("allow") and response.status == 200 and response.body == "" \
                    and (response.combined("content-type") or "").startswith("text/html"):
                score.add(25, "the preflight is Flask's automatic OPTIONS answer (200, text/html, an Allow: header) "
                              "without CORS headers: a Flask app, whose usual CORS layer is flask-cors")
            if response.combined("access-control-allow-methods") == DEFAULT_METHODS:
                score.add(25, f"Allow-Methods '{DEFAULT_METHODS}' (flask-cors's default, sorted)")
            if names and all(n in _ORDER for n in names) and names == sorted(names, key=_ORDER.index) \
                    and len(names) >= 2:
                score.add(15, "CORS headers in flask-cors's order (Allow-Origin, Expose-Headers, "
                              "Allow-Credentials, Allow-Headers, Allow-Methods)")
            if response.values("access-control-expose-headers"):
                score.add(10, "Expose-Headers on the preflight (flask-cors adds it to every response)")
        if everything and evidence.names_lower_case(everything) is False:
            score.add(5, "canonical-case Access-Control-* header names")
        server = evidence.server(everything)
        if server.startswith("werkzeug"):
            score.add(15, f"server: {server} (Flask's development server)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code = problem.code
        if code is ProblemCode.ORIGIN_NOT_ALLOWED and problem.origin:
            return (f"{_add('origins', [problem.origin])} (or the 'origins' of the matching resources entry): "
                    "this exact origin, no trailing slash or path")
        if code in (ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS, ProblemCode.WILDCARD_WITH_CREDENTIALS) \
                and problem.origin:
            return (f"CORS(app, origins={repr_list([problem.origin])}, supports_credentials=True): list the origins; "
                    "the default origins='*' reflects every origin (and send_wildcard=True sends '*')")
        if code is ProblemCode.UNWANTED_ORIGIN_ALLOWED and problem.origin:
            return (f"CORS(app, origins=[...]) without {problem.origin!r}: list only the origins that may read this, "
                    "instead of the default origins='*' (which reflects every origin)")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return "CORS(app, ..., supports_credentials=True)"
        if code is ProblemCode.METHOD_NOT_ALLOWED and problem.methods:
            upper = [m.upper() for m in problem.methods]
            if upper != list(problem.methods):
                return None  # flask-cors always sends upper-case methods: the page must write them so
            return _add("methods", upper)
        if code is ProblemCode.HEADER_NOT_ALLOWED and problem.headers:
            return _add("allow_headers", problem.headers)
        if code is ProblemCode.HEADER_NOT_EXPOSED and problem.headers:
            return _add("expose_headers", problem.headers)
        if code is ProblemCode.PREFLIGHT_SKIPS_LAYER:
            return ("make the path match CORS(app, resources={r'/api/*': {...}}) (a pattern that misses the path "
                    "adds nothing), or with @cross_origin keep the view's automatic OPTIONS "
                    "(automatic_options=True); a custom OPTIONS handler must not answer before flask-cors")
        if code is ProblemCode.ERROR_SKIPS_LAYER:
            return ("keep CORS(app, intercept_exceptions=True) (the default) and build error responses in Flask "
                    "error handlers; errors from a WSGI middleware or proxy in front of Flask get no CORS headers")
        if code is ProblemCode.ACTUAL_SKIPS_LAYER:
            return ("the view sets Access-Control-Allow-Origin itself or answers outside Flask: flask-cors leaves "
                    "a response alone when the view already set the header")
        return None

    def suggest(self, policy: Policy) -> str:
        methods = list(dict.fromkeys(("GET", "HEAD", "POST", "OPTIONS", *(m.upper() for m in policy.methods))))
        options = [f"origins={repr_list(policy.origins)}", f"methods={repr_list(methods)}"]
        if policy.headers:
            options.append(f"allow_headers={repr_list(policy.headers)}")
        if policy.expose:
            options.append(f"expose_headers={repr_list(policy.expose)}")
        if policy.credentials:
            options.append("supports_credentials=True")
        body = ",\n    ".join(options)
        return f"from flask_cors import CORS\n\nCORS(\n    app,\n    {body},\n)\n"


LAYER: Layer = FlaskCorsLayer()
