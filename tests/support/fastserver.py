"""A fast keep-alive HTTP/1.1 server on 127.0.0.1 in a child process, for runs of many rows.

Every GET gets ``200`` with ``Access-Control-Allow-Origin: *``; every OPTIONS a ``204`` preflight
answer allowing GET and ``X-Token``. With ``hang_after=N`` the requests after the N-th get no
answer at all (the connection stays open), so probes stay in flight. Started and stopped by PID
with bounded waits; prints ``listening PORT`` when ready. Test and benchmark support; does
process and socket I/O. Run alone: ``python -m tests.support.fastserver [--hang-after N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
HEAD = (b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: x-token\r\n"
        b"Access-Control-Allow-Methods: GET\r\n")


async def serve(hang_after: int | None) -> None:
    seen = 0
    hung = asyncio.Event()  # never set: a hung request waits until the client goes

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal seen
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                seen += 1
                if hang_after is not None and seen > hang_after:
                    await hung.wait()
                preflight = head.startswith(b"OPTIONS")
                status, body = (b"204 No Content", b"") if preflight else (b"200 OK", b"ok")
                writer.write(b"HTTP/1.1 " + status + b"\r\n" + HEAD + b"Content-Length: %d\r\n\r\n" % len(body)
                             + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)
    async with server:
        await server.serve_forever()


@contextmanager
def fast_server(hang_after: int | None = None) -> Iterator[str]:
    """Start the server in a child process; yield its base URL ``http://127.0.0.1:PORT``."""
    command = [sys.executable, "-m", "tests.support.fastserver"]
    if hang_after is not None:
        command += ["--hang-after", str(hang_after)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        line = _first_line(child)
        match = re.fullmatch(r"listening (\d+)\n", line)
        if match is None:
            raise RuntimeError(f"the fast server did not start: {line!r}")
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        child.terminate()
        try:
            child.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=STOP_TIMEOUT)
        if child.stdout is not None:
            child.stdout.close()


def _first_line(child: subprocess.Popen[str]) -> str:
    import selectors

    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=START_TIMEOUT):
            return ""
    return child.stdout.readline()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hang-after", type=int, default=None)
    args = parser.parse_args()
    with suppress(KeyboardInterrupt):
        asyncio.run(serve(args.hang_after))


if __name__ == "__main__":
    main()
