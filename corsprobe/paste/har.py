"""HAR 1.2 exports (Chrome's DevTools "Save all as HAR", Firefox's): every cross-origin fetch/XHR
entry becomes an item; preflight entries are folded into the requests they belong to.

Field names: Chrome ``front_end/models/har/Log.ts`` (ChromeDevTools/devtools-frontend@038d808e and
a newer copy with ``sanitize``): ``pages[].title`` is the page URL, ``_resourceType`` is ``fetch``,
``xhr`` or ``preflight``, ``response._error`` the net error, status 0 for a blocked request; see
``/work/shared/console-messages.md`` §5. Pure; no I/O.
"""

from __future__ import annotations

import json
from typing import Any

from corsprobe.browser import origins
from corsprobe.paste.item import Found, Kind, Pasted, PasteError, origin_of
from corsprobe.paste.request import fold_preflights, rebuild

API_TYPES = frozenset({"fetch", "xhr", "preflight"})


def looks_like(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("{") and '"log"' in head


def parse(text: str) -> list[Found]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PasteError(f"not a HAR file: invalid JSON at line {error.lineno} ({error.msg})") from error
    log = document.get("log") if isinstance(document, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("entries"), list):
        raise PasteError("not a HAR file: expected a JSON object with log.entries (HAR 1.2)")
    pages = {p.get("id"): p.get("title") for p in log.get("pages") or [] if isinstance(p, dict)}
    items: list[tuple[int, Pasted]] = []
    for index, entry in enumerate(log["entries"]):
        if not isinstance(entry, dict):
            continue
        item = _entry(entry, pages)
        if item is not None:
            items.append((index, item))
    kept = fold_preflights([item for _, item in items])
    return [Found(index, item) for index, item in items if any(item is k for k in kept)]


def _entry(entry: dict[str, Any], pages: dict[Any, Any]) -> Pasted | None:
    request = entry.get("request") or {}
    response = entry.get("response") or {}
    url = request.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    resource_type = entry.get("_resourceType")
    headers = [(str(h.get("name", "")), str(h.get("value", ""))) for h in request.get("headers") or []
               if isinstance(h, dict)]
    if resource_type is None and not any(n.lower() == "origin" for n, _ in headers):
        return None  # a HAR without Chrome's _resourceType: only requests that carried an Origin
    if resource_type is not None and resource_type not in API_TYPES:
        return None
    page = pages.get(entry.get("pageref"))
    page_origin = origin_of(page) if isinstance(page, str) else None
    cookies = [f"{c.get('name')}={c.get('value')}" for c in request.get("cookies") or [] if isinstance(c, dict)]
    has_cookie_header = any(n.lower() == "cookie" for n, _ in headers)
    post = request.get("postData") or {}
    body = post.get("text") if isinstance(post, dict) and isinstance(post.get("text"), str) else None
    status = response.get("status")
    error = response.get("_error")
    failed = bool(error) or not isinstance(status, int) or status == 0
    item = rebuild(Kind.HAR, url, str(request.get("method") or "GET"), headers, body,
                   cookie=None if has_cookie_header or not cookies else "; ".join(cookies),
                   origin=page_origin, failed=failed)
    if item.origin is None or (item.origin != "null" and origins.same_origin(item.origin, url)):
        return None if item.origin is not None else item
    notes = [f"browser: {'failed (' + str(error or 'status 0') + ')' if failed else f'status {status}'}"]
    if resource_type == "preflight" or item.from_preflight:
        notes.append("a preflight entry without the request it belongs to")
    return item.with_notes(*notes)
