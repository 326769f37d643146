"""Express + cors on a real node server: the fingerprint, and each common mistake's layer fix applied to the
server's configuration turns the row ALLOWED on re-probe (tests/layers/mistakes.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.layers import identify
from corsprobe.layers.base import Confidence, ProblemCode
from corsprobe.model import Credentials, Probe
from corsprobe.runner import RunPolicy, run_probe
from tests.layers.mistakes import PAGE, Case, check, ids
from tests.support.processes import run_express

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("needs_express")]
LISTED = {"origin": [PAGE]}
CASES = [
    Case("unlisted origin", {"cors": {"origin": ["http://other.test"]}}, ProblemCode.ORIGIN_NOT_ALLOWED),
    Case("trailing slash", {"cors": {"origin": [PAGE + "/"]}}, ProblemCode.ORIGIN_NOT_ALLOWED),
    Case("trailing slash, one string", {"cors": {"origin": PAGE + "/"}}, ProblemCode.INVALID_ALLOW_ORIGIN,
         observed=PAGE + "/"),
    Case("missing credentials", {"cors": LISTED}, ProblemCode.CREDENTIALS_NOT_ALLOWED, credentials=True),
    Case("method not allowed", {"cors": {**LISTED, "methods": ["GET", "POST"]}}, ProblemCode.METHOD_NOT_ALLOWED,
         method="PATCH", observed="GET,POST"),
    Case("header not allowed", {"cors": {**LISTED, "allowedHeaders": ["Content-Type"]}},
         ProblemCode.HEADER_NOT_ALLOWED, method="PUT", headers=(("X-Token", "1"),), observed="Content-Type"),
    Case("header not exposed", {"cors": LISTED}, ProblemCode.HEADER_NOT_EXPOSED, readable=("X-Request-Id",)),
    Case("OPTIONS not reaching cors", {"cors": LISTED, "mount": "route"}, ProblemCode.PREFLIGHT_SKIPS_LAYER,
         method="PUT"),
    Case("error without CORS headers", {"cors": LISTED, "guard": "before"}, ProblemCode.ERROR_SKIPS_LAYER,
         path="/private", status=401),
    Case("any origin with credentials", {"cors": {"origin": True, "credentials": True}},
         ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS, credentials=True),
]
_OBJECT = re.compile(r"^cors\((\{.*\})\)")


def apply(config: dict[str, Any], fix: str) -> dict[str, Any]:
    """Apply a config_fix as a developer would: merge a ``cors({...})`` object into the options (node evaluates
    the literal), or run an ``app.use``/``app.options`` line with them as ``corsOptions`` (``first``: above the
    guard). Fixes accumulate, in the order given."""
    objects = [*config.get("objects", []), *([m.group(1)] if (m := _OBJECT.match(fix)) else [])]
    lines = list(config.get("lines", []))
    moved: dict[str, Any] = {}
    if m is None:
        line = fix.split("//")[0].strip()
        assert line.startswith(("app.use(cors(corsOptions))", "app.options('*', cors(corsOptions))")), fix
        lines.append(line)
        moved = {"guard": "after"} if "first" in fix and config.get("guard") == "before" else {}
    spread = ", ".join(f"...{o}" for o in [json.dumps(config["cors"]), *objects])
    setup = {"setup": "const cors = require('cors');\n" + "\n".join(lines)} if lines else {}
    return {**config, **moved, **setup, "objects": objects, "lines": lines, "optionsExpr": f"{{ {spread} }}"}


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
async def test_mistake_is_fixed_in_the_layer(case: Case, client: httpx.AsyncClient) -> None:
    fix = await check(client, case, "express-cors", run_express, apply)
    code = fix.split("//")[0]
    assert "origin: true" not in code and "origin: '*'" not in code


async def test_fingerprint_of_a_preflight_is_high(client: httpx.AsyncClient) -> None:
    with run_express({"cors": {**LISTED, "credentials": True}}) as server:
        result = await run_probe(client, Probe(server.url("/items"), PAGE, "PUT", (("X-Token", "1"),),
                                               Credentials.INCLUDE), RunPolicy(CHROMIUM))
    found = identify(result.exchanges)
    assert (found.layer, found.confidence) == ("express-cors", Confidence.HIGH)
    assert any("GET,HEAD,PUT,PATCH,POST,DELETE" in line for line in found.evidence)
    assert "X-Powered-By: Express" in found.evidence


async def test_fingerprint_of_a_plain_get(client: httpx.AsyncClient) -> None:
    """A GET alone carries only X-Powered-By and cors's header order: named, with less confidence."""
    with run_express({"cors": LISTED}) as server:
        result = await run_probe(client, Probe(server.url("/items"), PAGE), RunPolicy(CHROMIUM))
    found = identify(result.exchanges)
    assert found.layer == "express-cors" and found.confidence is not Confidence.HIGH
