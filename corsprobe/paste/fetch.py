"""DevTools "Copy as fetch" / "Copy as Node.js fetch" (Chrome), "Copy as Fetch" (Firefox), and
hand-written ``fetch(url, {...})`` calls.

Generators read: Chrome ``front_end/panels/network/NetworkLogView.ts`` ``generateFetchCall``
(ChromeDevTools/devtools-frontend@fd72c071) and ``FetchHeaderCommenting.ts`` (@65b0ed40, 2026:
forbidden headers commented out), Firefox ``RequestListContextMenu.js`` ``generateFetchString``
(mozilla/gecko-dev); see ``/work/shared/console-messages.md`` §4.1, §4.3. Pure; no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from corsprobe.model import Credentials
from corsprobe.paste.item import Found, Kind, Pasted, PasteError
from corsprobe.paste.jsobject import JsSyntaxError, object_end, read_object, string_literal
from corsprobe.paste.request import rebuild

_CALL = re.compile(r"\bfetch\s*\(\s*")


def looks_like(text: str) -> bool:
    return bool(_CALL.search(text)) and bool(re.search(r"\bfetch\s*\(\s*['\"`]", text))


def parse(text: str) -> list[Found]:
    found = []
    for number, match in enumerate(_CALL.finditer(text)):
        i = match.end()
        if i >= len(text) or text[i] not in "'\"`":
            continue
        try:
            url, i = string_literal(text, i)
            options: dict[str, Any] = {}
            commented: list[tuple[str, str]] = []
            rest = text[i:].lstrip()
            if rest.startswith(","):
                start = text.index(",", i) + 1
                while start < len(text) and text[start].isspace():
                    start += 1
                if start < len(text) and text[start] == "{":
                    options, commented = read_object(text[start:object_end(text, start)])
        except JsSyntaxError as error:
            raise PasteError(f"the fetch() call cannot be read: {error}") from error
        found.append(Found(number, _item(url, options, commented)))
    return found


def _item(url: str, options: dict[str, Any], commented: list[tuple[str, str]]) -> Pasted:
    raw = options.get("headers") or {}
    if isinstance(raw, list):
        headers = [(str(pair[0]), str(pair[1])) for pair in raw if isinstance(pair, list) and len(pair) == 2]
    elif isinstance(raw, dict):
        headers = [(str(k), str(v)) for k, v in raw.items()]
    else:
        raise PasteError("fetch() headers must be an object or a list of pairs")
    headers += commented
    if isinstance(options.get("referrer"), str) and not any(n.lower() == "referer" for n, _ in headers):
        headers.append(("Referer", options["referrer"]))
    mode = options.get("credentials")
    credentials = {"include": Credentials.INCLUDE, "omit": Credentials.OMIT,
                   "same-origin": Credentials.OMIT}.get(mode) if isinstance(mode, str) else None
    body = options.get("body")
    method = options.get("method")
    item = rebuild(Kind.FETCH, url, str(method) if method else "GET", headers,
                   body if isinstance(body, str) else None, credentials=credentials)
    notes = []
    if any(n.lower() == "origin" for n, _ in commented):
        notes.append("page origin from the commented-out 'origin' header")
    if mode == "same-origin":
        notes.append("credentials 'same-origin' sends no cookies cross-origin: probed as 'omit'")
    return item.with_notes(*notes)
