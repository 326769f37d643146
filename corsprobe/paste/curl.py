"""DevTools "Copy as cURL" (Chrome bash and cmd, Firefox), and hand-written curl commands.

Generators read: Chrome ``front_end/panels/network/NetworkLogView.ts`` ``generateCurlCommand``
(ChromeDevTools/devtools-frontend@fd72c071 and the newest stored ``NetworkLogView.test.ts``:
``-b`` for cookies, no ``--compressed``), Firefox ``devtools/client/shared/curl.js``
(mozilla/gecko-dev@5d47dd55); see ``/work/shared/console-messages.md`` §4.2-4.3. Pure; no I/O.
"""

from __future__ import annotations

import base64
import re

from corsprobe.paste.item import Found, Kind, Pasted, PasteError
from corsprobe.paste.request import rebuild
from corsprobe.paste.shell import ShellSyntaxError, split_commands

_START = re.compile(r"(?m)^\s*(?:\$\s+)?curl(?:\.exe)?\s")
_WITH_VALUE = frozenset({
    "-X", "--request", "-H", "--header", "-b", "--cookie", "-d", "--data", "--data-raw", "--data-binary",
    "--data-ascii", "--data-urlencode", "-u", "--user", "-A", "--user-agent", "-e", "--referer", "--url",
    "-o", "--output", "-x", "--proxy", "-m", "--max-time", "--connect-timeout", "-w", "--write-out",
    "--cacert", "--cert", "--key", "-F", "--form", "--resolve", "--connect-to", "--retry", "-T", "--upload-file",
})
_DATA = frozenset({"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode"})


def looks_like(text: str) -> bool:
    return bool(_START.search(text))


def parse(text: str) -> list[Found]:
    """Every curl command in ``text`` (``Copy all as cURL`` joins them with ' ;' or cmd's '&')."""
    start = _START.search(text)
    if start is None:
        return []
    try:
        commands = split_commands(text[start.start():])
    except ShellSyntaxError as error:
        raise PasteError(f"the curl command cannot be split into words: {error}") from error
    found = []
    for number, words in enumerate(c for c in commands if c and c[0] in ("curl", "curl.exe")):
        found.append(Found(number, _command(words[1:])))
    return found


def _command(words: list[str]) -> Pasted:
    url: str | None = None
    method: str | None = None
    headers: list[tuple[str, str]] = []
    cookies: list[str] = []
    data: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        name, eq, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        if not eq and len(word) > 2 and word[0] == "-" and word[1] != "-" and word[:2] in _WITH_VALUE:
            name, inline, eq = word[:2], word[2:], "="  # -XPUT, -H'…'
        if name in _WITH_VALUE:
            if eq:
                value = inline
            elif i + 1 < len(words):
                value = words[i + 1]
                i += 1
            else:
                raise PasteError(f"curl option {name} needs a value")
            if name in ("-X", "--request"):
                method = value
            elif name in ("-H", "--header"):
                header = _header(value)
                if header is not None:
                    headers.append(header)
            elif name in ("-b", "--cookie"):
                cookies.append(value)
            elif name in _DATA:
                data.append(value.removeprefix("@") if name == "--data-binary" else value)
            elif name in ("-u", "--user"):
                headers.append(("Authorization", "Basic " + base64.b64encode(value.encode()).decode()))
            elif name in ("-A", "--user-agent"):
                headers.append(("User-Agent", value))
            elif name in ("-e", "--referer"):
                headers.append(("Referer", value))
            elif name == "--url":
                url = value
        elif word in ("-I", "--head"):
            method = method or "HEAD"
        elif word.startswith("-") and word != "-":
            pass  # --compressed, --insecure, -i, -s, --globoff: no effect on the request a browser makes
        elif url is None:
            url = word
        i += 1
    if url is None:
        raise PasteError("the curl command names no URL")
    body = "&".join(data) if data else None
    return rebuild(Kind.CURL, url.replace("\\[", "[").replace("\\]", "]").replace("\\{", "{").replace("\\}", "}"),
                   method, headers, body, cookie="; ".join(cookies) if cookies else None)


def _header(value: str) -> tuple[str, str] | None:
    """'Name: value'; curl's 'Name;' is an empty value and 'Name:' removes a default header."""
    name, colon, rest = value.partition(":")
    if colon:
        rest = rest.strip()
        return (name.strip(), rest) if rest else None
    if value.endswith(";"):
        return value[:-1].strip(), ""
    return None
