"""The vocabulary of the differential suite: a client request, a scripted server, a case.

A case's server script is a list of hops; hop ``i`` is served at ``/c/<id>/<pass>/<i>`` on
whichever origin the previous Location pointed to. Header values are templates rendered per
received request (see ``render``). Pure data; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Lines = tuple[tuple[str, str], ...]

# A header value starting with "?" is omitted when it renders to the empty string.
OPTIONAL = "?"
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Request:
    """What the page's script passes to fetch()."""

    method: str = "GET"
    headers: Lines = ()
    body: str | None = None
    credentials: str = "omit"

    def with_credentials(self) -> Request:
        return Request(self.method, self.headers, self.body, "include")


@dataclass(frozen=True)
class Reply:
    """One scripted response: status and exact header lines (templates)."""

    status: int = 200
    headers: Lines = ()
    body: bytes = b"ok"
    raw: bytes | None = None  # sent verbatim instead (malformed answers)


@dataclass(frozen=True)
class Hop:
    """How the server answers a preflight and an actual request at one URL of the chain."""

    preflight: Reply = field(default_factory=lambda: Reply(404, (), b""))
    actual: Reply = field(default_factory=lambda: Reply(404, (), b""))


@dataclass(frozen=True)
class Case:
    """One fetch() against one scripted server; ``start`` names the origin of the first URL."""

    group: str
    name: str
    request: Request
    hops: tuple[Hop, ...] = ()
    start: str = "api"  # "api", "api2", "page", or a framework server's name

    @property
    def id(self) -> str:
        return f"{self.group}-{self.name}"


def path(case_id: str, pass_name: str, hop: int) -> str:
    return f"/c/{case_id}/{pass_name}/{hop}"


def parse_path(target: str) -> tuple[str, str, int] | None:
    """(case id, pass, hop) of a /c/... request target, or None."""
    match = re.match(r"^/c/([a-z0-9.\-]+)/(\w+)/([0-9]+)(?:[?#].*)?$", target)
    if not match:
        return None
    return match.group(1), match.group(2), int(match.group(3))


def render(lines: Lines, context: dict[str, str]) -> Lines:
    """Fill ``{name}`` fields from ``context``; drop optional lines that render empty."""
    out: list[tuple[str, str]] = []
    for name, template in lines:
        optional = template.startswith(OPTIONAL)
        value = _FIELD.sub(lambda m: context[m.group(1)], template[1:] if optional else template)
        if optional and not value:
            continue
        out.append((name, value))
    return tuple(out)
