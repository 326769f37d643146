"""Running jobs for a command and ending it: rows to ``on_row`` as they complete, written as they come
(``stream``) or kept (``probe_all``), SIGINT/SIGTERM handling (``STOPPED``), the exit status.

No CORS rules live here. Does I/O through ``runner`` (HTTP), ``sink``/``console`` (streams) and signals.
Imported by ``common`` (which re-exports these names); only click loads at import (--help stays fast).
"""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    import asyncio

    from corsprobe.console import Output
    from corsprobe.model import Job, Result
    from corsprobe.output.report import ExitStatus

T = TypeVar("T")

__all__ = ["STOPPED", "Stopped", "finish", "interruptible", "output_of", "probe_all", "run", "run_into",
           "status_of", "stream"]


def probe_all(jobs: Sequence[Job], options: dict[str, Any]) -> list[Result]:
    """Every row, kept (``diff`` and ``explain`` need them all)."""
    return interruptible(run(jobs, options))


async def run(jobs: Sequence[Job], options: dict[str, Any]) -> list[Result]:
    rows: dict[int, Result] = {}
    await run_into(jobs, options, rows.__setitem__)
    return [rows[index] for index in sorted(rows)]


async def run_into(jobs: Sequence[Job], options: dict[str, Any], on_row: Callable[[int, Result], None]) -> None:
    """Run the jobs, telling ``on_row(index, result)`` of each row as it completes (none is kept here).
    A first signal stops new sends (the rows in flight end); a second ends the run at once."""
    import asyncio

    from corsprobe.browser.profiles import profile_named
    from corsprobe.commands.http_options import http2_choice
    from corsprobe.console import Progress, Terminal
    from corsprobe.model import without_warnings
    from corsprobe.output.engines import ENGINE_ORDER
    from corsprobe.runner import ClientOptions, RunPolicy, run_all

    names = ENGINE_ORDER if options["browser"] == "all" else (options["browser"],)
    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                           proxy=options["proxy"], max_body=options["max_body"],
                           http2=http2_choice(options, (job.probe.url for job in jobs)))
    # --browser all: each row under every engine in turn (each walks its own requests against the live API),
    # written as it completes like any other row.
    policy = RunPolicy(profile_named(names[0]), concurrency=options.get("concurrency", 1),
                       retries=options["retries"], rate=options["rate"], max_per_host=options["max_per_host"],
                       extra_probes=not options.get("no_extra_probes", False),
                       also=tuple(profile_named(name) for name in names[1:]))
    layer = options.get("server_layer")

    def work() -> Iterable[Job]:  # taken lazily
        return jobs if not layer else (replace(job, server_layer=layer) for job in jobs)

    ignored = frozenset(options.get("ignore_warnings") or ())

    def row(index: int, result: Result) -> None:
        if not result.outcome.warnings:  # nothing to leave out (and no job to look up again)
            on_row(index, result)
            return
        on_row(index, without_warnings(result, ignored | frozenset(jobs[index].ignore_warnings)))

    progress = Progress(Terminal.current(), len(jobs))
    stop = asyncio.Event()
    try:
        with STOPPED.watch(stop):
            await run_all(work(), client, policy, on_result=progress, stop=stop, on_row=row, keep=False)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if STOPPED.signal is None or task is None:
            raise
        task.uncancel()  # the second signal: the rows done so far are still written
    finally:
        progress.close()


class Stopped:
    """SIGINT/SIGTERM during a run: the first stops new sends (rows in flight end, the rows done so
    far are written as usual, then the exit is 130 or 143); a second one ends at once."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self._stop: asyncio.Event | None = None  # the watched run's

    def end_early(self) -> None:
        """Nobody reads the output any more (stdout closed, no report file): stop new sends, quietly."""
        if self._stop is not None:
            self._stop.set()

    @contextlib.contextmanager
    def watch(self, stop: asyncio.Event) -> Iterator[None]:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        task = asyncio.current_task()

        def on_signal(number: int) -> None:
            if self.signal is not None and task is not None:
                task.cancel()  # the second signal: end now
            self.signal = number
            click.echo("corsprobe: interrupted; finishing the probes in flight (again to stop now)", err=True)
            stop.set()

        installed = []
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, on_signal, number)
                installed.append(number)
        self._stop = stop
        try:
            yield
        finally:
            self._stop = None
            for number in installed:
                loop.remove_signal_handler(number)

    @property
    def status(self) -> int | None:
        return None if self.signal is None else 128 + self.signal


STOPPED = Stopped()


def stream(jobs: Sequence[Job], options: dict[str, Any], secrets: frozenset[str] = frozenset()) -> NoReturn:
    """Run the jobs and write each row as it completes (``sink.RowSink``), then exit with the run's status."""
    from corsprobe.commands.http_options import http2_choice
    from corsprobe.console import Terminal
    from corsprobe.sink import RowSink

    http2_choice(options, (job.probe.url for job in jobs))  # its usage errors before any output is begun
    try:
        sink = RowSink(output_of(options, secrets), Terminal.current(), on_closed=STOPPED.end_early).open()
    except OSError as error:
        _report_error(error)
    try:
        interruptible(run_into(jobs, options, sink.add))
    finally:  # after a signal too: the rows done so far, with "interrupted": true
        try:
            tally = sink.close(STOPPED.status is not None)
        except OSError as error:
            _report_error(error)
    sys.exit(status_of(tally.exit_status(), options))


def finish(results: list[Result], options: dict[str, Any], secrets: frozenset[str] = frozenset(),
           exit_now: bool = True) -> int:
    """Write rows already in hand; exit (or return the status)."""
    from corsprobe.console import Terminal, emit
    from corsprobe.output.report import exit_status

    try:
        emit(results, output_of(options, secrets), Terminal.current())
    except OSError as error:
        _report_error(error)
    status = status_of(exit_status(results), options)
    if exit_now:
        sys.exit(status)
    return status


def output_of(options: dict[str, Any], secrets: frozenset[str] = frozenset()) -> Output:
    from corsprobe.console import Output

    return Output(fmt=options["fmt"], verbose=options["verbose"], color=options["color"],
                  secrets=secrets | _declared(options), report_junit=options["report_junit"],
                  report_json=options["report_json"], layout=options.get("layout") or "table",
                  report_html=options.get("report_html"), show_readable=options.get("show_readable", False),
                  interrupted=STOPPED.status is not None, report_jsonl=options.get("report_jsonl"))


def status_of(status: ExitStatus, options: dict[str, Any]) -> int:
    """--exit-zero, and 130/143 after SIGINT/SIGTERM."""
    from corsprobe.output.report import ExitStatus

    if STOPPED.status is not None:
        return STOPPED.status
    if options["exit_zero"] and status is ExitStatus.EXPECTATION_FAILED:
        return ExitStatus.OK
    return int(status)


def interruptible(coroutine: Coroutine[Any, Any, T]) -> T:
    import asyncio

    from corsprobe.output.report import ExitStatus

    try:
        return asyncio.run(coroutine)
    except (KeyboardInterrupt, asyncio.CancelledError):
        click.echo("corsprobe: interrupted", err=True)
        sys.exit(STOPPED.status or ExitStatus.INTERRUPTED)


def _report_error(error: OSError) -> NoReturn:
    """A report that cannot be written is a usage error; a closed stdout pipe ends as one (``cli``)."""
    if error.errno == errno.EPIPE:
        raise error
    _usage_error(f"cannot write a report: {error}")


def _usage_error(message: str) -> NoReturn:
    from corsprobe.commands.common import usage_error

    usage_error(message)


def _declared(options: dict[str, Any]) -> frozenset[str]:
    from corsprobe.commands.common import declared_secrets

    return declared_secrets(options)
