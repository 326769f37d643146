"""The HTML report in headless Chromium: it loads offline, shows every row with its sequence diagram,
its filters work, and a screenshot is kept as an artifact ($CORSPROBE_ARTIFACT_DIR, else tmp).

Runs `corsprobe demo --report-html` against the built-in loopback API; starts Chromium by PID.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.browser.chromium import FLAGS, find_chromium

ROOT = Path(__file__).resolve().parents[2]
_PROBE = """
<script>
(function(){
  function shown(){return document.querySelectorAll('details.row:not([hidden])').length;}
  function set(id, value){var e=document.getElementById(id);
    if(e.type==='checkbox'){e.checked=value;}else{e.value=value;} e.dispatchEvent(new Event('change'));}
  var out={rows: shown(), diagrams: document.querySelectorAll('details.row svg.sequence').length,
           arrows: document.querySelectorAll('svg.sequence g.arrow').length,
           marks: document.querySelectorAll('pre.raw mark').length,
           external: Array.prototype.filter.call(document.querySelectorAll('[src],[href],link'),
             function(e){return true;}).length};
  set('f-failed', true); out.failed = shown(); set('f-failed', false);
  set('f-blocked', true); out.blocked = shown(); set('f-blocked', false);
  set('f-origin', 'https://evil.example'); out.evil = shown(); set('f-origin', '');
  out.after = shown();
  document.body.setAttribute('data-test', JSON.stringify(out));
})();
</script>
"""


def _chromium(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tempfile.mkdtemp(prefix="corsprobe-html-")
    try:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    completed = subprocess.run([sys.executable, "-m", "corsprobe", "demo", "--report-html", str(path)],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return path


def test_report_has_no_external_resource(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=|@import|url\((?!#)|<link""", text, re.I)


def test_report_loads_in_chromium_with_rows_diagrams_and_working_filters(report: Path, tmp_path: Path) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.fail("Chromium is not installed")
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text(encoding="utf-8") + _PROBE, encoding="utf-8")
    dom = _chromium(binary, "--dump-dom", probed.as_uri()).stdout
    match = re.search(r'data-test="([^"]*)"', dom)
    assert match, dom[-2000:]
    out = json.loads(match.group(1).replace("&quot;", '"'))
    assert out["rows"] == 7 and out["diagrams"] == 7
    assert out["arrows"] >= 2 * 7 and out["marks"] > 7 and out["external"] == 0
    assert out["failed"] == 1  # the demo's one failing expectation
    assert out["blocked"] == 4 and out["evil"] == 2 and out["after"] == 7


def test_report_screenshot_is_kept(report: Path, tmp_path: Path) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.fail("Chromium is not installed")
    target = Path(os.environ.get("CORSPROBE_ARTIFACT_DIR") or tmp_path) / "html-report.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    _chromium(binary, f"--screenshot={target}", "--window-size=1200,1800", report.as_uri())
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
