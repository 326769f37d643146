"""A console message quoting a server's value that holds a line-break character other than LF (a bare
CR, VT, FF, FS, NEL, U+2028: str.splitlines() breaks at each) is still one message: read by every
console parser, its URL and reason kept (found by the browser suite: Firefox quotes 'Allow-Origin: *\\r')."""

from __future__ import annotations

import pytest

from corsprobe.paste.dispatch import parse
from corsprobe.reasons import Reason

BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
URL = "http://127.0.0.1:8000/items"


def firefox(value: str, url: str = URL) -> str:
    return (f"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. "
            f"(Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 does not match \u2018{value}\u2019).\n"
            "TypeError: NetworkError when attempting to fetch resource.")


def chrome(value: str, url: str = URL) -> str:
    return (f"Access to fetch at '{url}' from origin 'http://localhost:8080' has been blocked by CORS policy: "
            f"The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin.")


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(c):04X}" for c in BREAKS])
@pytest.mark.parametrize("message", [firefox, chrome])
def test_a_quoted_value_with_a_line_break_is_one_message(message: object, brk: str) -> None:
    assert callable(message)
    items = parse(message(f"*{brk}x") + "\n" + message("https://other.example", URL + "/2"))
    assert [(i.url, i.browser_reason) for i in items] == [(URL, Reason.ALLOW_ORIGIN_MISMATCH),
                                                          (URL + "/2", Reason.ALLOW_ORIGIN_MISMATCH)]
