"""URLs and origins as browsers parse them: http(s) URL validity, origin serialization,
same-origin and same-site, Access-Control-Allow-Origin value syntax. Pure; no I/O.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit

from corsprobe.hints import did_you_mean

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


@lru_cache(maxsize=4096)  # pure; a row asks about the same few URLs many times
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


@lru_cache(maxsize=4096)  # pure; a row asks about the same few URLs many times
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


@lru_cache(maxsize=4096)  # pure; a row asks about the same few URLs many times
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


def page_origin(text: str) -> tuple[str, str | None]:
    """A page's origin as a browser serializes it (host case and a default port normalized), and
    the path, query or trailing slash that an origin cannot have (or None).

    ``ValueError`` when ``text`` is not ``null`` or an http(s) URL, with what to write instead.
    The caller decides whether a dropped part is an error (files, the API) or a notice
    (``check --origin``).
    """
    if text == "null":
        return text, None
    origin = serialize_origin(text)
    if origin is None:
        fixed = f"https://{text}"
        hint = f"did you mean '{fixed}'?" if "://" not in text and serialize_origin(fixed) else \
            "write e.g. 'https://app.example.com'"
        raise ValueError(f"origin {text!r} is not an http(s) origin; {hint}")
    parts = urlsplit(text)
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"an origin has no user or password; write {origin!r}")
    dropped = text[len(f"{parts.scheme}://{parts.netloc}"):]
    return origin, dropped or None


def origin_problem(text: str) -> str | None:
    """Why ``text`` cannot be written as a page's origin in a file or the API, with the fix."""
    try:
        origin, dropped = page_origin(text)
    except ValueError as error:
        return str(error)
    if dropped is None:
        return None
    what = "a trailing slash" if dropped == "/" else f"{dropped!r} after the host"
    return f"origin {text!r} has {what}; an origin is scheme://host[:port]: write {origin!r}"


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL a page could fetch, with a did-you-mean; None when it is."""
    if split_url(url) is not None:
        return None
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*)://(.*)$", url)
    if match is None:
        fixed = f"http://{url.lstrip('/')}"
        if split_url(fixed) is not None:
            return f"{url!r} has no scheme; did you mean {fixed}?"
        return f"{url!r} is not an http(s) URL; write e.g. https://api.example.com/items"
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in _DEFAULT_PORTS:
        close = did_you_mean(scheme, tuple(_DEFAULT_PORTS))
        if close and split_url(f"{close}://{rest}") is not None:
            return f"{url!r} is not an http(s) URL; did you mean {close}://{rest}?"
        return f"{url!r} is not an http(s) URL (scheme {scheme!r}); corsprobe probes http and https"
    return f"{url!r} is not a valid http(s) URL: its host or port does not parse"
