"""Masking remembers what it masked (texts, requests, answers): the same value masks the same way
every time it recurs, a masker's memory is its own, and what needs no mask is kept as is."""

from __future__ import annotations

from corsprobe.model import Exchange, HttpRequest, HttpResponse, Stage
from corsprobe.output.secrets import MASK, Masker, masker_for


def exchange(token: str) -> Exchange:
    request = HttpRequest(Stage.ACTUAL, "GET", "https://api.example.com/r?api_key=k3y-value",
                          (("Authorization", f"Bearer {token}"), ("Accept", "*/*")))
    return Exchange(request, HttpResponse(200, (("X-Echo", token), ("Date", "now"))))


def test_recurring_exchanges_are_masked_alike() -> None:
    rows = [exchange("s3cret-one"), exchange("s3cret-one"), exchange("s3cret-two")]
    masker = masker_for(rows)
    masked = [masker.value(row) for row in rows]
    assert masked[0] == masked[1] and masked[0] is masked[1]  # masked once, remembered
    for row in masked:
        assert row.request.headers[0] == ("Authorization", MASK)
        assert "k3y-value" not in row.request.url and row.response is not None
        assert row.response.headers[0] == ("X-Echo", MASK)  # a secret found elsewhere is masked here too
    assert "s3cret" not in repr(masked)


def test_a_maskers_memory_is_its_own() -> None:
    row = exchange("s3cret-one")
    assert Masker().value(row).response == row.response  # no secrets known: the echo is not masked
    assert masker_for([row]).value(row).response != row.response
    assert Masker().value(row).response == row.response  # and the first masker did not learn any


def test_what_needs_no_mask_is_the_same_object() -> None:
    plain = Exchange(HttpRequest(Stage.PREFLIGHT, "OPTIONS", "https://api.example.com/r", (("Accept", "*/*"),)),
                     HttpResponse(204, (("Access-Control-Allow-Origin", "*"),)))
    assert masker_for([plain]).value(plain) is plain
