"""A minimal client for Firefox's Marionette protocol (length-prefixed JSON over TCP).

Just enough to open a session, switch between content and chrome context, navigate and run
a script. Every socket operation has a timeout. Test-only; does socket I/O (loopback only).
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

CONNECT_TIMEOUT = 30.0
READ_TIMEOUT = 60.0
MAX_MESSAGE = 64 * 1024 * 1024


class MarionetteError(RuntimeError):
    pass


class Marionette:
    """``Marionette(port)`` connects (retrying until CONNECT_TIMEOUT) and reads the greeting."""

    def __init__(self, port: int) -> None:
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._sock.settimeout(READ_TIMEOUT)
        self._buffer = b""
        self._id = 0
        self.greeting = self._read()

    def close(self) -> None:
        self._sock.close()

    def call(self, command: str, params: dict[str, Any] | None = None) -> Any:
        """Send one command and return its result; a Marionette error raises."""
        self._id += 1
        data = json.dumps([0, self._id, command, params or {}]).encode()
        self._sock.sendall(str(len(data)).encode() + b":" + data)
        for _ in range(1000):  # skip stray messages; a reply always comes
            message = self._read()
            if isinstance(message, list) and message[:2] == [1, self._id]:
                if message[2]:
                    raise MarionetteError(f"{command}: {message[2].get('message', message[2])}")
                return message[3]
        raise MarionetteError(f"{command}: no reply")

    def script(self, source: str, *, chrome: bool) -> Any:
        """Run ``source`` (a function body) in chrome or content context; return its value."""
        self.call("Marionette:SetContext", {"value": "chrome" if chrome else "content"})
        return self.call("WebDriver:ExecuteScript", {"script": source, "args": []}).get("value")

    def _read(self) -> Any:
        while b":" not in self._buffer:
            self._receive()
        size_text, rest = self._buffer.split(b":", 1)
        size = int(size_text)
        if size > MAX_MESSAGE:
            raise MarionetteError(f"message of {size} bytes")
        self._buffer = rest
        while len(self._buffer) < size:
            self._receive()
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return json.loads(body)

    def _receive(self) -> None:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise MarionetteError("Firefox closed the Marionette connection")
        self._buffer += chunk
