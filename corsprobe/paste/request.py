"""Rebuilding the page's request from a copied header list (cURL, fetch, HAR): which headers the
browser added (Origin, Cookie, User-Agent, Sec-Fetch-*, …) and which the page set; the page
origin from Origin or Referer; a copied preflight turned back into the request it stood for.

Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from corsprobe.model import Credentials, Headers
from corsprobe.paste.item import Kind, Pasted, origin_of, placeholder

# Headers the browser (or the network stack, or DevTools' cache switch) sets, never the page.
BROWSER_ADDED = frozenset({
    "origin", "referer", "cookie", "cookie2", "user-agent", "accept-encoding", "accept-language", "host",
    "connection", "content-length", "priority", "dnt", "te", "upgrade-insecure-requests", "keep-alive",
    "access-control-request-method", "access-control-request-headers", "via", "expect", "trailer",
    "transfer-encoding", "upgrade", "date", "accept-charset", "proxy-connection",
})
_BROWSER_PREFIXES = ("sec-fetch-", "sec-ch-", "sec-gpc", "proxy-", ":")


def is_browser_added(name: str, value: str) -> bool:
    lower = name.lower()
    if lower in BROWSER_ADDED or lower.startswith(_BROWSER_PREFIXES):
        return True
    if lower == "accept" and value.strip() == "*/*":
        return True  # fetch()'s default Accept
    # DevTools' "Disable cache" adds these two; a page rarely does.
    return lower in ("cache-control", "pragma") and value.strip().lower() == "no-cache"


def rebuild(kind: Kind, url: str, method: str | None, headers: Iterable[tuple[str, str]], body: str | None = None,
            cookie: str | None = None, credentials: Credentials | None = None, origin: str | None = None,
            failed: bool | None = None) -> Pasted:
    """The page's request from what went on the wire (or what DevTools shows of it)."""
    pairs: Headers = tuple((n.strip(), v) for n, v in headers if n.strip())
    lookup = {n.lower(): v for n, v in reversed(pairs)}
    cookies = [v for n, v in pairs if n.lower() == "cookie"] + ([cookie] if cookie else [])
    page_origin = origin or _origin_header(lookup.get("origin")) or origin_of(lookup.get("referer"))
    notes: list[str] = []
    if not origin and "origin" not in lookup and page_origin:
        notes.append("page origin taken from the Referer")
    wanted = method or ("POST" if body is not None else "GET")
    acrm = lookup.get("access-control-request-method")
    if wanted.upper() == "OPTIONS" and acrm:
        names = [n.strip() for n in lookup.get("access-control-request-headers", "").split(",") if n.strip()]
        notes.append(f"a copied preflight: the request it stood for is {acrm} with {', '.join(names) or 'no'}"
                     " unsafe headers (their values are not in a preflight)")
        return Pasted(kind, url, page_origin, acrm, tuple((n, placeholder(n)) for n in names), credentials, None,
                      failed=failed, unknown=("credentials",) if credentials is None else (),
                      notes=tuple(notes), from_preflight=True)
    page_headers = tuple((n, v) for n, v in pairs if not is_browser_added(n, v))
    joined_cookie = "; ".join(cookies) if cookies else None
    if joined_cookie:
        credentials = Credentials.INCLUDE
        notes.append("a Cookie was sent: credentials 'include'")
    unknown = () if credentials is not None else ("credentials",)
    return Pasted(kind, url, page_origin, wanted, page_headers, credentials, None, body=body, cookie=joined_cookie,
                  failed=failed, unknown=unknown + (() if page_origin else ("origin",)), notes=tuple(notes))


def _origin_header(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value if value == "null" else origin_of(value)


def fold_preflights(items: list[Pasted]) -> list[Pasted]:
    """Drop a copied preflight when the request it stood for is in the same paste."""
    kept = []
    for item in items:
        if item.from_preflight and any(
                not other.from_preflight and other.url == item.url and other.method == item.method
                for other in items):
            continue
        kept.append(item)
    return kept
