"""What `corsprobe --help`, `--version` and `<command> --help` load stays small: no asyncio,
httpx, tabulate, json renderers or corsprobe module beyond the CLI's own (an import-graph
test, not a timing test; benchmarks/bench_startup.py prints the times)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("asyncio", "httpx", "httpcore", "tabulate", "ssl", "corsprobe.runner", "corsprobe.console",
         "corsprobe.output.render", "corsprobe.model", "corsprobe.browser", "corsprobe.scenarios")
# commands.running (common's run/stream/signal half) imports only click and the standard library at load.
ALLOWED = {"corsprobe", "corsprobe.cli", "corsprobe.commands", "corsprobe.commands.common",
           "corsprobe.commands.running", "corsprobe.output", "corsprobe.output.formats"}
_PROBE = """
import json, sys
sys.argv = ["corsprobe", *json.loads(sys.argv[1])]
from corsprobe.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["check", "--help"], ["run", "--help"],
                                  ["diff", "--help"], ["demo", "--help"]], ids=" ".join)
def test_help_loads_only_the_cli(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=60, check=True)
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    # run's --openapi options name a default origin from corsprobe.openapi.writer (a small pure chain).
    extra = ("corsprobe.openapi", "corsprobe.browser", "corsprobe.commands.openapi_options", "corsprobe.errors",
             "corsprobe.hints", "corsprobe.reasons", "corsprobe.model") if args[0] == "run" else ()
    assert [m for m in modules if (m.split(".")[0] in HEAVY or m.startswith(HEAVY)) and not m.startswith(extra)] == []
    ours = {m for m in modules if m.startswith("corsprobe") and not (extra and m.startswith(extra))}
    command = {f"corsprobe.commands.{args[0]}"} if args[0] != "--help" and args[0] != "--version" else set()
    assert ours <= ALLOWED | command | {"corsprobe.verified"}
    assert "Usage:" in done.stdout or "corsprobe" in done.stdout
