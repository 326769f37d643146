"""The ``corsprobe`` command group: names the commands and loads each one's module on first use.

No CORS rules live here; each command is a module of ``corsprobe.commands``. Adding a command is
one line in ``COMMANDS``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from importlib import import_module
from typing import NoReturn

import click

from corsprobe import __version__

#: command name -> (module under corsprobe.commands, attribute, one-line help for ``--help``).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("check", "check", "Probe one request: what would a browser on ORIGIN do with it?"),
    "run": ("run", "run", "Run scenario files (or every *.toml under a directory)."),
    "diff": ("diff", "diff", "Run the same probes against two environments and show what differs."),
    "audit": ("audit", "audit", "Find exploitable CORS misconfigurations: can another site read these URLs?"),
    "explain": ("explain", "explain", "Probe what the browser said: a pasted console error, cURL/fetch copy or HAR."),
    "init": ("init", "init", "Write a scenario file with one probe per operation of an OpenAPI description."),
    "suggest": ("suggest", "suggest", "Print the minimal CORS configuration for one layer that meets the scenarios."),
    "demo": ("demo", "demo", "Start a local demo API, run the demo scenarios against it, print the table."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when run (or when their own help is asked for)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _help = entry
        command = getattr(import_module(f"corsprobe.commands.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a reader that closed stdout (``corsprobe run … | head``) ends it quietly."""
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            stdout_closed()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry[2]) for name, entry in COMMANDS.items()])


STDOUT_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader went away


def stdout_closed() -> NoReturn:
    """The reader of stdout went away: nothing more can be said there, and nothing on stderr either (the
    user closed the pipe on purpose). Python's last flush of stdout goes to /dev/null; exit 141."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(STDOUT_CLOSED)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from corsprobe import verified

        click.echo(f"corsprobe {__version__} ({verified.describe()})")
        ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and the engines (Chromium, Firefox, WebKitGTK) it was verified against.")
def main() -> None:
    """Would a browser on origin X be allowed to make this request to this live API?"""


def entry() -> None:
    """The process entry point (the ``corsprobe`` script, ``python -m corsprobe``).

    The CLI runs on asyncio only, so httpcore's optional import of trio (~80 ms of start-up when trio
    is installed) is skipped in this process; library users and tests import httpcore as usual. The
    cyclic garbage collector runs less often (every 10,000 net allocations instead of 700): a run
    allocates many short-lived acyclic objects, and the default spent ~8% of a 2,000-row run's CPU.
    """
    import gc

    gc.set_threshold(10_000, 50, 50)
    if "httpcore" not in sys.modules:
        sys.modules.setdefault("trio", None)  # type: ignore[arg-type]
    main()
