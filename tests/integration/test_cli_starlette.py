"""The issue's acceptance command, as a user types it, against Starlette's CORSMiddleware:
`corsprobe check URL --origin http://localhost:8080 --method PUT -H 'X-Token: 1' --credentials
--send-unsafe --format json`, for an allowing and a blocking configuration."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.apps import PAGE, Log, starlette_app
from tests.support.servers import run_asgi

COMMAND = ["--origin", PAGE, "--method", "PUT", "-H", "X-Token: 1", "--credentials", "--send-unsafe",
           "--format", "json"]
CASES = [
    # config, verdict, reason, did the PUT reach the route
    ("exact", "allowed", None, True),
    ("strict", "blocked", "preflight_invalid_allow_credentials", False),
    ("wildcard", "blocked", "preflight_wildcard_origin_not_allowed", False),
]


@pytest.mark.parametrize(("config", "verdict", "reason", "reached"), CASES, ids=[c[0] for c in CASES])
def test_check_command_against_starlette(config: str, verdict: str, reason: str | None, reached: bool) -> None:
    log = Log()
    with run_asgi(starlette_app(config, log)) as server:
        done = subprocess.run([sys.executable, "-m", "corsprobe", "check", server.url("/api/items"), *COMMAND],
                              capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)["results"][0]
    assert (row["verdict"], row["reason"]) == (verdict, reason)
    sent = dict(row["preflight"]["request_headers"])
    assert sent["Access-Control-Request-Method"] == "PUT"
    assert sent["Access-Control-Request-Headers"] == "x-token"
    assert sent["Origin"] == PAGE
    assert not {"cookie", "authorization"} & {name.lower() for name in sent}
    preflight = log.preflights()[0]
    assert preflight.header("access-control-request-headers") == "x-token"
    assert preflight.header("cookie") is None
    assert (("PUT", "/api/items") in log.reached) is reached
