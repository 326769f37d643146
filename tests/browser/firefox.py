"""Finding, starting and stopping headless Firefox (ESR) for the differential suite.

``run_page`` starts exactly one Firefox on a fresh profile with Marionette on an ephemeral
port, listens to the browser console from chrome context, loads the page, waits (bounded)
for its report, collects the CORS console messages, then terminates that process by its PID.
Does process, file and socket I/O (loopback only).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from tests.browser.binaries import find_binary, read_version
from tests.browser.chromium import stop_process
from tests.browser.marionette import Marionette

FLAGS = ("--headless", "--no-remote", "--marionette", "-remote-allow-system-access")
START_TIMEOUT = 60.0
# A fresh profile that stays on loopback: no first-run pages, telemetry, updates, captive
# portal probes, prefetching, remote settings or safe-browsing lists; no proxy.
PREFS = {
    "marionette.port": 0,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.aboutwelcome.enabled": False,
    "browser.newtabpage.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.enabled": False,
    "app.update.auto": False,
    "app.normandy.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.prefetch-next": False,
    "network.dns.disablePrefetch": True,
    "network.predictor.enabled": False,
    "network.http.speculative-parallel-limit": 0,
    "network.proxy.type": 0,
    "dom.security.https_first": False,
}
# Chrome-context script: keep every console message that names a case URL (/c/...).
_LISTEN = """
const seen = [];
window.__corsprobeConsole = seen;
Services.console.registerListener({observe(message) {
  if (!(message instanceof Ci.nsIScriptError) || !message.errorMessage.includes('/c/')) return;
  seen.push([message.category, message.errorMessage]);
}});
return true;
"""
_COLLECT = "return window.__corsprobeConsole || [];"


def find_firefox() -> str | None:
    return find_binary(("firefox-esr", "firefox"))


def firefox_version(binary: str) -> str:
    """``Mozilla Firefox 153.7.0esr`` -> ``153.7.0esr``."""
    return read_version(binary, r"(\d+\.\d+(?:\.\d+)?(?:esr)?)", "Firefox")


def user_js(extra: Mapping[str, object] | None = None) -> str:
    prefs = {**PREFS, **(extra or {})}
    return "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())


def run_page(binary: str, url: str, done: threading.Event, timeout: float,
             prefs: Mapping[str, object] | None = None, setup: str | None = None) -> list[tuple[str, str]]:
    """Load ``url`` in one headless Firefox (PREFS plus ``prefs``; ``setup``, if given, is a
    chrome-context script run before loading); return its CORS console messages once ``done``
    is set, as (category, text) in logging order.

    Raises TimeoutError if Firefox does not start, or ``done`` is not set, in time.
    """
    profile = Path(tempfile.mkdtemp(prefix="corsprobe-firefox-"))
    (profile / "user.js").write_text(user_js(prefs))
    log_path = profile.with_suffix(".log")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, *FLAGS, "--profile", str(profile), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        )
        try:
            client = Marionette(_marionette_port(profile, process))
            try:
                client.call("WebDriver:NewSession", {"capabilities": {}})
                client.script(_LISTEN, chrome=True)
                if setup is not None:
                    client.script(setup, chrome=True)
                client.call("Marionette:SetContext", {"value": "content"})
                client.call("WebDriver:Navigate", {"url": url})
                finished = done.wait(timeout)
                messages = client.script(_COLLECT, chrome=True) if finished else []
            finally:
                client.close()
        finally:
            stop_process(process)
            shutil.rmtree(profile, ignore_errors=True)
    text = log_path.read_text("utf-8", errors="replace")
    log_path.unlink(missing_ok=True)
    if not finished:
        raise TimeoutError(f"Firefox did not report within {timeout:.0f} s; output tail:\n{text[-2000:]}")
    return [(str(category), str(message)) for category, message in messages]


def _marionette_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    """Firefox writes the port it chose to <profile>/MarionetteActivePort."""
    deadline = time.monotonic() + START_TIMEOUT
    port_file = profile / "MarionetteActivePort"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Firefox exited with code {process.returncode} before Marionette started")
        text = port_file.read_text().strip() if port_file.exists() else ""
        if text.isdigit():
            return int(text)
        time.sleep(0.1)
    raise TimeoutError(f"Firefox did not start Marionette within {START_TIMEOUT:.0f} s")
