"""Finding, starting and stopping headless Chromium for the differential suite.

``run_page`` starts exactly one Chromium process on a fresh profile, waits (bounded) for a
condition, then terminates that process by its PID and returns its stderr (console log).
Does process and file I/O.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.browser.binaries import find_binary, read_version

FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--enable-logging=stderr", "--v=0",
)
STOP_TIMEOUT = 10.0


def find_chromium() -> str | None:
    return find_binary(("chromium", "chromium-browser", "google-chrome"))


def chromium_version(binary: str) -> str:
    """``Chromium 156.0.8078.79 built on ...`` -> ``156.0.8078.79``."""
    return read_version(binary, r"(\d+\.\d+\.\d+\.\d+)", "Chromium")


def run_page(binary: str, url: str, done: threading.Event, timeout: float,
             extra_flags: tuple[str, ...] = ()) -> str:
    """Load ``url`` in one headless Chromium (FLAGS plus ``extra_flags``); return its stderr
    once ``done`` is set.

    Raises TimeoutError if ``done`` is not set within ``timeout`` seconds.
    """
    profile = tempfile.mkdtemp(prefix="corsprobe-chromium-")
    log_path = Path(profile).with_suffix(".log")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, *FLAGS, *extra_flags, f"--user-data-dir={profile}", url],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            finished = done.wait(timeout)
            exit_code = process.poll()
        finally:
            stop_process(process)
            shutil.rmtree(profile, ignore_errors=True)
    text = log_path.read_text("utf-8", errors="replace")
    log_path.unlink(missing_ok=True)
    if not finished:
        raise TimeoutError(
            f"Chromium did not report within {timeout:.0f} s (exit code {exit_code}); "
            f"stderr tail:\n{text[-2000:]}"
        )
    return text


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate exactly the process we started, then kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)
