"""The WebKit console texts captured by the browser suite (tests/browser/data/webkit-console.json,
one per blocked case of the last WebKitGTK run) read by the Safari paste parser: each CORS text
must give one item whose reason is one of the corsprobe reasons WebKit's category names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corsprobe.paste import safari
from corsprobe.reasons import Reason

DATA = json.loads((Path(__file__).resolve().parents[1] / "browser" / "data" / "webkit-console.json").read_text())
CATEGORIES: dict[str, list[str]] = DATA["categories"]
# WebKit lines that are not CORS failures: the parser rightly finds no CORS reason in them.
NOT_CORS = {"NetworkError", "FtpDisabled"}


def _pasted(case_id: str, message: str) -> str:
    """The two lines Safari's console shows for one failed fetch."""
    return (f"[Error] {message}\n"
            f"[Error] Fetch API cannot load http://127.0.0.1:8000/c/{case_id}/wb/0 due to access control checks.")


@pytest.mark.parametrize(("case_id", "message", "category"),
                         [(case_id, *entry) for case_id, entry in DATA["cases"].items() if entry[1] not in NOT_CORS])
def test_safari_parser_reads_each_captured_line(case_id: str, message: str, category: str) -> None:
    items = safari.parse(_pasted(case_id, message))
    assert len(items) == 1
    found = items[0].item
    assert found.url.endswith(f"/c/{case_id}/wb/0")
    names = set(CATEGORIES[category])
    reason = found.browser_reason
    assert reason is not None, message
    twins = {r.value for r in Reason if r.preflight_variant.value in names or r.value in names}
    assert reason.value in names | twins, (message, reason, names)


def test_every_category_was_captured() -> None:
    seen = {category for _, category in DATA["cases"].values()}
    assert seen == set(CATEGORIES)
