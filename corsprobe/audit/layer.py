"""Which CORS layer answered, from the header lines of an audit's exchanges (for the fix wording). Pure.

A small, conservative fingerprint: it names a layer only on signatures that layer writes (Starlette's
lower-case preflight headers with its Vary list or Max-Age 600 under uvicorn; flask-cors's method list
under Werkzeug; Express's X-Powered-By with the cors package's method list). Otherwise None, and fixes
are worded at header level.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.browser.checks import ACAM
from corsprobe.model import Exchange, HttpResponse, Stage

STARLETTE = "starlette"
FLASK_CORS = "flask-cors"
EXPRESS_CORS = "express-cors"
TITLES = {STARLETTE: "Starlette/FastAPI CORSMiddleware", FLASK_CORS: "flask-cors", EXPRESS_CORS: "Express cors"}

_STARLETTE_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
_FLASK_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
_EXPRESS_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE"


def identify(exchanges: Sequence[Exchange]) -> str | None:
    """The layer whose signature the preflight answers carry, or None."""
    preflights = [e.response for e in exchanges if e.response is not None and e.request.stage is Stage.PREFLIGHT]
    for response in preflights:
        if _starlette(response):
            return STARLETTE
        methods = response.combined(ACAM) or ""
        server = (response.combined("server") or "").lower()
        if methods == _FLASK_METHODS and "werkzeug" in server:
            return FLASK_CORS
        if methods == _EXPRESS_METHODS and (response.combined("x-powered-by") or "") == "Express":
            return EXPRESS_CORS
    return None


def _starlette(response: HttpResponse) -> bool:
    names = [name for name, _ in response.headers if name.lower().startswith("access-control-")]
    lower = bool(names) and all(name == name.lower() for name in names)
    vary = (response.combined("vary") or "").startswith(_STARLETTE_VARY)
    uvicorn = (response.combined("server") or "") == "uvicorn"
    return lower and (vary or (uvicorn and response.combined("access-control-max-age") == "600"))
