"""What a transport failure was, read from the whole exception chain (httpx wraps httpcore,
which wraps anyio, which wraps the OSError or ssl.SSLError that says what happened).

Pure apart from inspecting exception objects: no I/O. Texts never carry a URL's password.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

from corsprobe.reasons import Reason
from corsprobe.wire.connection import MalformedH2
from corsprobe.wire.deadline import Phase
from corsprobe.wire.lenient import MalformedBody, MalformedHead


@dataclass(frozen=True, slots=True)
class Cause:
    """A failure's reason code, its one-line explanation, and whether the request surely
    never reached the server (so a retry of any method is harmless)."""

    reason: Reason
    text: str
    nothing_sent: bool = False


def chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and everything below it: causes, contexts and exception-group members."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for below in (current.__cause__, current.__context__):
            if below is not None:
                pending.append(below)


def _first(error: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]) -> BaseException | None:
    return next((e for e in chain(error) if isinstance(e, kind)), None)


def timed_out(phase: Phase, seconds: float | None) -> Cause:
    limit = f"within {seconds:g} s" if seconds is not None else "in time"
    return Cause(Reason.TIMEOUT, f"no complete answer {limit} (stuck {phase.doing})",
                 nothing_sent=phase.nothing_sent)


def cause_of(error: BaseException, phase: Phase, seconds: float | None = None) -> Cause:
    """The first cause in this order: timeout, a head Chromium refuses, DNS, TLS, refused, reset,
    closed early, malformed."""
    if _named(error, "ReadTimeout", "ReadError", "WriteTimeout", "WriteError", "RemoteProtocolError"):
        phase.written = True  # httpx says the request was (at least partly) written
    if _first(error, TimeoutError) is not None or _named(error, "Timeout"):
        return timed_out(phase, seconds)
    if isinstance(malformed := _first(error, MalformedHead), MalformedHead):
        return Cause(Reason.INVALID_RESPONSE, f"malformed response head: {malformed.refusal.text}")
    if isinstance(h2_block := _first(error, MalformedH2), MalformedH2):
        return Cause(Reason.INVALID_RESPONSE, str(h2_block))
    if isinstance(body := _first(error, MalformedBody), MalformedBody):
        return Cause(Reason.INVALID_RESPONSE, f"malformed chunked body: {body.refusal.text}")
    if (dns := _first(error, socket.gaierror)) is not None:
        return Cause(Reason.NETWORK_ERROR, f"DNS: the host name cannot be resolved ({_strerror(dns)})",
                     nothing_sent=True)
    if (tls := _first(error, ssl.SSLError)) is not None:
        return Cause(Reason.TLS_ERROR, _tls_text(tls), nothing_sent=True)
    text = " ".join(str(e) for e in chain(error) if str(e))
    if "[SSL" in text or "certificate" in text.lower():  # a TLS failure known only by its message
        return Cause(Reason.TLS_ERROR, f"TLS handshake failed ({text})", nothing_sent=True)
    if _first(error, ConnectionRefusedError) is not None:
        return Cause(Reason.NETWORK_ERROR, "connection refused: nothing listens on that port", nothing_sent=True)
    if _first(error, ConnectionResetError) is not None or _first(error, BrokenPipeError) is not None:
        return _reset(phase)
    if "without sending a response" in text or "peer closed" in text or "incomplete" in text.lower():
        if phase.head_received:  # HttpStreamParser::DoReadBodyComplete: a close before the framing's end
            error_name = ("net::ERR_INCOMPLETE_CHUNKED_ENCODING" if "chunked" in text
                          else "net::ERR_CONTENT_LENGTH_MISMATCH")
            return Cause(Reason.INVALID_RESPONSE,
                         f"the server closed the connection before the body was complete ({error_name})")
        return Cause(Reason.NETWORK_ERROR,
                     "the server accepted the connection and the request but closed it before sending a "
                     "response head (an empty reply, net::ERR_EMPTY_RESPONSE)")
    if _named(error, "DecodingError"):
        return Cause(Reason.INVALID_RESPONSE, f"the body cannot be decoded as its Content-Encoding says ({text})")
    if _named(error, "RemoteProtocolError", "LocalProtocolError"):
        where = "body" if phase.head_received else "head"
        return Cause(Reason.INVALID_RESPONSE, f"malformed response {where}: {_protocol_text(error)}")
    if isinstance(os_error := _first(error, OSError), OSError) and os_error.errno is not None:
        return Cause(Reason.NETWORK_ERROR, f"{_strerror(os_error)} ({phase.doing})",
                     nothing_sent=phase.nothing_sent)
    return Cause(Reason.NETWORK_ERROR, f"{type(error).__name__}: {text or 'no detail'} ({phase.doing})",
                 nothing_sent=phase.nothing_sent)


def stale_connection(error: BaseException, phase: Phase) -> bool:
    """A kept-alive connection the server had closed: the request on it got no byte back (closed or
    reset). Chromium resends such a request on a new connection (HttpNetworkTransaction::
    ShouldResendRequest, for ERR_EMPTY_RESPONSE / ERR_CONNECTION_RESET / ERR_CONNECTION_CLOSED)."""
    if not phase.reused or phase.head_received or _first(error, MalformedHead) is not None:
        return False
    text = " ".join(str(e) for e in chain(error))
    reset = _first(error, (ConnectionResetError, BrokenPipeError)) is not None
    return reset or "without sending a response" in text


def _named(error: BaseException, *names: str) -> bool:
    return any(any(n in type(e).__name__ for n in names) for e in chain(error))


def _strerror(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _reset(phase: Phase) -> Cause:
    if phase.nothing_sent:
        return Cause(Reason.NETWORK_ERROR, "connection reset by peer before the request was sent",
                     nothing_sent=True)
    if not phase.head_received:
        return Cause(Reason.NETWORK_ERROR,
                     "connection reset by peer after the request was sent, before a complete response head")
    return Cause(Reason.INVALID_RESPONSE, "connection reset by peer while reading the body")


def _tls_text(error: BaseException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        message = error.verify_message or str(error)
        if error.verify_code in (62, 64) or "mismatch" in message.lower():
            return f"the certificate is for another host name ({message})"
        return f"the certificate is not trusted ({message})"
    reason = getattr(error, "reason", None) or ""
    if reason == "WRONG_VERSION_NUMBER" or "wrong version number" in str(error).lower():
        return "this port speaks plain HTTP, not TLS (the handshake got 'wrong version number'); use http://"
    return f"TLS handshake failed ({reason or error})"


def _protocol_text(error: BaseException) -> str:
    # The deepest message names the line (h11: "illegal header line: bytearray(b'...')").
    texts = [str(e) for e in chain(error) if str(e)]
    return texts[-1] if texts else type(error).__name__
