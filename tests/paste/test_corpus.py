"""Every console text of the corpus gives the right URL, origin, method, header names, credentials
mode and reason (each entry names the browser source it was taken from)."""

from __future__ import annotations

import pytest

from corsprobe.paste.dispatch import parse
from tests.paste.corpus_chrome import CHROME
from tests.paste.corpus_other import FIREFOX, SAFARI
from tests.paste.expect import Expect

CORPUS = CHROME + FIREFOX + SAFARI


def test_corpus_ids_are_unique_and_cover_every_family() -> None:
    ids = [e.id for e in CORPUS]
    assert len(ids) == len(set(ids))
    assert {e.kind for e in CORPUS} == {"chrome-console", "firefox-console", "safari-console"}


@pytest.mark.parametrize("entry", CORPUS, ids=[e.id for e in CORPUS])
def test_paste_gives_the_request_and_reason(entry: Expect) -> None:
    items = parse(entry.text)
    assert len(items) == entry.count, [i.url for i in items]
    item = items[0]
    got = (item.kind.value, item.url, item.origin, item.method, tuple(n for n, _ in item.headers),
           item.credentials.value if item.credentials else None,
           item.browser_reason.value if item.browser_reason else None)
    want = (entry.kind, entry.url, entry.origin, entry.method, entry.headers, entry.credentials, entry.reason)
    assert got == want, entry.source


def test_encoded_hint_is_decoded() -> None:
    item = parse("Access to fetch at 'https://a.example/' from origin 'https://b.example' has been blocked by CORS "
                 "policy: The 'Access-Control-Allow-Origin' header has a value 'https://caf\\u00E9.example' that is "
                 "not equal to the supplied origin.")[0]
    assert "https://caf\\u00E9.example" in item.browser_text


def test_redirected_message_notes_the_last_url() -> None:
    item = next(parse(e.text)[0] for e in CHROME if e.id == "cr-redirected")
    assert any("https://cdn.example.com/x" in note for note in item.notes)


def test_firefox_deprecation_warning_alone_is_not_a_probe_but_is_recognised_text() -> None:
    text = ("Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at "
            "https://api.example.com/x soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the "
            "`Authorization` header is not covered. To include the `Authorization` header, it must be explicitly "
            "listed in CORS header `Access-Control-Allow-Headers`).")
    with pytest.raises(ValueError, match="expected a Chrome/Edge, Firefox or Safari console CORS error"):
        parse(text)


@pytest.mark.parametrize("text", ["", "hello", "TypeError: Failed to fetch\n    at x (a.js:1:1)",
                                  "GET https://api.example.com/ 404 (Not Found)"])
def test_unrecognised_text_is_an_error_naming_what_was_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected a Chrome/Edge, Firefox or Safari console CORS error"):
        parse(text)
