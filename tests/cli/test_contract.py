"""Guards: the JSON contract (version 1 only gains fields) and every command and option
being documented in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

RESULT_KEYS = {
    "name", "url", "origin", "method", "credentials", "request_headers", "preflight", "actual", "verdict",
    "reason", "explanation", "fix", "warnings", "readable_headers", "expect", "passed",
}
PREFLIGHT_KEYS = {"needed", "sent", "status", "request_headers", "response_headers"}
ACTUAL_KEYS = {"sent", "status", "response_headers", "redirects"}


def test_json_contract_v1(cli: CliRunner, api: RawServer) -> None:
    result = cli.invoke(main, ["check", api.url("/ok/items"), "--origin", ORIGIN, "-X", "PUT",
                               "-H", "X-Token: 1", "--format", "json"])
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert set(document) >= {"version", "results", "summary"}
    row = document["results"][0]
    assert set(row) >= RESULT_KEYS
    assert set(row["preflight"]) >= PREFLIGHT_KEYS
    assert set(row["actual"]) >= ACTUAL_KEYS
    assert row["credentials"] in ("omit", "include")
    assert row["verdict"] in ("allowed", "blocked", "error", "unchecked")
    assert all(isinstance(pair, list) and len(pair) == 2 for pair in row["preflight"]["request_headers"])


def _commands() -> dict[str, click.Command]:
    """Every command of the lazy group (``main.commands`` is empty until one is loaded)."""
    assert isinstance(main, click.Group)
    context = click.Context(main)
    commands = {name: main.get_command(context, name) for name in main.list_commands(context)}
    found = {name: command for name, command in commands.items() if command is not None}
    assert len(found) >= 5
    return found


def test_every_command_and_option_is_documented() -> None:
    missing = []
    for name, command in _commands().items():
        if f"corsprobe {name}" not in README:
            missing.append(f"command {name}")
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in param.opts:
                    if flag.startswith("--") and not re.search(re.escape(flag) + r"\b", README):
                        missing.append(f"{name} {flag}")
    assert not missing, f"undocumented in README.md: {missing}"
