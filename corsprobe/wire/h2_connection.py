"""httpcore's HTTP/2 connection with an h2 response's header block read as Chromium reads it.

httpcore reads the block with h2's inbound validation off, drops the pseudo-headers and defaults a
missing ``:status`` to 200, and h2's HPACK decoder stops at httpcore's 64 KiB header-list setting.
Here the whole block, pseudo-headers in place, is judged by ``wire.h2_fields.problem(pseudo=True)``
(Chromium's ``HeaderCoalescer::AddHeader`` and ``SpdyStream::OnHeadersReceived``); a refused block
resets the stream as Chromium does (``SpdySession::ResetStream``, RST_STREAM PROTOCOL_ERROR) and
raises ``MalformedH2``; lists up to Chromium's 256 KiB are read. ``chromium_reading`` turns the
connection httpcore made into one (``wire.connection``).

Imports h2 (the ``corsprobe[http2]`` extra): loaded only once a connection speaks HTTP/2. Relies on
httpcore 1.0's private ``_receive_stream_event``, ``_write_outgoing_data`` and ``_h2_state``. Network
I/O through httpcore; used by ``wire.connection``.
"""

from __future__ import annotations

from contextlib import suppress

import h2.errors
import h2.events
import h2.exceptions
import hpack
import httpcore
from httpcore._async.http2 import AsyncHTTP2Connection

from corsprobe.wire.connection import MalformedH2
from corsprobe.wire.h2_fields import MAX_HEADER_LIST_SIZE, problem

# h2's decoder limit: above Chromium's, so that ``problem`` names a list over 256 KiB; bounds memory.
DECODER_LIMIT = 2 * MAX_HEADER_LIST_SIZE


class _Decoder(hpack.Decoder):
    """h2's HPACK decoder with a fixed header-list limit (a SETTINGS ack would set httpcore's 64 KiB)."""

    @property
    def max_header_list_size(self) -> int:
        return DECODER_LIMIT

    @max_header_list_size.setter
    def max_header_list_size(self, value: int) -> None:
        """Ignored: the limit stays DECODER_LIMIT."""


def chromium_reading(connection: AsyncHTTP2Connection) -> None:
    """Make an HTTP/2 connection httpcore just made (nothing received yet) a ``ChromiumHTTP2``."""
    connection.__class__ = ChromiumHTTP2
    connection._h2_state.decoder = _Decoder()


class ChromiumHTTP2(AsyncHTTP2Connection):
    """httpcore's HTTP/2 connection; each response's header block is judged whole before it is read."""

    async def _receive_response(self, request: httpcore.Request,
                                stream_id: int) -> tuple[int, list[tuple[bytes, bytes]]]:
        while True:
            event = await self._receive_stream_event(request, stream_id)
            if isinstance(event, h2.events.ResponseReceived):
                break
        fields = list(event.headers or ())
        text = problem(fields, pseudo=True)
        if text is not None:
            with suppress(h2.exceptions.ProtocolError):  # a stream both sides ended is not reset
                self._h2_state.reset_stream(stream_id, error_code=h2.errors.ErrorCodes.PROTOCOL_ERROR)
                await self._write_outgoing_data(request)
            raise MalformedH2(text)
        status = next(int(value) for name, value in fields if name == b":status")
        return status, [(name, value) for name, value in fields if not name.startswith(b":")]
