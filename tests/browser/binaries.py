"""Finding an installed browser binary and reading its version. Runs `--version`; test-only."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence


def find_binary(names: Sequence[str]) -> str | None:
    """The first of ``names`` on PATH."""
    return next((found for found in map(shutil.which, names) if found), None)


def read_version(binary: str, pattern: str, label: str) -> str:
    """The first match of ``pattern`` in ``binary --version``."""
    completed = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False)
    match = re.search(pattern, completed.stdout)
    if not match:
        raise RuntimeError(f"cannot read the {label} version from {completed.stdout!r}")
    return match.group(1)
