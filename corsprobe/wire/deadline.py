"""One deadline per exchange and the phase it reached, so a timeout says where it stuck.

``Phase`` is fed by httpcore's ``trace`` request extension (connect, TLS, send, head), or, under the
run's own client, by its network backend (``wire.backend``, through ``CURRENT``: no trace calls), and
by the runner (body). ``bounded`` runs an awaitable under ``asyncio.timeout``: connect, send, head
and body read share one budget, whatever the server trickles. Does no I/O itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_DOING = {
    "connect_tcp": "connecting",
    "start_tls": "in the TLS handshake",
    "send_request_headers": "sending the request",
    "send_request_body": "sending the request body",
    "send_connection_request": "sending the request",
    "receive_response_headers": "waiting for the response head",
    "receive_response_body": "reading the body",
}
_SENT = {"receive_response_headers", "receive_response_body"}


class Phase:
    """Where one exchange has got to (mutable, owned by one exchange)."""

    __slots__ = ("connected", "head_received", "step", "written")

    def __init__(self) -> None:
        self.step = "waiting for a connection"
        self.written = False
        self.head_received = False
        self.connected = False  # this exchange opened its connection (else it reused a kept-alive one)

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore trace hook: ``connection.connect_tcp.started``, ``http11.send_request_headers.started`` ..."""
        _, _, rest = event.partition(".")
        name, _, when = rest.rpartition(".")
        if when != "started":
            if name == "receive_response_headers" and when == "complete":
                self.head_received = True
            return
        self.step = _DOING.get(name, self.step)
        self.connected = self.connected or name in ("connect_tcp", "connect_unix_socket")
        if name.startswith("send_request") or name in _SENT:
            self.written = True

    # Fed by wire.backend (the same steps as the trace events, without the trace calls).
    def connecting(self) -> None:
        self.step = _DOING["connect_tcp"]
        self.connected = True

    def handshaking(self) -> None:
        self.step = _DOING["start_tls"]

    def sending(self) -> None:
        self.step = _DOING["send_request_headers"]
        self.written = True

    def reading(self) -> None:
        if self.written and not self.head_received:
            self.step = _DOING["receive_response_headers"]

    def reading_body(self) -> None:
        self.head_received = True
        self.step = _DOING["receive_response_body"]

    @property
    def doing(self) -> str:
        return self.step

    @property
    def nothing_sent(self) -> bool:
        return not self.written

    @property
    def reused(self) -> bool:
        """The request went out on a kept-alive connection opened by an earlier exchange."""
        return self.written and not self.connected


CURRENT: ContextVar[Phase | None] = ContextVar("corsprobe_phase", default=None)  # the task's exchange


async def bounded(awaitable: Awaitable[T], seconds: float | None) -> T:
    """``awaitable`` within ``seconds`` (None: unbounded); TimeoutError when the budget is spent."""
    if seconds is None:
        return await awaitable
    async with asyncio.timeout(seconds):
        return await awaitable
