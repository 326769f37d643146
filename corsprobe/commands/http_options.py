"""The HTTP-version options (``--http1.1``, ``--http2``) every probing command takes, and what they
mean for ``ClientOptions.http2``. Only click loads at import (``--help`` stays cheap).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _group(*options: Callable[[F], F]) -> Callable[[F], F]:
    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


HTTP1_HELP = "Speak only HTTP/1.1 (https offers no HTTP/2 via ALPN)."
HTTP2_HELP = ("Require HTTP/2 support (the h2 package: pip install 'corsprobe[http2]'); the default already "
              "negotiates HTTP/2 on https when h2 is installed, as a browser does.")
#: --http1.1 / --http2 (every command that sends probes, audit included).
protocol_options = _group(
    click.option("--http1.1", "http1_only", is_flag=True, help=HTTP1_HELP),
    click.option("--http2", "require_http2", is_flag=True, help=HTTP2_HELP),
)


def http2_choice(options: dict[str, Any], urls: Iterable[str] = ()) -> bool | None:
    """``ClientOptions.http2`` from --http1.1/--http2: a usage error for both, or for --http2 without h2;
    says once on stderr when https probes fall back to HTTP/1.1 because h2 is not installed."""
    from corsprobe.wire.protocols import Http2Unavailable, fallback_note, use_http2

    if options.get("http1_only") and options.get("require_http2"):
        _usage_error("--http1.1 and --http2 exclude each other; give one")
    requested = False if options.get("http1_only") else (True if options.get("require_http2") else None)
    try:
        use_http2(requested)
    except Http2Unavailable as error:
        _usage_error(str(error))
    note = fallback_note(requested, urls)
    if note and not _NOTES_SHOWN:
        _NOTES_SHOWN.add(note)
        click.echo(f"corsprobe: {note}", err=True)
    return requested


_NOTES_SHOWN: set[str] = set()


def _usage_error(message: str) -> NoReturn:
    from corsprobe.commands.common import usage_error

    usage_error(message)
