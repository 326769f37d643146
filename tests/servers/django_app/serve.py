"""The Django + django-cors-headers test server for corsprobe (started by tests/support/processes.py).

argv[1] is a JSON object:
  settings:   Python text run as the tail of settings.py (e.g. what ``corsprobe suggest --layer
              django-cors-headers`` printed), after INSTALLED_APPS/MIDDLEWARE below are defined
  middleware: the MIDDLEWARE list before that text (default: CorsMiddleware first, then CommonMiddleware)
Routes: items/ (any method: 200 JSON with X-Total-Count, X-Request-Id), private/ (the "gate" middleware
answers 401 without Authorization), boom/ (raises: Django's 500). Also without the trailing slash.
Serves with wsgiref (threads) on 127.0.0.1, an ephemeral port; prints "listening PORT" on stdout.
"""

from __future__ import annotations

import json
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path

CORS = "corsheaders.middleware.CorsMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
GATE = "serve.Gate"
DEFAULT_MIDDLEWARE = [CORS, COMMON]


class Gate:
    """An auth-like middleware: /private without Authorization gets 401."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/private") and "authorization" not in request.headers:
            return JsonResponse({"error": "unauthorized"}, status=401)
        return self.get_response(request)


def items(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"items": [1, 2, 3], "method": request.method})
    response["X-Total-Count"] = "3"
    response["X-Request-Id"] = "req-1"
    return response


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    re_path(r"^items/?$", items),
    re_path(r"^private/?$", items),
    re_path(r"^boom/?$", boom),
]


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def configure(config: dict[str, Any]) -> None:
    namespace: dict[str, Any] = {
        "INSTALLED_APPS": [],
        "MIDDLEWARE": list(config.get("middleware", DEFAULT_MIDDLEWARE)),
    }
    exec(config.get("settings", ""), namespace)  # the settings text under test, verbatim
    values = {k: v for k, v in namespace.items() if k.isupper()}
    if "corsheaders" not in values["INSTALLED_APPS"]:
        values["INSTALLED_APPS"] = [*values["INSTALLED_APPS"], "corsheaders"]
    settings.configure(DEBUG=False, SECRET_KEY="corsprobe-test", ALLOWED_HOSTS=["127.0.0.1", "localhost"],
                       ROOT_URLCONF="serve", USE_TZ=True, LOGGING_CONFIG=None, **values)
    django.setup()


def main() -> None:
    configure(json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}"))
    from django.core.checks import run_checks
    from django.core.wsgi import get_wsgi_application

    problems = [str(m) for m in run_checks() if m.is_serious()]
    if problems:
        sys.exit("django checks failed: " + "; ".join(problems))
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threading, handler_class=Quiet)
    print(f"listening {server.server_port}", flush=True)
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    sys.modules.setdefault("serve", sys.modules["__main__"])
    main()
