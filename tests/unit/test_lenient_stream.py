"""corsprobe.wire.lenient: the stream wrapper rewrites each response head (split across reads,
several on one kept-alive connection, after 1xx heads) and nothing else; h2 passes untouched;
make_client routes every pool (direct, --proxy, environment proxies) through the backend."""

from __future__ import annotations

import ssl
import typing

import httpcore
import pytest

from corsprobe.wire import lenient
from corsprobe.wire.client import ClientOptions, backends, make_client
from corsprobe.wire.lenient import HEAD_INFO, LenientStream, MalformedHead

pytestmark = pytest.mark.anyio


class Script(httpcore.AsyncNetworkStream):
    """An inner stream that answers reads from a list of chunks (then EOF) and records writes."""

    def __init__(self, chunks: list[bytes], alpn: str | None = None) -> None:
        self.chunks = list(chunks)
        self.written: list[bytes] = []
        self.alpn = alpn

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written.append(buffer)

    async def aclose(self) -> None:
        return None

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return Script(self.chunks, alpn=self.alpn or "http/1.1")

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "ssl_object" and self.alpn is not None:
            alpn = self.alpn
            return type("Ssl", (), {"selected_alpn_protocol": lambda self: alpn})()
        return None


async def drain(stream: httpcore.AsyncNetworkStream) -> bytes:
    out = b""
    for _ in range(50):  # bounded
        data = await stream.read(65536)
        if not data:
            return out
        out += data
    raise AssertionError("no EOF")


async def test_a_head_split_across_reads_is_rewritten_and_the_body_kept() -> None:
    stream = LenientStream(Script([b"HTTP/1.1 abc\r\nA ", b": 1\nContent-", b"Length: 2\n\nok"]), port=8000)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n")
    assert await drain(stream) == b"HTTP/1.1 200\r\nA: 1\r\nContent-Length: 2\r\n\r\nok"
    head = stream.get_extra_info(HEAD_INFO)
    assert head.status == 200 and head.headers == (("A", "1"), ("Content-Length", "2")) and head.notes


async def test_each_response_on_a_kept_alive_connection_and_1xx_heads() -> None:
    first = b"HTTP/1.1 200 OK\nContent-Length: 4\n\nHTTP"  # a body that looks like a head is left alone
    second = b"HTTP/1.1 100 Continue\n\nHTTP/1.1 204 No\nX : y\n\n"
    inner = Script([first])
    stream = LenientStream(inner, port=8000)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n")
    assert await stream.read(65536) == b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nHTTP"
    inner.chunks.append(second)
    await stream.write(b"GET /2 HTTP/1.1\r\n\r\n")
    assert await drain(stream) == b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No\r\nX: y\r\n\r\n"
    assert stream.get_extra_info(HEAD_INFO).status == 204


async def test_a_refused_head_raises_with_chromiums_error() -> None:
    stream = LenientStream(Script([b"HTTP/1.1 200 OK\r\nA: \x00\r\n\r\n"]), port=8000)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n")
    with pytest.raises(MalformedHead, match="ERR_INVALID_HTTP_RESPONSE"):
        await stream.read(65536)


async def test_bytes_after_a_non_http_write_pass_untouched() -> None:
    # A SOCKS5 handshake (httpcore's AsyncSOCKSProxy speaks it over the same stream) is no HTTP exchange.
    stream = LenientStream(Script([b"\x05\x00", b"\x05\x00\x00\x01"]), port=1080)
    await stream.write(b"\x05\x01\x00")
    assert await stream.read(65536) == b"\x05\x00"
    await stream.write(b"\x05\x01\x00\x01")
    assert await stream.read(65536) == b"\x05\x00\x00\x01"


async def test_an_empty_reply_is_left_to_h11() -> None:
    stream = LenientStream(Script([]), port=8000)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n")
    assert await stream.read(65536) == b""


async def test_tls_is_wrapped_again_but_h2_is_not() -> None:
    plain = LenientStream(Script([], alpn="http/1.1"), port=443)
    assert isinstance(await plain.start_tls(ssl.create_default_context()), LenientStream)
    h2 = LenientStream(Script([], alpn="h2"), port=443)
    assert not isinstance(await h2.start_tls(ssl.create_default_context()), LenientStream)


def _backends(client: typing.Any) -> list[object]:
    return list(backends(client))


async def test_make_client_routes_direct_proxy_and_environment_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "localhost")
    for options in (ClientOptions(), ClientOptions(proxy="http://127.0.0.1:9")):
        async with make_client(options) as client:
            backends = _backends(client)
            assert len(backends) >= 2 and all(isinstance(b, lenient.LenientBackend) for b in backends)
    mine = lenient.wrap()
    async with make_client(ClientOptions(), network_backend=mine) as client:
        assert set(map(id, _backends(client))) == {id(mine)}


async def test_http09_is_judged_by_the_urls_port_even_through_a_proxy() -> None:
    # HttpStreamParser::ParseResponseHeaders: HTTP/0.9 only on the URL's default port.
    direct = LenientStream(Script([b"hello world, no status line"]), port=8000)
    await direct.write(b"GET / HTTP/1.1\r\nHost: x:8000\r\n\r\n")
    with pytest.raises(MalformedHead, match="no HTTP status line"):
        await direct.read(65536)
    proxied = LenientStream(Script([b"hello world, no status line"]), port=3128)
    await proxied.write(b"GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n")
    assert await drain(proxied) == b"HTTP/1.0 200 OK\r\n\r\nhello world, no status line"
    tunnel = LenientStream(Script([b"HTTP/1.1 200 Connection established\r\n\r\n"]), port=3128)
    await tunnel.write(b"CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n")
    await drain(tunnel)
    inside = await tunnel.start_tls(ssl.create_default_context())
    assert isinstance(inside, LenientStream) and inside._port == 443
