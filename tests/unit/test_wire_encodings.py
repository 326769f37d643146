"""wire.encodings: Content-Encoding as Chromium reads it (HttpNetworkTransaction::ContentEncodingsValid,
FilterSourceStream::GetContentEncodingTypes), one row per rule."""

from __future__ import annotations

import pytest

from corsprobe.wire.encodings import layers, not_zstd, refusal, zstd_alone


@pytest.mark.parametrize(("values", "status", "location", "refused"), [
    ([], 200, False, False),
    (["gzip"], 200, False, False),
    (["gzip, br"], 200, False, False),
    (["GZIP"], 200, False, False),
    ([""], 200, False, False),  # an empty value: nothing to parse
    (["gzip, , deflate"], 200, False, False),  # empty elements are skipped (ValuesIterator)
    (["xyz"], 200, False, False),  # unknown but a token: passes, undecoded
    (["g zip"], 200, False, True),  # ParseContentEncoding: not a token
    (["gzip;q=1"], 200, False, True),
    (["gzip", "b\x7fr"], 200, False, True),  # every line counts
    (["g zip"], 302, True, False),  # a redirect is let through (crbug.com/714514)
    (["g zip"], 302, False, True),  # ... only when it is one (IsRedirect needs a Location)
    (["g zip"], 204, False, True),  # preflights too: the check is the network transaction's
])
def test_refusal(values: list[str], status: int, location: bool, refused: bool) -> None:
    found = refusal(values, status, location)
    assert (found is not None) is refused, found
    if found is not None:
        assert "ERR_CONTENT_DECODING_FAILED" in found


@pytest.mark.parametrize(("values", "expected"), [
    ([], []),
    (["gzip"], ["gzip"]),
    (["x-gzip"], ["x-gzip"]),
    (["deflate, gzip"], ["gzip", "deflate"]),  # the last listed is undone first
    (["deflate", "gzip"], ["gzip", "deflate"]),
    (["Gzip"], ["gzip"]),
    (["gzip, identity"], []),  # identity anywhere: the raw body (kNone)
    (["gzip, xyz"], []),  # an unknown coding anywhere: the raw body
    (["br"], []),  # decoded by Chromium, not here: raw
    (["zstd"], []),
])
def test_layers(values: list[str], expected: list[str]) -> None:
    assert layers(values) == expected


@pytest.mark.parametrize(("first", "refused"), [
    (b"\x28\xb5\x2f\xfd", False),  # a zstd frame
    (b"\x50\x2a\x4d\x18", False),  # a skippable frame (0x184D2A50)
    (b"\x5f\x2a\x4d\x18", False),
    (b"\x60\x2a\x4d\x18", True),
    (b"ok", True),  # shorter than a magic number
    (b"\x1f\x8b\x08\x00", True),  # gzip's magic
])
def test_zstd_magic(first: bytes, refused: bool) -> None:
    assert not_zstd(first) is refused


def test_only_a_body_that_is_zstd_alone_is_looked_at() -> None:
    assert zstd_alone(["zstd"]) and zstd_alone([" ZSTD "])
    assert not zstd_alone(["gzip, zstd"]) and not zstd_alone(["br"]) and not zstd_alone([])
