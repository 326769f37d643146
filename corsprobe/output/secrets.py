"""Masking of secrets in anything corsprobe prints. Pure; no I/O.

Masking is a step on *values*, before any renderer runs: ``Masker.value`` walks a Result (or
any dataclass, tuple, list, mapping, str or bytes) and returns a copy in which every secret is
replaced, so no escaping, column wrapping or new format can let one through.

Secrets are: the values of Authorization/Proxy-Authorization (and the credential after the
scheme word), Cookie/Set-Cookie values, headers whose names suggest a secret, declared values
(``--secret``, every ``${env:…}`` value), URL userinfo passwords and query parameters whose
names suggest a secret, in every URL of every string. Each secret is also masked in the forms
an echo would give it (``repr`` of str and bytes, JSON escapes, percent-encoding).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus, unquote_plus

from corsprobe.model import Exchange, Headers, HttpRequest, HttpResponse, Outcome

MASK = "********"
SECRET_HEADER_NAMES = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "set-cookie2",
})
_SECRET_NAME = re.compile(r"token|secret|key|session|password|passwd|auth|credential|csrf|xsrf|signature",
                          re.I)
#: Query parameter names (or ``-``/``_``/``.``-separated parts of one) that carry a secret.
SECRET_PARAM_PARTS = frozenset({
    "token", "key", "apikey", "secret", "password", "passwd", "pwd", "pass", "sig", "signature", "auth",
    "session", "sessionid", "sid", "code", "jwt", "credential", "credentials", "otp", "hash",
})
# A value ends at a quote or a backslash too: in a JSON or JS string, '\"' closes it.
_PARAM = re.compile(r"([?&;])([^=&#\s?;'\"<>\\]+)=([^&#\s;'\"<>\\]*)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s@:?#'\"<>]*):([^@/\s?#'\"<>]*)@")
_MIN_SECRET = 4
_MEMO = 4096  # masked texts (and requests, answers) remembered per masker: bounded, not per row
_MEMO_TEXT = 512  # only short texts (URLs, header lines) repeat; a row's whole document never does
_REPEATED = frozenset({HttpRequest, HttpResponse, Exchange, Outcome})  # immutable, hashable, and they recur
# Values too common to mask everywhere (a cookie ``flag=true`` must not hide ``Allow-Credentials: true``).
_TOO_COMMON = frozenset({"true", "false", "null", "none", "deleted", "undefined", "bearer", "basic"})
_SAME = "\x00unchanged"  # memo: masking left the text as it was (told by identity, never by value)
_MISSING = object()
T = TypeVar("T")
U = TypeVar("U")


@lru_cache(maxsize=4096)
def is_secret_header(name: str) -> bool:
    lower = name.lower()
    if lower.startswith("access-control-"):
        return False
    return lower in SECRET_HEADER_NAMES or bool(_SECRET_NAME.search(lower))


def is_secret_param(name: str) -> bool:
    lower = unquote_plus(name).lower()
    return lower in SECRET_PARAM_PARTS or any(part in SECRET_PARAM_PARTS for part in re.split(r"[-_.\[\]]", lower))


@dataclass(frozen=True, slots=True)
class Masker:
    """Masks secret header values by name, URL secrets by shape, and known secret values anywhere."""

    values: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    # text -> masked text (a run repeats the same URLs and header lines thousands of times)
    memo: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    walked: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, values: Iterable[str]) -> Masker:
        """A masker for these secret values (and the echoed forms of each)."""
        kept = {form for value in values if len(value) >= _MIN_SECRET and value.lower() not in _TOO_COMMON
                for form in _forms(value) if len(form) >= _MIN_SECRET}
        ordered = tuple(sorted(kept, key=len, reverse=True))
        pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        return cls(ordered, pattern)

    def with_values(self, values: Iterable[str]) -> Masker:
        return Masker.of({*self.values, *values})

    def text(self, text: str) -> str:
        found = self.memo.get(text)
        if found is None:
            found = self._text(text)
            found = _SAME if found == text else found
            if len(self.memo) < _MEMO and len(text) <= _MEMO_TEXT:
                self.memo[text] = found
        # unchanged: the very object given (an equal one met earlier is another object), so ``_walk``
        # keeps the item that holds it instead of copying it
        return text if found is _SAME else found

    def _text(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(MASK, text)
        if "=" in text:
            text = _PARAM.sub(_mask_param, text)
        if "@" in text:
            text = _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
        return text

    def header(self, name: str, value: str) -> str:
        if is_secret_header(name):
            return self.text(_mask_cookie(value)) if name.lower().startswith("set-cookie") else MASK
        return self.text(value)

    def headers(self, headers: Headers) -> Headers:
        return self.remembered(("headers", headers), lambda: tuple((n, self.header(n, v)) for n, v in headers))

    def remembered(self, key: tuple[str, object], make: Callable[[], U]) -> U:
        """``make()``, once per distinct ``key`` (a tag and a hashable value) for this masker: what is
        derived from a value by masking it recurs row after row (bounded)."""
        found = self.walked.get(key, _MISSING)
        if found is _MISSING:
            found = make()
            if len(self.walked) < _MEMO:
                self.walked[key] = found
        return found  # type: ignore[return-value]

    def value(self, item: T) -> T:
        """A copy of ``item`` with every str (and bytes) in it masked; header pairs by name."""
        return _walk(item, self)  # type: ignore[no-any-return]


def masker_for(items: Iterable[object], declared: Iterable[str] = ()) -> Masker:
    """A masker for ``declared`` values plus every secret found in ``items`` (header values by
    name, the credential after an Authorization scheme, cookie values, URL secrets)."""
    return Masker.of(secrets_in(items) | set(declared))


def secrets_in(items: Iterable[object], seen: set[object] | None = None) -> set[str]:
    """The secret values ``items`` carry (what ``masker_for`` masks besides the declared ones); ``seen``:
    the strings and answers already looked at (by an earlier call, whose secrets the caller kept)."""
    found: set[str] = set()
    seen = set() if seen is None else seen
    for item in items:
        _collect(item, found, seen)
    return found


def mask_all(items: Iterable[T], declared: Iterable[str] = ()) -> list[T]:
    """Every item with its secrets (and the declared ones) masked: the step before rendering."""
    kept = list(items)
    masker = masker_for(kept, declared)
    return [masker.value(item) for item in kept]


def header_secrets(name: str, value: str) -> set[str]:
    """The secret values one header line carries (none when its name is not a secret's)."""
    if not is_secret_header(name):
        return set()
    found = {value, value.strip()}
    lower = name.lower()
    if lower.startswith("set-cookie"):
        first = value.partition(";")[0]
        found = {first.partition("=")[2].strip() or first.strip()}
    elif lower == "cookie":
        found |= {pair.partition("=")[2].strip() or pair.strip() for pair in value.split(";")}
    else:
        scheme, _, credential = value.strip().partition(" ")
        if credential.strip():
            found.add(credential.strip())
            if scheme.lower() == "basic":
                found |= _basic_parts(credential.strip())
    return {v for v in found if v}


def _basic_parts(credential: str) -> set[str]:
    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return set()
    _user, _, password = decoded.partition(":")
    return {decoded, password} - {""} if password else set()


def _forms(value: str) -> set[str]:
    """The value and the ways an echo may have escaped it."""
    forms = {value, value.strip(), repr(value)[1:-1], json.dumps(value)[1:-1],
             json.dumps(value, ensure_ascii=False)[1:-1], quote(value, safe=""), quote_plus(value)}
    raw = value.encode("utf-8", "surrogatepass")
    forms.add(repr(raw)[2:-1])
    with contextlib.suppress(UnicodeEncodeError):
        forms.add(repr(value.encode("latin-1"))[2:-1])
    return {form for form in forms if form}


def _mask_param(match: re.Match[str]) -> str:
    if not is_secret_param(match.group(2)) or not match.group(3) or match.group(3) == MASK:
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}={MASK}"


def _url_secrets(text: str, found: set[str]) -> None:
    if "=" in text:
        for match in _PARAM.finditer(text):
            if is_secret_param(match.group(2)) and match.group(3):
                found |= {match.group(3), unquote_plus(match.group(3))}
    if "@" in text:
        for match in _USERINFO.finditer(text):
            if match.group(2):
                found |= {match.group(2), unquote_plus(match.group(2))}


def _is_header_pairs(item: object) -> bool:
    return bool(item) and isinstance(item, tuple) and all(
        isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], str)
        for pair in item)


def _collect(item: object, found: set[str], seen: set[object] | None = None) -> None:
    """Add the secrets in ``item`` to ``found``; ``seen``: strings and header lines already looked at."""
    seen = set() if seen is None else seen
    kind = type(item)
    if kind is str:  # the common leaves first, by exact type (an Enum is never exactly str)
        if item not in seen:
            seen.add(item)
            _url_secrets(item, found)  # type: ignore[arg-type]
        return
    if item is None or kind is bool or kind is int or kind is float:
        return
    if kind in _REPEATED:  # an equal request or answer was looked at already
        if item in seen:
            return
        seen.add(item)
    if isinstance(item, Enum) or item is None or isinstance(item, bool | int | float):
        return
    if isinstance(item, str):
        if item not in seen:
            seen.add(item)
            _url_secrets(item, found)
    elif isinstance(item, bytes):
        _url_secrets(item.decode("utf-8", "surrogateescape"), found)
    elif _is_header_pairs(item):
        for pair in item:  # type: ignore[attr-defined]
            if pair not in seen:
                seen.add(pair)
                found |= header_secrets(*pair)
                _url_secrets(pair[1], found)
    elif dataclasses.is_dataclass(item) and not isinstance(item, type):
        for name in _field_names(type(item)):
            _collect(getattr(item, name), found, seen)
        if getattr(item, "cookie", None):
            found |= header_secrets("Cookie", item.cookie)  # type: ignore[attr-defined]
    elif isinstance(item, Mapping):
        for key, value in item.items():
            if isinstance(key, str) and isinstance(value, str):
                found |= header_secrets(key, value)
            _collect(value, found, seen)
    elif isinstance(item, tuple | list | set | frozenset):
        for element in item:
            _collect(element, found, seen)


@lru_cache(maxsize=256)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


@lru_cache(maxsize=256)
def _init_field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


def _walk(item: Any, masker: Masker) -> Any:
    kind = type(item)
    if kind is str:  # the common leaves first, by exact type (an Enum is never exactly str)
        return masker.text(item)
    if item is None or kind is bool or kind is int or kind is float:
        return item
    if kind in _REPEATED:  # the same request or answer recurs row after row: masked once
        found = masker.walked.get(item)
        if found is None:
            found = _walk_dataclass(item, masker)
            if len(masker.walked) < _MEMO:
                masker.walked[item] = found
        return found
    if isinstance(item, Enum) or item is None or isinstance(item, bool | int | float):
        return item
    if isinstance(item, str):
        return masker.text(item)
    if isinstance(item, bytes):
        return masker.text(item.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
    if _is_header_pairs(item):
        pairs = tuple((masker.text(name), masker.header(name, value)) for name, value in item)
        same = all(new[1] is old[1] and new[0] is old[0] for new, old in zip(pairs, item, strict=True))
        return item if same else pairs
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return _walk_dataclass(item, masker)
    if isinstance(item, Mapping):
        return {_walk(k, masker): (masker.header(k, v) if isinstance(k, str) and isinstance(v, str)
                                   else _walk(v, masker)) for k, v in item.items()}
    if isinstance(item, tuple):
        elements = tuple(_walk(element, masker) for element in item)
        same = all(new is old for new, old in zip(elements, item, strict=True))
        return item if same and type(item) is tuple else type(item)(elements)
    if isinstance(item, list | set | frozenset):
        return type(item)(_walk(element, masker) for element in item)
    return item


def _walk_dataclass(item: Any, masker: Masker) -> Any:
    kind: type = type(item)
    changes = {name: _walk(getattr(item, name), masker) for name in _init_field_names(kind)}
    if getattr(item, "cookie", None) and "cookie" in changes:
        changes["cookie"] = MASK
    if all(value is getattr(item, name) for name, value in changes.items()):
        return item  # nothing masked: no copy
    return dataclasses.replace(item, **changes)


def _mask_cookie(value: str) -> str:
    """Keep a Set-Cookie's name and attributes (they explain warnings), mask its value."""
    first, _, attributes = value.partition(";")
    name, equals, _value = first.partition("=")
    # A cookie without '=' has no name: the whole first segment is its value.
    shown = f"{name.strip()}={MASK}" if equals else MASK
    return shown + (f";{attributes}" if attributes else "")
