"""A chunked response body read as Chromium's ``HttpChunkedDecoder`` reads it (net/http/http_chunked_decoder.cc),
given to h11 in canonical framing. Pure: bytes in, bytes out; no I/O.

Where the two differ: Chromium ends a framing line at LF (a CR before it dropped), so ``5\\n`` is a chunk
size to it (h11 wants CRLF); it takes anything after ``;`` as an extension and trailing spaces after the
size; it refuses at once (``net::ERR_INVALID_CHUNKED_ENCODING``) a size that is not plain hex digits
(a ``+``, ``0x``, ``-``, a leading space or tab), one over int64, an empty size line, chunk data not
followed by an empty line, and a framing line longer than 16 KiB; trailer lines after the last chunk are
ignored (h11 parses them as header lines), and bytes after the end are dropped. The state is bounded
(one partial line of at most 16 KiB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE = 16384  # HttpChunkedDecoder::kMaxLineBufLen
INT64_MAX = 2**63 - 1
_HEX = re.compile(rb"[0-9A-Fa-f]+")
ERROR = "net::ERR_INVALID_CHUNKED_ENCODING"


@dataclass(frozen=True, slots=True)
class ChunkRefusal:
    """Chromium fails the body here: the framing line (as received) and why."""

    line: bytes
    why: str

    @property
    def text(self) -> str:
        shown = self.line[:80].decode("latin-1")
        return f"{self.why} (chunk framing line {shown!r}): Chromium fails the request with {ERROR}"


class ChunkedReader:
    """Feed the body's bytes as they arrive; each feed returns the canonical chunked bytes for h11, up to a
    refusal (``refusal``). ``done`` once the last chunk and its trailer ended; ``extra``: bytes came after."""

    def __init__(self) -> None:
        self._remaining = 0  # chunk data bytes still to come
        self._terminator = False  # an empty line must follow the chunk data (chunk_terminator_remaining_)
        self._last = False  # the zero-size chunk was read: trailer lines until an empty one (reached_last_chunk_)
        self._line = bytearray()  # a framing line not yet ended by LF (line_buf_)
        self.done = False  # reached_eof_
        self.extra = False  # bytes_after_eof_ > 0
        self.refusal: ChunkRefusal | None = None  # Chromium fails the body here

    def feed(self, data: bytes) -> bytes:
        """The canonical bytes for what ``data`` completes; at a refusal, those before it, with ``refusal``
        set (nothing more is read)."""
        if self.refusal is not None:
            return b""
        out = bytearray()
        try:
            self._feed(data, out)
        except InvalidChunks as refused:
            self.refusal = refused.refusal
        return bytes(out)

    def _feed(self, data: bytes, out: bytearray) -> None:
        view = memoryview(data)
        while view:
            if self._remaining:  # HttpChunkedDecoder::FilterBuf: chunk data passes as it is
                size = min(self._remaining, len(view))
                out += b"%x\r\n" % size + view[:size] + b"\r\n"
                self._remaining -= size
                view = view[size:]
                self._terminator = not self._remaining
                continue
            if self.done:  # FilterBuf: bytes after the end are counted, not given
                self.extra = True
                break
            end = bytes(view).find(b"\n")
            if end < 0:  # ScanForChunkRemaining: save the partial line, bounded
                part = bytes(view)
                if len(self._line) + len(part.rstrip(b"\r")) > MAX_LINE:
                    raise InvalidChunks(ChunkRefusal(bytes(self._line[:80]) + part[:80], "a chunk framing line "
                                                     f"longer than {MAX_LINE // 1024} KiB"))
                self._line += part
                break
            line = bytes(self._line) + bytes(view[:end])
            self._line.clear()
            view = view[end + 1:]
            out += self._framing(line[:-1] if line.endswith(b"\r") else line)

    def _framing(self, line: bytes) -> bytes:
        """One framing line, its CR dropped (ScanForChunkRemaining)."""
        if self._last:  # a trailer line is ignored; an empty one ends the body
            if not line:
                self.done = True
                return b"0\r\n\r\n"
            return b""
        if self._terminator:  # "chunk data not terminated properly"
            if line:
                raise InvalidChunks(ChunkRefusal(line, "the chunk data is not followed by an empty line"))
            self._terminator = False
            return b""
        if not line:  # "missing chunk-size"
            raise InvalidChunks(ChunkRefusal(line, "an empty line where a chunk size was due"))
        size = self.parse_size(line)
        if size == 0:
            self._last = True
        self._remaining = size
        return b""

    @staticmethod
    def parse_size(line: bytes) -> int:
        """HttpChunkedDecoder::ParseChunkSize: extensions after ';' ignored, trailing spaces allowed, then hex
        digits only (no '+', '0x', '-' or other space), at most int64."""
        digits = line.split(b";", 1)[0].rstrip(b" ")
        if not _HEX.fullmatch(digits):
            raise InvalidChunks(ChunkRefusal(line, "a chunk size that is not hex digits"))
        size = int(digits, 16)
        if size > INT64_MAX:  # base::HexStringToInt64 fails on overflow
            raise InvalidChunks(ChunkRefusal(line, "a chunk size over 2^63 - 1"))
        return size


class InvalidChunks(Exception):
    """Chromium refuses this chunked body (``refusal`` says where and why)."""

    def __init__(self, refusal: ChunkRefusal) -> None:
        super().__init__(refusal.text)
        self.refusal = refusal
