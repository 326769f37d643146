"""The imperative shell of ``corsprobe.openapi``: reads a description from a file or fetches it from a URL.

Only safe GETs, at most one per discovery location, redirects followed by hand (bounded), bodies read
up to ``document.MAX_BYTES``. Given a base URL (a path ending in ``/``), it tries the usual locations
and reports which one answered. Nothing a description points at is ever fetched.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from corsprobe.errors import ScenarioError
from corsprobe.openapi.document import MAX_BYTES
from corsprobe.runner import ClientOptions

if TYPE_CHECKING:
    import httpx

DISCOVERY = ("openapi.json", "docs/openapi.json", "swagger.json", "v3/api-docs", "openapi.yaml")
MAX_REDIRECTS = 5
ACCEPT = "application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.1"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A description's bytes and where they came from."""

    data: bytes
    source: str
    url: str | None = None
    media_type: str | None = None
    discovered: bool = False
    tried: tuple[str, ...] = ()


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def read(location: str, options: ClientOptions) -> Fetched:
    """The description at ``location`` (a file path, a description URL, or a base URL ending in '/')."""
    if not is_url(location):
        return _read_file(location)
    return asyncio.run(_fetch(location, options))


def _read_file(location: str) -> Fetched:
    path = Path(location)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(location, None, f"the API description is {size:,} bytes; corsprobe reads at most "
                                f"{MAX_BYTES:,}")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ScenarioError(location, None, f"cannot read the API description: {error.strerror or error}") from None
    media = "application/yaml" if path.suffix.lower() in (".yaml", ".yml") else None
    return Fetched(data, location, media_type=media)


async def _fetch(location: str, options: ClientOptions) -> Fetched:
    from corsprobe.runner import make_client

    async with make_client(options) as client:
        if urlsplit(location).path not in ("", "/") and not location.endswith("/"):
            status, data, media, final = await _get(client, location)
            if status != 200:
                raise ScenarioError(location, None, f"GET answered {status}; pass the description's URL, a file, or "
                                    "the API's base URL ending in '/' to try the usual locations")
            return Fetched(data, location, final, media)
        base = location if location.endswith("/") else location + "/"
        tried = []
        for candidate in DISCOVERY:
            url = urljoin(base, candidate)
            status, data, media, final = await _get(client, url)
            tried.append(f"{url} ({status or 'no answer'})")
            if status == 200 and _looks_like_description(data):
                return Fetched(data, url, final, media, discovered=True, tried=tuple(tried))
    raise ScenarioError(location, None, "no API description found; tried " + ", ".join(tried)
                        + "; pass the description's URL or file")


def _looks_like_description(data: bytes) -> bool:
    head = data[:4096]
    return any(marker in head for marker in (b'"openapi"', b'"swagger"', b"openapi:", b"swagger:"))


async def _get(client: httpx.AsyncClient, url: str) -> tuple[int, bytes, str | None, str]:
    import httpx

    for _hop in range(MAX_REDIRECTS + 1):
        try:
            async with client.stream("GET", url, headers={"Accept": ACCEPT}) as response:
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    following = urljoin(url, response.headers["location"])
                    if not is_url(following):
                        raise ScenarioError(url, None, f"redirect to {following!r} is not http(s)")
                    url = following
                    continue
                if response.status_code != 200:
                    return response.status_code, b"", None, url
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > MAX_BYTES:
                        raise ScenarioError(url, None, f"the API description is larger than {MAX_BYTES:,} bytes; "
                                            "corsprobe reads at most that")
                media = response.headers.get("content-type", "").split(";")[0].strip() or None
                return 200, bytes(data), media, url
        except httpx.HTTPError as error:
            detail = str(error) or type(error).__name__
            raise ScenarioError(url, None, f"cannot fetch the API description: {detail}") from None
    raise ScenarioError(url, None, f"more than {MAX_REDIRECTS} redirects while fetching the API description")
