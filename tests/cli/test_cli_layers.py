"""--server-layer / server_layer and --no-extra-probes on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from corsprobe.cli import main
from tests.cli.conftest import ORIGIN
from tests.support.rawserver import RawServer


def test_named_layer_is_said_to_be_named_and_no_extra_probes_sends_none(cli: CliRunner, api: RawServer) -> None:
    result = cli.invoke(main, ["check", api.url("/star/x"), "--origin", ORIGIN, "--credentials",
                               "--server-layer", "flask-cors", "--no-extra-probes", "--format", "json"])
    row = json.loads(result.stdout)["results"][0]
    assert row["server"] == {"layer": "flask-cors", "confidence": "high", "named": True,
                             "evidence": ["named by the user (--server-layer / server_layer)"]}
    assert row["extra_probes"] == [] and len(api.log) == 1
    assert [f["layer"] for f in row["fixes"]] == ["flask-cors", "flask-cors"]
    assert row["fix"] == row["fixes"][0]["change"]


def test_unknown_layer_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["check", "http://127.0.0.1:1/", "--origin", ORIGIN, "--server-layer", "nope"])
    assert result.exit_code == 2 and "'nope' is not a known layer" in result.output
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[probe]]\nurl = "http://127.0.0.1:1/"\norigin = "https://a.example"\n'
                        'server_layer = "nope"\n')
    bad = cli.invoke(main, ["run", str(scenario)])
    assert bad.exit_code == 2 and f"{scenario}:4" in bad.stderr and "unknown server_layer 'nope'" in bad.stderr
