"""Loopback servers for the differential suite: the scripted API (two origins), the page
server (another origin) and what they saw.

Every server is a RawServer; requests under /c/<id>/<pass>/<hop> are answered from the case's
script, so each case and each pass has its own URLs. Each browser pass has its own page
(/page/<pass>) and report (/report/<pass>). Test-only; does socket I/O.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

from corsprobe.browser import spec
from tests.browser.grammar import Case, Reply, parse_path, path, render
from tests.support.rawserver import RawServer, Received, response

PAGE_PATH = "/page/"
REPORT_PATH = "/report/"


@dataclass(frozen=True)
class Seen:
    """One request a server received for a case, reduced to what the suite compares."""

    hop: int
    server: str
    method: str
    origin: str | None
    acrm: str | None
    acrh: str | None
    authored: tuple[tuple[str, str], ...]
    body: int


class Servers:
    """``with Servers(cases) as servers:``: api, api2 and page RawServers on 127.0.0.1."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self.cases = {case.id: case for case in cases}
        self.api = RawServer(self._answer)
        self.api2 = RawServer(self._answer)
        self.page = RawServer(self._answer_page)
        self.pages: dict[str, bytes] = {}
        self.reports: dict[str, dict[str, object]] = {}
        self.reported: dict[str, threading.Event] = {}
        # Framework servers: name -> (origin, what they received).
        self.external: dict[str, tuple[str, list[Received]]] = {}
        # (case id, pass) -> [(server, hop, request)], built incrementally from the logs: every
        # browser's passes share these servers, so scanning all logs per case would be quadratic.
        self._index: dict[tuple[str, str], list[tuple[str, int, Received]]] = {}
        self._indexed: dict[str, int] = {}

    @property
    def page_origin(self) -> str:
        # The page is served as "localhost" so it is cross-origin to every 127.0.0.1 server.
        return f"http://localhost:{self.page.port}"

    def origin_of(self, server: str) -> str:
        if server in self.external:
            return self.external[server][0]
        return {"api": self.api.origin, "api2": self.api2.origin, "page": self.page_origin}[server]

    def logs(self) -> list[tuple[str, list[Received]]]:
        own = [("api", self.api.log), ("api2", self.api2.log), ("page", self.page.log)]
        return own + [(name, log) for name, (_, log) in self.external.items()]

    def url(self, case: Case, pass_name: str) -> str:
        return self.origin_of(case.start) + path(case.id, pass_name, 0)

    @staticmethod
    def report_path(pass_name: str) -> str:
        return REPORT_PATH + pass_name

    def serve_page(self, pass_name: str, html: bytes) -> tuple[str, threading.Event]:
        """Publish one browser pass's page: (its URL, an event set once it has reported)."""
        self.pages[pass_name] = html
        self.reported[pass_name] = threading.Event()
        return self.page_origin + PAGE_PATH + pass_name, self.reported[pass_name]

    def __enter__(self) -> Servers:
        for server in (self.api, self.api2, self.page):
            server.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        for server in (self.api, self.api2, self.page):
            server.__exit__(kind, error, trace)

    def seen(self, case: Case, pass_name: str) -> list[Seen]:
        """Every request of one case and pass, in chain order (hop, then arrival)."""
        self._update_index()
        found = [reduce(received, name, hop, case) for name, hop, received in self._index.get((case.id, pass_name), [])]
        return sorted(found, key=lambda seen: seen.hop)

    def _update_index(self) -> None:
        for name, log in self.logs():
            entries = list(log)
            for received in entries[self._indexed.get(name, 0):]:
                parsed = parse_path(received.target)
                if parsed:
                    self._index.setdefault((parsed[0], parsed[1]), []).append((name, parsed[2], received))
            self._indexed[name] = len(entries)

    def _context(self, received: Received, case_id: str, pass_name: str, hop: int) -> dict[str, str]:
        return {
            "origin": self.page_origin,
            "echo": received.header("origin") or "",
            "acrm": received.header("access-control-request-method") or "",
            "acrh": received.header("access-control-request-headers") or "",
            "api": self.api.origin, "api2": self.api2.origin, "page": self.page_origin,
            "api_port": str(self.api.port), "api2_port": str(self.api2.port),
            "page_port": str(self.page.port),
            "next": path(case_id, pass_name, hop + 1),
        }

    def _answer(self, received: Received) -> bytes:
        parsed = parse_path(received.target)
        case = self.cases.get(parsed[0]) if parsed else None
        if parsed is None or case is None or parsed[2] >= len(case.hops):
            return response(404, (), b"no such case")
        case_id, pass_name, hop = parsed
        script = case.hops[hop]
        reply: Reply = script.preflight if received.method == "OPTIONS" else script.actual
        if reply.raw is not None:
            return reply.raw
        headers = render(reply.headers, self._context(received, case_id, pass_name, hop))
        if received.method == "OPTIONS" and not any(
            name.lower() == "access-control-max-age" for name, _ in headers
        ):
            headers += (("Access-Control-Max-Age", "0"),)
        return response(reply.status, headers, b"" if received.method == "HEAD" else reply.body)

    def _answer_page(self, received: Received) -> bytes:
        if received.path.startswith("/c/"):
            return self._answer(received)
        if received.path.startswith(PAGE_PATH) and received.path[len(PAGE_PATH):] in self.pages:
            return response(200, (("Content-Type", "text/html; charset=utf-8"),
                                  ("Cache-Control", "no-store")), self.pages[received.path[len(PAGE_PATH):]])
        pass_name = received.path[len(REPORT_PATH):]
        if received.method == "POST" and received.path.startswith(REPORT_PATH) and pass_name in self.reported:
            self.reports[pass_name] = json.loads(received.body)
            self.reported[pass_name].set()
            return response(204)
        return response(404)


def reduce(received: Received, server: str, hop: int, case: Case) -> Seen:
    """Keep the CORS-relevant parts of a received request."""
    preflight = received.method == "OPTIONS" and received.header("access-control-request-method")
    authored_names = {
        name.lower() for name, value in case.request.headers
        if not spec.is_forbidden_request_header(name, value)
    } | {"content-type"}
    authored = () if preflight else tuple(sorted(
        (name.lower(), value) for name, value in received.headers if name.lower() in authored_names
    ))
    return Seen(
        hop=hop, server=server, method=received.method,
        origin=received.header("origin"),
        acrm=received.header("access-control-request-method"),
        acrh=received.header("access-control-request-headers"),
        authored=authored, body=len(received.body),
    )
