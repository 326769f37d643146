"""The run's transport (corsprobe.wire.pools / workerpool / backend) against real loopback servers:
each worker really has its own pool and keeps one connection per host alive, the shared pool's limit
holds, an idle connection the server closed is not reused, and proxies (--proxy and the environment's)
are still used. The server records which client port (connection) carried each request.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpcore
import httpx
import pytest

from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Job, Probe, Verdict
from corsprobe.runner import ClientOptions, RunPolicy, make_client, run_jobs
from corsprobe.wire.pools import WorkerPools
from corsprobe.wire.workerpool import WorkerPool

pytestmark = pytest.mark.anyio

ORIGIN = "http://localhost:8080"
CORS = (b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-token\r\n"
        b"Access-Control-Allow-Methods: GET\r\n")


@dataclass
class Server:
    """A keep-alive HTTP/1.1 server: 204 to OPTIONS, 200 'ok' else, after ``delay`` seconds; it logs
    (client port, request line) and counts connections open at once. ``close_after``: requests per
    connection before the server closes it (0: never)."""

    delay: float = 0.0
    close_after: int = 0
    seen: list[tuple[int, str]] = field(default_factory=list)
    open_now: int = 0
    most_open: int = 0
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        client_port = writer.get_extra_info("peername")[1]
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.seen.append((client_port, head.split(b"\r\n", 1)[0].decode()))
                if self.delay:
                    await asyncio.sleep(self.delay)
                preflight = head.startswith(b"OPTIONS")
                body = b"" if preflight else b"ok"
                status = b"204 No Content" if preflight else b"200 OK"
                writer.write(b"HTTP/1.1 " + status + b"\r\n" + CORS + b"Content-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
                served += 1
                if self.close_after and served >= self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()

    @property
    def connections(self) -> set[int]:
        return {port for port, _ in self.seen}


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    found = Server()
    listening = await asyncio.start_server(found.handle, "127.0.0.1", 0)
    found.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield found


def jobs(url: str, rows: int) -> list[Job]:
    return [Job(Probe(url, ORIGIN, headers=(("X-Token", "1"),))) for _ in range(rows)]


async def run(client: httpx.AsyncClient, url: str, rows: int, concurrency: int) -> None:
    results = await run_jobs(client, jobs(url, rows), RunPolicy(CHROMIUM, concurrency=concurrency))
    assert [r.outcome.verdict for r in results] == [Verdict.ALLOWED] * rows, results[0].outcome


async def test_each_worker_has_its_own_pool_and_one_connection(server: Server) -> None:
    server.delay = 0.005  # so every worker is busy at once
    async with make_client(ClientOptions()) as client:
        await run(client, f"http://127.0.0.1:{server.port}/r", 24, 4)
        transport = client._transport
        assert isinstance(transport, WorkerPools)
        assert sorted(k for k in transport.pools if k is not None) == [0, 1, 2, 3]
        assert None not in transport.pools  # the shared pool was never needed
        assert all(isinstance(p, WorkerPool) and p.count == 1 for p in transport.pools.values())
        for pool in transport.pools.values():  # asyncio locks (an uncontended acquire does not yield)
            assert isinstance(pool, WorkerPool)
            (connection,) = [c for found in pool.connections.values() for c in found]
            assert isinstance(connection._request_lock, asyncio.Lock)
            assert isinstance(connection._connection._state_lock, asyncio.Lock)  # type: ignore[attr-defined]
    assert len(server.seen) == 48
    assert len(server.connections) == 4  # one kept-alive connection per worker, reused for every row


async def test_one_worker_reuses_one_connection_per_host(server: Server) -> None:
    other = Server()
    listening = await asyncio.start_server(other.handle, "127.0.0.1", 0)
    async with listening, make_client(ClientOptions()) as client:
        port = listening.sockets[0].getsockname()[1]
        for _ in range(3):
            await run(client, f"http://127.0.0.1:{server.port}/r", 2, 1)
            await run(client, f"http://127.0.0.1:{port}/r", 2, 1)
    assert (len(server.seen), len(server.connections)) == (12, 1)
    assert (len(other.seen), len(other.connections)) == (12, 1)


async def test_the_shared_pool_honours_its_limit(server: Server) -> None:
    server.delay = 0.05
    async with make_client(ClientOptions(max_connections=2)) as client:  # used outside any worker
        answers = await asyncio.gather(*(client.get(f"http://127.0.0.1:{server.port}/r") for _ in range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert server.most_open <= 2 and len(server.connections) == 2


async def test_a_connection_the_server_closed_is_replaced(server: Server) -> None:
    server.close_after = 1  # the server closes after each answer (keep-alive header notwithstanding)
    async with make_client(ClientOptions()) as client:
        await run(client, f"http://127.0.0.1:{server.port}/r", 3, 1)
    assert len(server.seen) == 6 and len(server.connections) == 6


@dataclass
class Proxy:
    """A forward proxy that answers itself: it records each absolute-form request target."""

    targets: list[str] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.targets.append(head.split(b" ", 2)[1].decode())
                writer.write(b"HTTP/1.1 200 OK\r\n" + CORS + b"Content-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.mark.parametrize("how", ["option", "environment"])
async def test_a_proxy_is_used(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = Proxy()
    listening = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy_url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    if how == "environment":
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
    options = ClientOptions(proxy=proxy_url if how == "option" else None)
    async with listening, make_client(options) as client:
        # Nothing listens on the API's port: only the proxy can have answered.
        await run(client, "http://127.0.0.1:9/r", 4, 2)
    assert proxy.targets == ["http://127.0.0.1:9/r"] * 8


async def test_no_proxy_from_the_environment_is_honoured(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # a proxy that would refuse
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with make_client(ClientOptions()) as client:
        await run(client, f"http://127.0.0.1:{server.port}/r", 2, 1)
    assert len(server.seen) == 4


async def test_backend_bounds_buffering_and_times_out() -> None:
    """The raw-asyncio backend stops reading past READ_HIGH unread bytes (memory stays bounded while
    the runner does not read), resumes as it is read, and a read past its timeout is httpcore's
    ReadTimeout (which the runner reports as a timeout)."""
    import httpcore

    from corsprobe.wire import backend

    sent = asyncio.Event()

    async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if await reader.readline():
                writer.write(b"x" * (4 * backend.READ_HIGH))
                await writer.drain()  # blocks once the client stops reading
                sent.set()
        except ConnectionError:
            pass
        finally:
            writer.close()
            await writer.wait_closed()

    listening = await asyncio.start_server(flood, "127.0.0.1", 0)
    async with listening:
        stream = await backend.AsyncioBackend().connect_tcp("127.0.0.1", listening.sockets[0].getsockname()[1])
        assert isinstance(stream, backend.AsyncioStream)
        await stream.write(b"go\n")
        for _ in range(100):  # bounded: until the flood has filled the buffer
            await asyncio.sleep(0.01)
            if stream._protocol.reading_paused:
                break
        assert stream._protocol.reading_paused and stream._protocol.size <= 2 * backend.READ_HIGH
        total = 0
        while chunk := await stream.read(65536, timeout=5):
            total += len(chunk)
        assert total == 4 * backend.READ_HIGH and sent.is_set()
        await stream.aclose()

        silent = await backend.AsyncioBackend().connect_tcp("127.0.0.1", listening.sockets[0].getsockname()[1])
        with pytest.raises(httpcore.ReadTimeout):
            await silent.read(10, timeout=0.05)  # the server waits for a line that never comes
        await silent.aclose()
        await asyncio.sleep(0.05)  # the server sees the close and ends its handler


async def test_the_backend_reports_the_phase_as_the_trace_hook_does() -> None:
    """A server that reads the request and never answers: under the run's client (phase fed by
    wire.backend, no trace hook) and under a plain httpx client (phase fed by httpcore's trace
    hook) the row says the same: stuck waiting for the response head."""
    from corsprobe.runner import run_probe
    from corsprobe.wire.pools import feeds_phase

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            await reader.read(65536)
            await reader.read(65536)  # until the client gives up
        writer.close()

    listening = await asyncio.start_server(silent, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/r"
    details = []
    async with listening:
        for made in (make_client(ClientOptions(timeout=0.3)), httpx.AsyncClient(timeout=0.3)):
            async with made as client:
                result = await run_probe(client, Probe(url, ORIGIN), RunPolicy(CHROMIUM),
                                         ClientOptions(timeout=0.3))
                details.append((feeds_phase(client), result.outcome.failure.detail if result.outcome.failure else ""))
    assert [fed for fed, _ in details] == [True, False]
    assert all("stuck waiting for the response head" in detail for _, detail in details), details


@pytest.mark.parametrize("body", [None, b"", b"{}", b"x" * 70_000], ids=["none", "empty", "json", "large"])
@pytest.mark.parametrize("method", ["PUT", "POST", "patch", "GET", "OPTIONS", "DELETE"])
async def test_the_own_clients_request_is_the_one_httpx_builds(method: str, body: bytes | None) -> None:
    from corsprobe.wire import sending

    headers = [(b"Accept", b"*/*"), (b"Origin", ORIGIN.encode()), (b"accept-encoding", b"br"), (b"X-Token", b"1")]
    async with make_client(ClientOptions(timeout=3.0)) as client:
        assert client in sending.OWN
        for url in (httpx.URL("http://127.0.0.1:9/r?q=1"), httpx.URL("https://[::1]:8443/a"),
                    httpx.URL("http://example.test/"), httpx.URL("http://127.0.0.1:9/other?p=2"),
                    httpx.URL("https://example.test:443/x")):  # made once per host and port, reused for its paths
            fast = sending.build(client, method, url, headers, body)
            slow = client.build_request(method, url, headers=headers, content=body)
            assert (fast.method, fast.url, fast.headers.raw, fast.extensions) == (
                slow.method, slow.url, slow.headers.raw, slow.extensions)
            assert fast.content == slow.content
            assert b"".join(fast.stream) == b"".join(slow.stream) == fast.read()  # type: ignore[arg-type]


async def test_a_redirect_httpx_refuses_is_refused_on_the_fast_path_too() -> None:
    from corsprobe.wire import sending

    async def redirect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    listening = await asyncio.start_server(redirect, "127.0.0.1", 0)
    url = httpx.URL(f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/r")
    async with listening, make_client(ClientOptions(timeout=3.0)) as client:
        errors = []
        for fast in (True, False):
            request = client.build_request("GET", url)
            try:
                if fast:
                    await sending.send(client, request)
                else:
                    await client.send(request, follow_redirects=False, stream=True)
            except httpx.HTTPError as error:
                errors.append(type(error).__name__)
    assert errors[0] == errors[1] and errors[0] in ("InvalidURL", "RemoteProtocolError", "UnsupportedProtocol")


async def test_the_ssl_context_is_built_only_when_needed(server: Server, tmp_path: object) -> None:
    async with make_client(ClientOptions()) as client:
        await run(client, f"http://127.0.0.1:{server.port}/r", 2, 2)
        transport = client._transport
        assert isinstance(transport, WorkerPools)
        assert transport.settings.ssl_context._context is None  # http only: no certificate bundle loaded
        context = transport.settings.ssl_context.get()
        assert context is transport.settings.ssl_context.get()  # one per client, shared by its pools
    async with make_client(ClientOptions(insecure=True)) as client:  # a trust the user named: at once
        transport = client._transport
        assert isinstance(transport, WorkerPools) and transport.settings.ssl_context._context is not None


@pytest.mark.parametrize("url", ["http://127.0.0.1:8/r?x=1&y=%20", "https://[::1]:8443/a/b", "http://example.test",
                                 "https://xn--bcher-kva.example/%C3%A9?q"])
@pytest.mark.parametrize("method", ["OPTIONS", "patch", "GET"])
def test_the_request_handed_to_httpcore_is_the_one_httpx_makes(url: str, method: str) -> None:
    from corsprobe.wire.pools import _core_request

    request = httpx.Request(method, url, headers=[("Origin", ORIGIN), ("X-Token", "1")], content=b"{}")
    request.method = method  # as the runner sends it: the page's casing
    made = _core_request(request)
    expected = httpcore.Request(method=request.method, url=httpcore.URL(
        scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port, target=request.url.raw_path),
        headers=request.headers.raw, content=request.stream, extensions=request.extensions)
    assert (made.method, made.url, made.headers, made.stream, made.extensions) == (
        expected.method, expected.url, expected.headers, expected.stream, expected.extensions)
