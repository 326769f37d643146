"""Servers for the secure-context suite: the page over https on ``app.test``, one http and one
https API listener on 127.0.0.1 (a second http one on 127.0.0.2), each reached by several
host names.

The browsers map ``*.test`` to 127.0.0.1 (Chromium ``--host-resolver-rules``, Firefox
``network.dns.localDomains``); corsprobe's runner gets the same mapping (``mapped_client``),
so both sides send the same URLs, Host headers and Origins. Test-only; does socket I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

import httpcore
import httpx

from corsprobe.runner import ClientOptions, make_client
from corsprobe.wire.pools import network_backend
from tests.browser.grammar import Case, parse_path
from tests.browser.servers import Servers
from tests.browser.tls import Tls
from tests.support.rawserver import RawServer, Received
from tests.support.servers import TlsRawServer

PAGE_HOST = "app.test"
API_HOST = "api.test"
# Names that only the mapping (not the system resolver) sends to loopback.
MAPPED_SUFFIXES = (".test", ".localhost")


@dataclass(frozen=True)
class Wire:
    """One request as a server saw it, beyond grammar.Seen: the host name and Sec-Fetch-Site."""

    hop: int
    server: str
    method: str
    host: str | None
    site: str | None


class SecureServers(Servers):
    """``with SecureServers(cases, tls) as servers:``. ``case.start`` names one of ``starts``.

    The page is served over https unless ``page_scheme`` is "http" (the insecure-* cases).
    """

    def __init__(self, cases: Iterable[Case], tls: Tls, page_scheme: str = "https") -> None:
        super().__init__(cases)
        self.page_scheme = page_scheme
        # The base class's second API is not used here; its page server only for an http page.
        unused = [self.api2] if page_scheme == "http" else [self.api2, self.page]
        for server in unused:
            server._server.server_close()
        if page_scheme == "https":
            self.page = TlsRawServer(self._answer_page, tls.server_context)
        self.tls = TlsRawServer(self._answer, tls.server_context)
        self.ip2 = RawServer(self._answer, host="127.0.0.2")

    @property
    def page_origin(self) -> str:
        return f"{self.page_scheme}://{PAGE_HOST}:{self.page.port}"

    @property
    def starts(self) -> dict[str, str]:
        """Origin of every way a case can address a server (key: case.start)."""
        http, https = self.api.port, self.tls.port
        return {
            "http-name": f"http://{API_HOST}:{http}", "http-apphost": f"http://{PAGE_HOST}:{http}",
            "http-ip": f"http://127.0.0.1:{http}", "http-ip2": f"http://127.0.0.2:{self.ip2.port}",
            "http-localhost": f"http://localhost:{http}", "http-sublocal": f"http://api.localhost:{http}",
            "http-localhost-dot": f"http://localhost.:{http}",
            "https-name": f"https://{API_HOST}:{https}", "https-apphost": f"https://{PAGE_HOST}:{https}",
            "https-ip": f"https://127.0.0.1:{https}", "https-localhost": f"https://localhost:{https}",
            "page": self.page_origin,
        }

    def origin_of(self, server: str) -> str:
        return self.starts[server]

    def logs(self) -> list[tuple[str, list[Received]]]:
        return [("http", self.api.log), ("http2", self.ip2.log), ("https", self.tls.log),
                ("page", self.page.log)]

    def wire(self, case: Case, pass_name: str) -> list[Wire]:
        """Host and Sec-Fetch-Site of every request of one case and pass, in chain order."""
        found: list[Wire] = []
        for name, log in self.logs():
            for received in list(log):
                parsed = parse_path(received.target)
                if parsed and parsed[0] == case.id and parsed[1] == pass_name:
                    found.append(Wire(parsed[2], name, received.method.upper(), received.header("host"),
                                      received.header("sec-fetch-site")))
        return sorted(found, key=lambda wire: wire.hop)

    def _context(self, received: Received, case_id: str, pass_name: str, hop: int) -> dict[str, str]:
        context = super()._context(received, case_id, pass_name, hop)
        context.update({name.replace("-", "_"): origin for name, origin in self.starts.items()})
        context["http_origin"] = f"http://{PAGE_HOST}:{self.page.port}"
        context["https_port"] = str(self.tls.port)
        return context

    def __enter__(self) -> SecureServers:
        for server in (self.api, self.ip2, self.tls, self.page):
            server.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        for server in (self.api, self.ip2, self.tls, self.page):
            server.__exit__(kind, error, trace)


class _MappedBackend(httpcore.AsyncNetworkBackend):
    """Connects ``*.test`` and ``*.localhost`` to 127.0.0.1, as the browsers are told to;
    every other name goes to the system resolver. TLS still uses the name (SNI, certificate)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        name = host.lower().rstrip(".")
        if name.endswith(MAPPED_SUFFIXES) or host.lower() == "localhost.":
            host = "127.0.0.1"
        return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def mapped_client(tls: Tls) -> httpx.AsyncClient:
    """The runner's own client (make_client, CA trusted as with --cacert) with the browsers'
    name mapping swapped in below httpx; nothing else about it changes."""
    return make_client(ClientOptions(timeout=15.0, cacert=str(tls.ca_file)),
                       network_backend=_MappedBackend(network_backend()))
