"""URLs and origins as browsers parse them: http(s) URL validity, origin serialization,
same-origin and same-site, Access-Control-Allow-Origin value syntax. Pure; no I/O.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, unquote, urlsplit

_FORBIDDEN_HOST_CHARS = frozenset(" #/:<>?@[\\]^|%\x7f")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def special_url_slashes(url: str) -> str:
    """WHATWG URL parser: in an http(s) URL a backslash before the query acts as a slash."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    head, tail = url[:cut], url[cut:]
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", head)
    if scheme and scheme.group(1).lower() not in _DEFAULT_PORTS:
        return url
    return head.replace("\\", "/") + tail


def split_url(url: str) -> SplitResult | None:
    """An http(s) URL with a valid host and port, split; None otherwise."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or not is_valid_host(parts.hostname):
        return None
    return parts


def is_valid_host(host: str) -> bool:
    """WHATWG host parser, roughly: no forbidden code point; IPv6 and dotted IPv4 must parse."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    host = unquote(host)
    if any(c in _FORBIDDEN_HOST_CHARS or ord(c) < 0x20 for c in host):
        return False
    labels = host.rstrip(".").split(".")
    if labels[-1].isdigit():
        return len(labels) <= 4 and all(label.isdigit() and int(label) <= 255 for label in labels[:-1]) \
            and int(labels[-1]) < 256 ** (5 - len(labels))
    return True


def serialize_origin(url: str) -> str | None:
    """Fetch 'serialize an origin' of an http(s) URL: scheme://host[:port]; None if not one."""
    parts = split_url(url)
    if parts is None or parts.hostname is None:
        return None
    host = parts.hostname
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host:
        host = f"[{ipaddress.IPv6Address(host).compressed}]"
    port = parts.port
    suffix = "" if port is None or port == _DEFAULT_PORTS[parts.scheme] else f":{port}"
    return f"{parts.scheme}://{host.lower()}{suffix}"


def same_origin(a: str, b: str) -> bool:
    origin_a, origin_b = serialize_origin(a), serialize_origin(b)
    return origin_a is not None and origin_a == origin_b


def has_credentials(url: str) -> bool:
    parts = split_url(url)
    return parts is not None and (parts.username is not None or parts.password is not None)


def registrable_site(url: str) -> tuple[str, str] | None:
    """(scheme, site): an approximation of schemeful site without a public suffix list."""
    parts = split_url(url)
    if parts is None or parts.hostname is None:
        return None
    host = parts.hostname.lower()
    labels = host.split(".")
    if host.replace(".", "").isdigit() or ":" in host or len(labels) <= 2:
        return parts.scheme, host
    return parts.scheme, ".".join(labels[-2:])


def is_valid_origin_syntax(value: str) -> bool:
    """Chromium's GURL(value).is_valid() approximation for Access-Control-Allow-Origin.

    Any scheme-led value is a valid URL unless it is a special (http-like) URL whose host or
    port does not parse; GURL accepts '*' in a host (Chromium then reports a plain mismatch).
    """
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", value)
    if not match:
        return False
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in ("http", "https", "ws", "wss", "ftp"):
        return True
    authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0].rsplit("@", 1)[-1]
    host, port = authority, ""
    if not authority.endswith("]") and ":" in authority:
        host, port = authority.rsplit(":", 1)
    if port and (not port.isdigit() or int(port) > 65535):
        return False
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    return bool(host) and is_valid_host(host)
