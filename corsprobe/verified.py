"""Which browser engines (Chromium, Firefox, WebKitGTK) the engine was last verified against:
read from the file the browser suite writes (``corsprobe/data/browser-verified.json``). Reads one package file.
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
    parts = [f"Chromium {data['chromium_major']} on {data.get('cases', '?')} cases"]
    if "firefox_major" in data:
        parts.append(f"Firefox {data['firefox_major']} on {data.get('firefox_cases', '?')} cases")
    if "webkit" in data:
        version = ".".join(str(data["webkit"]).split(".")[:2])
        parts.append(f"WebKitGTK {version} on {data.get('webkit_cases', '?')} cases")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"verified against {listed}, {data.get('date', '?')}"
