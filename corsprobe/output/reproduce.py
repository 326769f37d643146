"""Reproduce a row by hand: one curl command per request corsprobe sent (the preflight exactly as
sent, then the actual request and each redirect hop), and a ``fetch()`` call to paste into the
DevTools console of a page on the probe's origin. Secret values masked when a Masker is given.

Pure; no I/O. ``corsprobe explain`` reads both forms back (tests/paste round-trip them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import partial

from corsprobe.model import Credentials, Exchange, HttpRequest, Probe, Result
from corsprobe.output.secrets import Masker

_GLOB = frozenset("[]{}")


@dataclass(frozen=True, slots=True)
class Reproduction:
    """What to type to repeat a row: curl commands in order, and the page-side fetch()."""

    curl: tuple[str, ...]
    fetch: str

    def as_dict(self) -> dict[str, object]:
        return {"curl": list(self.curl), "fetch": self.fetch}


def reproduce(result: Result, masker: Masker | None = None) -> Reproduction:
    if masker is None:
        return Reproduction(tuple(curl_command(e.request) for e in result.exchanges if _sent(e)),
                            fetch_call(result.probe))
    # A run sends the same requests row after row: each command is written once per masker.
    return Reproduction(tuple(masker.remembered(("curl", e.request), partial(curl_command, e.request, masker))
                              for e in result.exchanges if _sent(e)),
                        masker.remembered(("fetch", replace(result.probe, name="")),
                                          partial(fetch_call, result.probe, masker)))


def _sent(exchange: Exchange) -> bool:
    return exchange.response is not None or exchange.error is not None


def quote(text: str) -> str:
    """POSIX shell single quotes."""
    return "'" + text.replace("'", "'\\''") + "'"


def curl_command(request: HttpRequest, masker: Masker | None = None) -> str:
    """curl sending this request line and these header lines (curl adds only Host, and keeps
    its own User-Agent/Accept out because every request here names both)."""
    words = ["curl", "-i"]
    if request.method == "HEAD":
        words.append("--head")
    else:
        words += ["-X", quote(request.method)]
    if _GLOB & set(request.url):
        words.append("--globoff")
    words.append(quote(request.url))
    for name, value in request.headers:
        shown = masker.header(name, value) if masker is not None else value
        words += ["-H", quote(f"{name}: {shown}" if shown else f"{name};")]
    if request.body is not None:
        body = request.body.decode("utf-8", errors="replace")
        words += ["--data-raw", quote(masker.text(body) if masker is not None else body)]
    return " ".join(words)


def fetch_call(probe: Probe, masker: Masker | None = None) -> str:
    """The page's fetch(), as in DevTools' "Copy as fetch" (cookies come from the page's jar)."""
    headers = [(n, masker.header(n, v) if masker is not None else v) for n, v in probe.headers]
    options: dict[str, object] = {"method": probe.method}
    if headers:
        names = [n.lower() for n, _ in headers]
        options["headers"] = dict(headers) if len(set(names)) == len(names) else [list(h) for h in headers]
    if probe.body is not None:
        options["body"] = masker.text(probe.body) if masker is not None else probe.body
    if probe.origin != "null":
        options["referrer"] = probe.origin + "/"
    options["mode"] = "cors"
    options["credentials"] = "include" if probe.credentials is Credentials.INCLUDE else "omit"
    return (f"fetch({json.dumps(probe.url)}, {json.dumps(options)})"
            ".then(r => console.log(r.status, [...r.headers]), e => console.error(e))")
