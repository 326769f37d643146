"""The audit lab: a raw asyncio HTTP/1.1 server on 127.0.0.1 (ephemeral port) whose paths each carry one
hand-rolled CORS policy — the classic mistakes and correct ones. Every request is logged (method and header
lines as received) so tests can prove an audit sends only safe methods and never cookies or Authorization.
Test-only; one background thread with its own event loop; bounded start and stop.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

APP = "https://app.example.com"
ADMIN = "https://admin.example.com"
ALLOW_LIST = (APP, ADMIN)
ALLOW_STRING = f"{APP},{ADMIN}"
START_TIMEOUT = 10.0
READ_TIMEOUT = 5.0


@dataclass(frozen=True)
class Policy:
    """One path's CORS behaviour: which origins it names, and how it answers."""

    allows: Callable[[str], bool] | None  # None: no CORS headers at all
    credentials: bool = True
    vary: bool = True
    wildcard: bool = False  # answer '*' (with Allow-Credentials when ``credentials``)
    static: str | None = None  # always answer this one origin
    echo_method: bool = False
    echo_headers: bool = False
    methods: str = "GET, POST"
    headers: str = "Content-Type"


def _exact(*allowed: str) -> Callable[[str], bool]:
    return lambda origin: origin in allowed


def _regex(pattern: str, full: bool = True) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda origin: bool(compiled.fullmatch(origin) if full else compiled.match(origin))


def _same_host(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme == "https" and parts.hostname == "app.example.com"


#: Vulnerable policies, named for the mistake, and the finding each must produce.
VULNERABLE: dict[str, tuple[Policy, str, str]] = {
    "/endswith": (Policy(lambda o: o.endswith("example.com")), "suffix_match", "critical"),
    "/startswith": (Policy(lambda o: o.startswith(APP)), "prefix_match", "critical"),
    "/contains": (Policy(lambda o: "app.example.com" in o), "substring_contains", "critical"),
    "/indexof": (Policy(lambda o: ALLOW_STRING.find(o) != -1), "substring_of_allowlist", "critical"),
    "/dot-regex": (Policy(_regex(r"https://app.example.com")), "unescaped_dot", "critical"),
    "/subdomain-regex": (Policy(_regex(r"https://([a-z0-9-]+\.)*example\.com")), "any_subdomain_trusted", "high"),
    "/null": (Policy(_exact(APP, "null")), "null_origin_trusted", "critical"),
    "/http-twin": (Policy(_exact(APP, "http://app.example.com")), "http_origin_trusted", "high"),
    "/localhost": (Policy(lambda o: o == APP or bool(re.fullmatch(r"http://(localhost|127\.0\.0\.1)(:\d+)?", o))),
                   "localhost_trusted", "medium"),
    "/wildcard-credentials": (Policy(None, wildcard=True), "wildcard_credentials_invalid", "info"),
    "/reflect": (Policy(lambda o: True), "reflect_any_origin", "critical"),
    "/reflect-public": (Policy(lambda o: True, credentials=False), "reflect_any_origin", "low"),
    "/echo-method": (Policy(_exact(*ALLOW_LIST), echo_method=True), "acam_reflected", "low"),
    "/echo-headers": (Policy(_exact(*ALLOW_LIST), echo_headers=True), "acah_reflected", "low"),
    "/no-vary": (Policy(_exact(*ALLOW_LIST), vary=False), "missing_vary_origin", "low"),
    "/special-chars": (Policy(_regex(r"https://app\.example\.com(?![\w.:-])", full=False)),
                       "special_char_bypass", "high"),
    "/port": (Policy(_same_host), "port_not_validated", "medium"),
    "/third-party": (Policy(lambda o: o in ALLOW_LIST or bool(re.fullmatch(r"https://[a-z0-9-]+\.github\.io", o))),
                     "third_party_trusted", "critical"),
    "/extra-methods": (Policy(_exact(*ALLOW_LIST), methods="GET, POST, PUT, DELETE"), "methods_beyond_app", "info"),
}

#: Correct policies: an audit finds nothing above info here.
CORRECT: dict[str, Policy] = {
    "/exact": Policy(_exact(*ALLOW_LIST)),
    "/static": Policy(lambda o: True, static=APP, vary=False),
    "/public": Policy(None, wildcard=True, credentials=False),
    "/no-cors": Policy(None),
    "/strict-regex": Policy(_regex(r"https://(app|admin)\.example\.com")),
}


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]


@dataclass
class Lab:
    """``with Lab() as lab:``; ``lab.url('/endswith')``; ``lab.log`` holds every request received."""

    policies: dict[str, Policy] = field(default_factory=lambda: {
        **{path: entry[0] for path, entry in VULNERABLE.items()}, **CORRECT})
    log: list[Logged] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Lab:
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True, name="audit-lab")
        self._thread.start()
        if not ready.wait(START_TIMEOUT):
            raise RuntimeError("the audit lab did not start in time")
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=START_TIMEOUT)

    def _serve(self, ready: threading.Event) -> None:
        async def main() -> None:
            self._stop = asyncio.Event()
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                await self._stop.wait()

        self._loop.run_until_complete(main())
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
                lines = head.decode("latin-1").split("\r\n")
                method, target = lines[0].split(" ")[:2]
                headers = tuple((n.strip(), v.strip()) for n, _, v in (x.partition(":") for x in lines[1:] if x))
                path = target.split("?")[0]
                self.log.append(Logged(method, path, headers))
                writer.write(self._answer(method, path, dict((n.lower(), v) for n, v in headers)))
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, path: str, headers: dict[str, str]) -> bytes:
        policy = self.policies.get(path)
        if policy is None:
            return _response(404, [], b"not found")
        if method not in ("GET", "HEAD", "OPTIONS"):
            return _response(405, [], b"")
        origin = headers.get("origin")
        cors: list[tuple[str, str]] = []
        if policy.wildcard:
            cors.append(("Access-Control-Allow-Origin", "*"))
        elif policy.static is not None:
            cors.append(("Access-Control-Allow-Origin", policy.static))
        elif origin is not None and policy.allows is not None and policy.allows(origin):
            cors.append(("Access-Control-Allow-Origin", origin))
        if cors and policy.credentials:
            cors.append(("Access-Control-Allow-Credentials", "true"))
        if policy.vary and policy.allows is not None and policy.static is None:
            cors.append(("Vary", "Origin"))
        if method == "OPTIONS" and "access-control-request-method" in headers:
            if cors:
                requested = headers["access-control-request-method"]
                cors.append(("Access-Control-Allow-Methods", requested if policy.echo_method else policy.methods))
                asked = headers.get("access-control-request-headers")
                cors.append(("Access-Control-Allow-Headers",
                             asked if policy.echo_headers and asked else policy.headers))
            return _response(204, cors, b"")
        body = b"" if method == "HEAD" else json.dumps({"secret": "account data"}).encode()
        return _response(200, [("Content-Type", "application/json"), *cors], body)


def _response(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *(f"{n}: {v}" for n, v in headers), f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
