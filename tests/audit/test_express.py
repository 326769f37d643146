"""The audit against Express with the ``cors`` package (Node.js), when it is installed: the defaults are
public ('*', nothing above info); ``origin: true`` with credentials reflects every origin (critical), and
the fix names the package's setting; without ``allowedHeaders`` the requested headers are mirrored.
The packages are the layer tests' locked ones (tests/servers/express, ``npm ci`` from ``.ci/run``);
elsewhere these tests skip unless CORSPROBE_EXPRESS_TESTS=require."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corsprobe.audit.codes import Severity
from corsprobe.audit.model import Target
from corsprobe.audit.runner import audit_all
from tests.audit.lab import APP

HERE = Path(__file__).parent
MODULES = Path(os.environ.get("CORSPROBE_NODE_MODULES", HERE.parent / "servers" / "express" / "node_modules"))
START_TIMEOUT = 15.0


def _available() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (MODULES / "express").is_dir() or not (MODULES / "cors").is_dir():
        return f"express and cors are not installed in {MODULES} (cd tests/servers/express && npm ci)"
    return None


@pytest.fixture
def express() -> Iterator[Any]:
    reason = _available()
    if reason is not None:
        if os.environ.get("CORSPROBE_EXPRESS_TESTS") == "require":
            pytest.fail(reason)
        pytest.skip(reason)
    started: list[subprocess.Popen[str]] = []

    def start(options: dict[str, Any]) -> tuple[str, subprocess.Popen[str]]:
        process = subprocess.Popen(["node", str(HERE / "express_app.js"), json.dumps(options)], text=True,
                                   stdout=subprocess.PIPE, env={**os.environ, "NODE_PATH": str(MODULES)})
        started.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()  # the port (the app prints it once it listens)
        if not line:
            raise RuntimeError("the Express app did not start")
        return f"http://127.0.0.1:{json.loads(line)['port']}/items", process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=START_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=START_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()


def _requests(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    process.terminate()
    out, _ = process.communicate(timeout=START_TIMEOUT)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize(("options", "expected"), [
    ({}, []),
    # Without allowedHeaders the package mirrors Access-Control-Request-Headers: acah_reflected (low).
    ({"origin": True, "credentials": True}, [("reflect_any_origin", "critical"), ("acah_reflected", "low")]),
    ({"origin": [APP], "credentials": True}, [("acah_reflected", "low")]),
    ({"origin": [APP], "credentials": True, "allowedHeaders": ["Content-Type"]}, []),
], ids=["defaults", "origin-true-credentials", "list", "list-and-headers"])
def test_express_cors(express: Any, options: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    url, process = express(options)
    [audit] = asyncio.run(audit_all([Target(url, (APP,), methods=("GET", "POST"))]))
    assert audit.error is None
    assert [(f.code.value, f.severity.value) for f in audit.findings if f.severity is not Severity.INFO] == expected
    if options.get("origin") is True:
        assert audit.layer == "express-cors" and "origin: true" in audit.findings[0].fix
    seen = _requests(process)
    assert seen and {r["method"] for r in seen} <= {"GET", "HEAD", "OPTIONS"}
    assert not any({"cookie", "authorization"} & set(r["headers"]) for r in seen)
