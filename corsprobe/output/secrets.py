"""Masking of secrets in anything corsprobe prints. Pure; no I/O.

Header values are masked by name (Authorization, Cookie, names suggesting a secret) and any
value the user declared secret is masked wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from corsprobe.model import Headers

MASK = "********"
SECRET_HEADER_NAMES = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "set-cookie2",
})
_SECRET_NAME = re.compile(r"token|secret|key|session|password|passwd|auth|credential|csrf|xsrf|signature",
                          re.I)
_MIN_SECRET = 4


def is_secret_header(name: str) -> bool:
    lower = name.lower()
    if lower.startswith("access-control-"):
        return False
    return lower in SECRET_HEADER_NAMES or bool(_SECRET_NAME.search(lower))


@dataclass(frozen=True, slots=True)
class Masker:
    """Masks header values by name and declared secret values anywhere in text."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str]) -> Masker:
        kept = {v for v in values if len(v) >= _MIN_SECRET}
        return cls(tuple(sorted(kept, key=len, reverse=True)))

    def text(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def header(self, name: str, value: str) -> str:
        if is_secret_header(name):
            return _mask_cookie(value) if name.lower().startswith("set-cookie") else MASK
        return self.text(value)

    def headers(self, headers: Headers) -> Headers:
        return tuple((name, self.header(name, value)) for name, value in headers)


def _mask_cookie(value: str) -> str:
    """Keep a Set-Cookie's name and attributes (they explain warnings), mask its value."""
    first, _, attributes = value.partition(";")
    name, equals, _value = first.partition("=")
    # A cookie without '=' has no name: the whole first segment is its value.
    shown = f"{name.strip()}={MASK}" if equals else MASK
    return shown + (f";{attributes}" if attributes else "")
