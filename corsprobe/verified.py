"""Which Chromium the engine was last verified against: read from the file the browser
suite writes (``corsprobe/data/browser-verified.json``). Reads one package file.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

FILE = "browser-verified.json"


def load() -> dict[str, Any] | None:
    try:
        text = (resources.files("corsprobe") / "data" / FILE).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def describe() -> str:
    data = load()
    if not data or "chromium_major" not in data:
        return "not yet verified against a browser"
    text = f"verified against Chromium {data['chromium_major']} on {data.get('cases', '?')} cases"
    if "firefox_major" in data:
        text += f" and Firefox {data['firefox_major']} on {data.get('firefox_cases', '?')} cases"
    return f"{text}, {data.get('date', '?')}"
