"""The paste as a whole: which kinds of text it holds, split into messages, noise dropped, and
the pieces about one request put together as a person would.

- a HAR document, cURL commands, fetch() calls and console messages are each recognised;
- Chrome's network line (``POST https://… net::ERR_FAILED``) supplies the method its message lacks;
- Safari's two or three lines about one request are one item (safari.py groups them);
- a copy (cURL/fetch) of the same URL as a console message supplies method, headers, credentials;
- a copied preflight stands for its request, and is dropped when that request is also pasted;
- Firefox's trailing "CORS request did not succeed" after a specific reason is the same failure.

Pure; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import replace

from corsprobe.paste import chrome, curl, fetch, firefox, har, safari
from corsprobe.paste.item import Found, Kind, Pasted, PasteError, lines
from corsprobe.paste.request import fold_preflights
from corsprobe.reasons import Reason

EXPECTED = ("expected a Chrome/Edge, Firefox or Safari console CORS error, a DevTools 'Copy as cURL' or "
            "'Copy as fetch', or a HAR file (--har)")
_PREFIXES = re.compile(r"^(?:\s+|\[(?:Error|Warning|Log|Info)\]\s*|[^\x00-\x7f\u2018\u2019]+\s*|"
                       r"\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s+|VM\d+(?::\d+)*\s+|"
                       r"[\w./-]+\.(?:html?|m?js|jsx|tsx?|vue|svelte|php)(?:\?\S*)?(?::\d+){1,2}\s+)")


def parse(text: str) -> list[Pasted]:
    """Every request the paste is about; PasteError (naming what was expected) if none."""
    if har.looks_like(text):
        items = [found.item for found in har.parse(text)]
    else:
        copies = fold_preflights([f.item for f in (curl.parse(text) if curl.looks_like(text) else [])]
                                 + [f.item for f in (fetch.parse(text) if fetch.looks_like(text) else [])])
        items = _merge(_console(clean(text)), copies)
    if not items:
        raise PasteError(f"no request found in the text: {EXPECTED}")
    return items


def parse_har(text: str) -> list[Pasted]:
    if not har.looks_like(text):
        raise PasteError("not a HAR file: expected a JSON object with log.entries (HAR 1.2)")
    return [found.item for found in har.parse(text)]


def clean(text: str) -> str:
    """Each line without the UI prefixes users copy along (source links, [Error], timestamps, icons)."""
    kept = []
    for line in lines(text):
        previous = None
        while previous != line:
            previous, line = line, _PREFIXES.sub("", line, count=1)
        kept.append(line.rstrip())
    return "\n".join(kept)


def _console(text: str) -> list[Pasted]:
    numbered = lines(text)
    chromes = chrome.parse(text)
    firefoxes = _dedupe_firefox(firefox.parse(text))
    used = {f.line for f in chromes} | {f.line for f in firefoxes}
    network = chrome.network_lines(numbered)
    used |= {number for number, _, _ in network}
    rest = "\n".join("" if number in used else line for number, line in enumerate(numbered))
    found = [_with_network_line(f, network) for f in chromes] + firefoxes + safari.parse(rest)
    found.sort(key=lambda f: f.line)
    items = [f.item for f in found]
    claimed = {(number, url) for f in chromes for number, _, url in network if url == f.item.url}
    for number, method, url in network:
        if (number, url) not in claimed and not any(i.url == url for i in items):
            items.append(Pasted(Kind.CHROME, url, None, method, unknown=("origin", "headers"),
                                notes=("only DevTools' network line: no reason",)))
    return items


def _with_network_line(found: Found, network: list[tuple[int, str, str]]) -> Found:
    item = found.item
    near = [(abs(number - found.line), method, number) for number, method, url in network
            if url == item.url or (not item.url)]
    if not near:
        return found
    _, method, number = min(near)
    url = item.url or next(u for n, _, u in network if n == number)
    if "method" in item.unknown:
        item = replace(item, method=method, unknown=tuple(u for u in item.unknown if u != "method"))
        item = item.with_notes("method from DevTools' network line")
    return Found(found.line, replace(item, url=url))


def _dedupe_firefox(found: list[Found]) -> list[Found]:
    """CORSDidNotSucceed2 right after a specific reason for the same URL is the same failure."""
    specific = {f.item.url for f in found if f.item.browser_reason not in (None, Reason.NETWORK_ERROR)}
    kept, seen = [], set()
    for f in found:
        key = (f.item.url, f.item.browser_reason)
        if (f.item.browser_reason is Reason.NETWORK_ERROR and f.item.url in specific) or key in seen:
            continue
        if f.item.browser_reason is Reason.AUTHORIZATION_COVERED_BY_WILDCARD:
            continue  # a deprecation warning, not a failure
        seen.add(key)
        kept.append(f)
    return kept


def _merge(messages: list[Pasted], copies: list[Pasted]) -> list[Pasted]:
    """A copy of the same URL completes a console message: the request from the copy, the reason
    and (if the copy lacks it) the origin from the message."""
    merged, used = [], set()
    for message in messages:
        copy = next((c for i, c in enumerate(copies) if i not in used and c.url == message.url), None)
        if copy is None:
            merged.append(message)
            continue
        used.add(copies.index(copy))
        merged.append(replace(copy, kind=message.kind, origin=copy.origin or message.origin,
                              credentials=copy.credentials or message.credentials,
                              browser_reason=message.browser_reason, browser_text=message.browser_text,
                              unknown=tuple(u for u in copy.unknown if u != "origin" or not message.origin),
                              notes=(*message.notes, f"request from the pasted {copy.kind}", *copy.notes)))
    return merged + [c for i, c in enumerate(copies) if i not in used]
