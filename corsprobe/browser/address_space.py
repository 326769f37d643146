"""Checks a browser makes before CORS: mixed content and Local Network Access.

Secure Contexts "potentially trustworthy" origins, Mixed Content blocking of http:// fetches
from https:// pages, and the address spaces of Chromium's Local Network Access. Pure; no I/O
(host names are never resolved: only IP literals and localhost are classified).
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import lru_cache
from urllib.parse import urlsplit


class AddressSpace(StrEnum):
    LOOPBACK = "loopback"
    LOCAL = "local"
    PUBLIC = "public"
    UNKNOWN = "unknown"


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@lru_cache(maxsize=4096)  # pure; asked several times per row
def address_space(url: str) -> AddressSpace:
    """The address space of a URL's host when it can be told without DNS."""
    host = _host(url)
    if host == "localhost" or host.endswith(".localhost"):
        return AddressSpace.LOOPBACK
    ip = _ip(host)
    if ip is None:
        return AddressSpace.UNKNOWN
    if ip.is_loopback:
        return AddressSpace.LOOPBACK
    if ip.is_private or ip.is_link_local:
        return AddressSpace.LOCAL
    return AddressSpace.PUBLIC


def is_potentially_trustworthy(url: str) -> bool:
    """Secure Contexts: https/wss, or a loopback host (localhost, 127.0.0.0/8, ::1)."""
    scheme = url.split(":", 1)[0].lower()
    return scheme in ("https", "wss") or address_space(url) is AddressSpace.LOOPBACK


def is_mixed_content(page_origin: str, url: str) -> bool:
    """Mixed Content: an https page's fetch() of a URL that is not potentially trustworthy."""
    return page_origin.lower().startswith("https://") and not is_potentially_trustworthy(url)


def needs_local_network_permission(page_origin: str, url: str) -> bool:
    """Chromium Local Network Access (M142+): a page that may be public fetching a loopback or
    local address asks the user first. The page's space is guessed from its origin's host."""
    target = address_space(url)
    if target not in (AddressSpace.LOOPBACK, AddressSpace.LOCAL):
        return False
    page = address_space(page_origin)
    if page is AddressSpace.LOOPBACK:
        return False
    return not (page is AddressSpace.LOCAL and target is AddressSpace.LOCAL)
