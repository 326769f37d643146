"""Finding, starting and stopping WebKitGTK for the differential suite: Xvfb on a free display,
WebKitWebDriver on a loopback port, and our own small browser (webkit_browser.py) driven
through plain W3C WebDriver over HTTP (urllib, no selenium).

``run_page`` starts exactly one Xvfb, one WebKitWebDriver (which starts the browser), opens a
session, loads the page, waits (bounded) for its report, and stops everything it started by
PID. Every HTTP call to the driver has a client timeout (a session request without a working
display would hang). Returns the driver's output, in which the browser's console lines
appear. Does process, file and socket I/O (loopback only).
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tests.browser.binaries import find_binary
from tests.browser.chromium import stop_process

PROGRAM = Path(__file__).resolve().with_name("webkit_browser.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-gi and gir1.2-webkit2-4.1 live
START_TIMEOUT = 30.0
SESSION_TIMEOUT = 60.0
CALL_TIMEOUT = 30.0
_PID = re.compile(r"corsprobe-webkit pid (\d+)")


@functools.cache
def find_webkit() -> str | None:
    """WebKitWebDriver's path, if it, Xvfb, xauth and PyGObject's WebKit2 4.1 are all installed."""
    driver = find_binary(("WebKitWebDriver",))
    if driver is None or find_binary(("Xvfb",)) is None or find_binary(("xauth",)) is None:
        return None
    try:
        completed = subprocess.run([SYSTEM_PYTHON, str(PROGRAM), "--version"], capture_output=True,
                                   text=True, timeout=30, check=False)
    except OSError:
        return None
    return driver if completed.returncode == 0 else None


@functools.cache
def webkit_version(_driver: str) -> str:
    """``WebKitGTK 2.50.6`` (from the engine itself) -> ``2.50.6``."""
    completed = subprocess.run([SYSTEM_PYTHON, str(PROGRAM), "--version"], capture_output=True, text=True,
                               timeout=30, check=False)
    match = re.search(r"WebKitGTK (\d+\.\d+\.\d+)", completed.stdout)
    if not match:
        raise RuntimeError(f"cannot read the WebKitGTK version from {completed.stdout!r} {completed.stderr!r}")
    return match.group(1)


class WebDriver:
    """A W3C WebDriver client for one session; every call has a timeout."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session: str | None = None

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             timeout: float = CALL_TIMEOUT) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"WebDriver {method} {path}: {error.code} {error.read()[:500]!r}") from None

    def wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"WebKitWebDriver exited with code {process.returncode}")
            try:
                self.call("GET", "/status", timeout=2)
                return
            except (OSError, RuntimeError):
                time.sleep(0.05)
        raise TimeoutError(f"WebKitWebDriver did not answer within {START_TIMEOUT:.0f} s")

    def new_session(self, data_dir: str) -> None:
        options = {"binary": SYSTEM_PYTHON, "args": [str(PROGRAM), "--data-dir", data_dir]}
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": options, "pageLoadStrategy": "none"}}}, timeout=SESSION_TIMEOUT)
        self.session = value["sessionId"]

    def navigate(self, url: str) -> None:
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def quit(self) -> None:
        if self.session is not None:
            with suppress(OSError, RuntimeError):  # the processes are stopped by PID in any case
                self.call("DELETE", f"/session/{self.session}", timeout=10)
            self.session = None


@contextmanager
def xvfb(workdir: Path) -> Iterator[dict[str, str]]:
    """One Xvfb on a display it picks itself (-displayfd), with an MIT cookie; yields the
    environment variables a client needs (DISPLAY, XAUTHORITY)."""
    authority = workdir / "Xauthority"
    cookie = secrets.token_hex(16)
    # The server loads every cookie in its -auth file; the entry's display number is ours to pick.
    subprocess.run(["xauth", "-q", "-f", str(authority), "add", ":0", "MIT-MAGIC-COOKIE-1", cookie],
                   check=True, timeout=10, capture_output=True)
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-auth", str(authority), "-nolisten", "tcp",
         "-screen", "0", "1024x768x24"],
        pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], START_TIMEOUT)
        number = os.read(read_end, 64).decode().strip() if ready else ""
        if not number.isdigit():
            raise TimeoutError(f"Xvfb did not report a display within {START_TIMEOUT:.0f} s "
                               f"(exit code {process.poll()})")
        display = f":{number}"
        subprocess.run(["xauth", "-q", "-f", str(authority), "add", display, "MIT-MAGIC-COOKIE-1", cookie],
                       check=True, timeout=10, capture_output=True)
        yield {"DISPLAY": display, "XAUTHORITY": str(authority)}
    finally:
        os.close(read_end)
        stop_process(process)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_page(driver: str, url: str, done: threading.Event, timeout: float) -> str:
    """Load ``url`` in one WebKitGTK; return the driver's output (the browser's console lines)
    once ``done`` is set.

    Raises TimeoutError if anything does not start, or ``done`` is not set, in time.
    """
    workdir = Path(tempfile.mkdtemp(prefix="corsprobe-webkit-"))
    log_path = workdir / "driver.log"
    finished = False
    try:
        with xvfb(workdir) as display, log_path.open("wb") as log:
            port = _free_port()
            env = {**os.environ, **display, "NO_PROXY": "*", "no_proxy": "*"}
            env.pop("http_proxy", None)
            env.pop("HTTP_PROXY", None)
            process = subprocess.Popen([driver, f"--port={port}", "--host=127.0.0.1"], env=env,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            client = WebDriver(port)
            try:
                client.wait_ready(process)
                client.new_session(str(workdir / "profile"))
                client.navigate(url)
                finished = done.wait(timeout)
            finally:
                client.quit()
                stop_process(process)
                _stop_browser(log_path)
        text = log_path.read_text("utf-8", errors="replace")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not finished:
        raise TimeoutError(f"WebKit did not report within {timeout:.0f} s; output tail:\n{text[-2000:]}")
    return text


def _stop_browser(log_path: Path) -> None:
    """The browser exits with its session or its driver; if it lingers, end it by the PID it printed."""
    match = _PID.search(log_path.read_text("utf-8", errors="replace"))
    if match is None:
        return
    pid = int(match.group(1))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with suppress(ProcessLookupError):
        os.kill(pid, 9)
