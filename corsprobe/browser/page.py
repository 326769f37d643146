"""The page's side of fetch(): what the Request constructor and Headers let a page send,
decided before any network traffic (forbidden methods and headers, body-implied
Content-Type, mixed content). Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsprobe.browser import origins, spec
from corsprobe.browser.address_space import is_mixed_content
from corsprobe.model import Finding, Headers, Outcome, Probe, Verdict
from corsprobe.reasons import Reason


@dataclass(frozen=True, slots=True)
class Prepared:
    """The request after the page-side API rules: what fetch() would actually send."""

    origin: str
    method: str
    headers: Headers
    body: bytes | None
    dropped: tuple[str, ...]


def prepare(probe: Probe) -> Prepared | Outcome:
    """Request constructor and Headers rules: decided before any network traffic."""
    # Fetch "Methods": a forbidden method makes fetch() throw.
    if spec.is_forbidden_method(probe.method):
        return _refused(Reason.FORBIDDEN_METHOD, probe.method)
    if not spec.is_token(probe.method):
        return _refused(Reason.INVALID_REQUEST, f"'{probe.method}' is not a valid method name")
    origin = probe.origin if probe.origin == "null" else origins.serialize_origin(probe.origin)
    if origin is None:
        return _refused(Reason.INVALID_REQUEST, f"'{probe.origin}' is not an http(s) origin")
    if origins.split_url(probe.url) is None:
        return _refused(Reason.CORS_DISABLED_SCHEME, probe.url)
    # Request constructor step 5.4: a URL that includes credentials makes fetch() throw a TypeError.
    if origins.has_credentials(probe.url):
        return _refused(Reason.INVALID_REQUEST, "the URL includes credentials (user:password@), which fetch() "
                        "refuses; send them in an Authorization header instead")
    # Mixed Content: an https page's fetch() of an http URL is blocked before CORS.
    if is_mixed_content(origin, probe.url):
        return _refused(Reason.MIXED_CONTENT, probe.url)
    method = spec.normalize_method(probe.method)
    # Request constructor: GET/HEAD cannot have a body.
    if probe.body is not None and method in ("GET", "HEAD"):
        return _refused(Reason.INVALID_REQUEST, f"a {method} request cannot have a body")
    kept: list[tuple[str, str]] = []
    dropped: list[str] = []
    for name, raw_value in probe.headers:
        value = spec.normalize_header_value(raw_value)
        # Headers "validate": invalid names or values make fetch() throw.
        if not spec.is_token(name) or not spec.is_valid_header_value(value):
            return _refused(Reason.INVALID_REQUEST, f"header '{name}' is not a valid header")
        # Headers "validate": forbidden request-headers are silently ignored.
        if spec.is_forbidden_request_header(name, value):
            dropped.append(name)
        else:
            kept.append((name, value))
    body = None if probe.body is None else probe.body.encode("utf-8")
    # BodyInit "extract": a string body implies text/plain;charset=UTF-8.
    if body is not None and not any(n.lower() == "content-type" for n, _ in kept):
        kept.append(("Content-Type", "text/plain;charset=UTF-8"))
    return Prepared(origin, method, _combine(kept), body, tuple(dropped))


def _refused(reason: Reason, detail: str) -> Outcome:
    return Outcome(verdict=Verdict.BLOCKED, failure=Finding(reason, detail))


def _combine(headers: list[tuple[str, str]]) -> Headers:
    """Headers "append": a repeated name is combined into one ', '-joined value."""
    combined: dict[str, tuple[str, str]] = {}
    for name, value in headers:
        key = name.lower()
        if key in combined:
            first_name, first_value = combined[key]
            combined[key] = (first_name, f"{first_value}, {value}")
        else:
            combined[key] = (name, value)
    return tuple(combined.values())
