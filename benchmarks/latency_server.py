"""A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request after DELAY seconds: 204 with CORS
headers to OPTIONS, 200 "ok" to anything else; ``GET /__count`` answers at once with the number of requests
served so far. Prints ``listening PORT`` and serves until SIGTERM. Benchmark helper; loopback only.

Usage: python benchmarks/latency_server.py [DELAY]
"""

from __future__ import annotations

import asyncio
import signal
import sys

HEAD = (b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-token\r\n"
        b"Access-Control-Allow-Methods: GET\r\n")


async def main(delay: float) -> None:
    served = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if head.startswith(b"GET /__count "):
                    body = b"%d" % served
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                    continue
                served += 1
                if delay:
                    await asyncio.sleep(delay)
                preflight = head.startswith(b"OPTIONS")
                status = b"204 No Content" if preflight else b"200 OK"
                body = b"" if preflight else b"ok"
                writer.write(b"HTTP/1.1 " + status + b"\r\n" + HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.05))
