"""nginx (Debian's nginx-light) with hand-written add_header CORS: the fingerprint, and each common mistake's
layer fix applied to the generated nginx.conf turns the row ALLOWED on re-probe."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from corsprobe.layers import identify
from corsprobe.layers.base import ProblemCode
from corsprobe.model import Probe
from corsprobe.runner import run_probe
from tests.layers.mistakes import PAGE, Case, check, ids
from tests.support.processes import run_nginx
from tests.support.servers import Running

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("needs_nginx")]
LITERAL = f'add_header Access-Control-Allow-Origin "{PAGE}";'
APP = 'add_header X-Request-Id "req-1";'


def conf(*lines: str, options: list[str] | None = None, http: str = "", static: bool = False) -> dict[str, Any]:
    """A location: the app's header, the CORS lines, an optional OPTIONS block; ``static`` serves a file (405 for
    OPTIONS, PUT, ...) instead of answering every method 200 as a proxied app would."""
    return {"lines": [APP, *lines], "options": options, "http": http, "static": static}


CASES = [
    Case("unlisted origin", conf('add_header Access-Control-Allow-Origin "http://other.test";'),
         ProblemCode.ORIGIN_NOT_ALLOWED),
    Case("trailing slash", conf(f'add_header Access-Control-Allow-Origin "{PAGE}/";'),
         ProblemCode.INVALID_ALLOW_ORIGIN, observed=PAGE + "/"),
    Case("missing credentials", conf(LITERAL), ProblemCode.CREDENTIALS_NOT_ALLOWED, credentials=True),
    Case("method not allowed", conf(LITERAL, options=[LITERAL, 'add_header Access-Control-Allow-Methods "GET, POST";']),
         ProblemCode.METHOD_NOT_ALLOWED, method="PATCH", observed="GET, POST"),
    Case("header not allowed", conf(LITERAL, options=[LITERAL, 'add_header Access-Control-Allow-Methods "PUT";',
                                                      'add_header Access-Control-Allow-Headers "Content-Type";']),
         ProblemCode.HEADER_NOT_ALLOWED, method="PUT", headers=(("X-Token", "1"),), observed="Content-Type"),
    Case("header not exposed", conf(LITERAL), ProblemCode.HEADER_NOT_EXPOSED, readable=("X-Request-Id",)),
    Case("OPTIONS not reaching add_header (405 from the static handler)", conf(LITERAL, static=True),
         # One run: the 405's fix also allows the request's method and headers.
         ProblemCode.PREFLIGHT_STATUS, headers=(("X-Token", "1"),), status=405),
    Case("error without CORS headers (no always)", conf(LITERAL), ProblemCode.ERROR_SKIPS_LAYER, path="/boom",
         status=500),
    Case("any origin with credentials", conf("add_header Access-Control-Allow-Origin $http_origin;",
                                             'add_header Access-Control-Allow-Credentials "true";'),
         ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS, credentials=True),
]
_HEADER = re.compile(r"^add_header (\S+) ")


def server_block(config: dict[str, Any]) -> str:
    options = config["options"]
    block = "" if options is None else \
        "if ($request_method = OPTIONS) {\n" + "\n".join(options) + "\nreturn 204;\n}\n"
    inner = "\n".join(config["lines"]) + "\n" + block
    answer = "try_files /items.json =404;" if config["static"] else "return 200 '{\"items\": [1, 2, 3]}';"
    return (f"location /items {{\n{inner}{answer}\n}}\n"
            f"location /boom {{\n{inner}return 500;\n}}\n")


@contextmanager
def start(config: dict[str, Any]) -> Iterator[Running]:
    with tempfile.TemporaryDirectory(prefix="corsprobe-nginx-") as prefix, \
            run_nginx(server_block(config), Path(prefix), http_block=config["http"]) as running:
        yield running


def _replace(lines: list[str], line: str) -> list[str]:
    name = _HEADER.match(line)
    assert name is not None, line
    kept = [x for x in lines if not x.startswith(f"add_header {name.group(1)} ")]
    return [*kept, line]


def apply(config: dict[str, Any], fix: str) -> dict[str, Any]:
    """Apply a config_fix as an operator would: the map goes in the http block, an OPTIONS ``if`` block into
    the location (merged into one already there), each add_header replaces the one of the same name (only in
    the OPTIONS block when the fix
    says so), and 'add always to every CORS add_header' does that."""
    config = {**config, "lines": list(config["lines"]), "options": config["options"]}
    if match := re.search(r"^map .*?^}", fix, re.S | re.M):
        config["http"] = match.group(0)
        fix = fix.replace(match.group(0), "")
    if match := re.search(r"^if \(\$request_method = OPTIONS\) \{\n(.*?)\n\s*return 204;\n}", fix, re.S | re.M):
        options = list(config["options"] or [])  # an existing OPTIONS block keeps its other headers
        for line in match.group(1).splitlines():
            options = _replace(options, line.strip())
        config["options"] = options
        fix = fix.replace(match.group(0), "")
    for raw in fix.splitlines():
        line, _, comment = raw.strip().partition(";")
        if not line.startswith("add_header"):
            continue
        line += ";"
        if "in the OPTIONS block" not in comment:
            config["lines"] = _replace(config["lines"], line)
        if config["options"] is not None or "in the OPTIONS block" in comment:
            config["options"] = _replace(config["options"] or [], line)
        if "add 'always' to every CORS add_header" in comment:
            config["lines"] = [x if x.endswith("always;") or "Access-Control" not in x else x[:-1] + " always;"
                               for x in config["lines"]]
    return config


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
async def test_mistake_is_fixed_in_the_layer(case: Case, client: httpx.AsyncClient) -> None:
    fix = await check(client, case, "nginx", start, apply)
    assert "Access-Control-Allow-Origin $http_origin" not in fix and '"*"' not in fix


async def test_fingerprint_reads_the_405_page(client: httpx.AsyncClient) -> None:
    with start(conf(LITERAL)) as server:
        result = await run_probe(client, Probe(server.url("/items"), PAGE, "PUT"))
    found = identify(result.exchanges)
    assert found.layer == "nginx"
    assert any(line.startswith("Server: nginx/") for line in found.evidence)
