"""URL text safe to print: userinfo's password replaced. Pure; no I/O."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

MASK = "********"


def without_password(url: str) -> str:
    """``url`` with any ``user:password@`` shown as ``user:********@``; other URLs unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None and "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, _password = userinfo.partition(":")
    masked = f"{user}:{MASK}@{hostport}" if colon else f"{user}@{hostport}"
    return urlunsplit(parts._replace(netloc=masked))


def host_key(url: str) -> str:
    """``scheme://host:port`` (lower-case host), the unit of per-host politeness."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port or ''}"
