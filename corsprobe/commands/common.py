"""What the commands share: the option groups, loading scenario files, running jobs, emitting results, exiting.

No CORS rules live here. Does I/O through ``loading`` (files), ``runner`` (HTTP) and ``console`` (streams).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from corsprobe.commands.http_options import http2_choice, protocol_options
from corsprobe.output.formats import FORMATS

if TYPE_CHECKING:
    import asyncio

    from corsprobe.model import Job, Result
    from corsprobe.output.report import ExitStatus

# Only click and the format names load for --help; everything else is imported where it is used
# (tests/cli/test_startup.py keeps it so).

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def options_group(*options: Callable[[F], F]) -> Callable[[F], F]:
    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


BROWSER_HELP = (
    "Whose CORS rules to apply (docs/browser-notes.md). 'all' runs every probe under all three and shows per "
    "row where they disagree (verdicts shown: Chromium's; an expectation must hold in every engine). "
    "'webkit' is verified against WebKitGTK (Linux, libsoup), not Safari: Safari on macOS/iOS uses Apple's "
    "network stack (CFNetwork), blocks third-party cookies and applies ITP, and has no Local Network Access "
    "prompt; its CORS checks (WebCore) are the same code."
)
network_options = options_group(
    protocol_options,
    click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                 help="Seconds per exchange: connect, send, response head and body read together."),
    click.option("--max-body", type=click.IntRange(min=0), default=1024 * 1024, show_default=True,
                 metavar="BYTES", help="Read at most this much of an actual response's body (a preflight's: none)."),
    click.option("--rate", type=click.FloatRange(min=0.01), default=None, metavar="N",
                 help="At most N requests per second to any one host."),
    click.option("--max-per-host", type=click.IntRange(min=1), default=None, metavar="N",
                 help="At most N exchanges in flight to any one host."),
    click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
    click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="Verify TLS with this CA (PEM)."),
    click.option("--proxy", help="Proxy URL (default: the environment's proxy variables)."),
    click.option("--browser", type=click.Choice(["chromium", "firefox", "webkit", "all"]), default="chromium",
                 show_default=True, help=BROWSER_HELP),
    click.option("--retries", type=click.IntRange(min=0, max=10), default=0, show_default=True,
                 help="Retry transport failures (never a verdict) this many times."),
    click.option("--secret", "secrets", multiple=True, metavar="VALUE|NAME=VALUE",
                 help="Mask VALUE in every output; NAME=VALUE also defines variable ${NAME}."),
    click.option("--no-extra-probes", is_flag=True,
                 help="Send only the browser's requests (no comparison probes: GET vs OPTIONS, canary origin)."),
    click.option("--server-layer", metavar="ID", callback=lambda _c, _p, v: _layer_id(v),
                 help="The CORS layer that answers (starlette, flask-cors, ...): overrides detection."),
)


def _warning_codes(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from corsprobe.reasons import warning_problem

    for code in value:
        problem = warning_problem(code)
        if problem:
            raise click.BadParameter(problem, param_hint="--ignore-warning")
    return value


def _layer_id(value: str | None) -> str | None:
    from corsprobe.layers import layer_ids

    if value is not None and value not in layer_ids():
        raise click.BadParameter(f"{value!r} is not a known layer; write one of {', '.join(layer_ids())}")
    return value


#: Only for commands that run many probes (``check`` runs one: its --help does not list it).
concurrency_option = click.option("--concurrency", type=click.IntRange(min=1, max=256), default=8, show_default=True,
                                  help="Probes in flight at once.")
output_options = options_group(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                 help="Output format on stdout."),
    click.option("-v", "--verbose", is_flag=True, help="Show the raw exchanges (secrets masked)."),
    click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                 help="Colour the verdicts (NO_COLOR is honoured)."),
    click.option("--report-junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here."),
    click.option("--report-json", type=click.Path(dir_okay=False), help="Also write the JSON report here."),
    click.option("--report-html", type=click.Path(dir_okay=False),
                 help="Also write a self-contained HTML report here."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when expectations fail (not on usage errors)."),
    click.option("--ignore-warning", "ignore_warnings", multiple=True, metavar="CODE", callback=_warning_codes,
                 help="Do not show this warning (repeatable), e.g. local_network_access."),
)
scenario_flags = options_group(
    click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Define ${NAME}."),
    click.option("--only", "only", multiple=True, metavar="TEXT",
                 help="Run only probes whose name contains TEXT (repeatable)."),
    click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
                 help="Refuse a run of more rows than this (counted before the matrix is expanded)."),
)
scenario_options = options_group(click.argument("paths", nargs=-1, required=True, type=click.Path()), scenario_flags)


def load(paths: Sequence[str], base_url: str | None, env: str | None,
          options: dict[str, Any], texts: Sequence[tuple[str, str]] = ()) -> tuple[list[Job], frozenset[str]]:
    from corsprobe.errors import ScenarioError
    from corsprobe.output.secrets import Masker
    from corsprobe.scenarios.loading import load_paths, named
    from corsprobe.scenarios.variables import parse_assignments, secret_assignment

    try:
        variables = parse_assignments(options["variables"], "--var")
        variables.update(pair for s in options["secrets"] if (pair := secret_assignment(s)))
        batch = load_paths(paths, base_url=base_url, env=env, variables=variables, environ=dict(os.environ),
                           texts=texts, max_rows=options["max_rows"])
    except (ScenarioError, ValueError) as error:
        usage_error(str(error), declared_secrets(options))
    for note in batch.notes:
        click.echo(f"corsprobe: {Masker.of(batch.secrets).text(note)}", err=True)
    jobs = batch.jobs
    if options["only"]:
        jobs = named(jobs, options["only"])
        if not jobs:
            usage_error(f"no probe name contains {' or '.join(map(repr, options['only']))}")
    return jobs, batch.secrets


def probe_all(jobs: list[Job], options: dict[str, Any]) -> list[Result]:
    return interruptible(run(jobs, options))


async def run(jobs: list[Job], options: dict[str, Any]) -> list[Result]:
    from corsprobe.browser.profiles import profile_named
    from corsprobe.console import Progress, Terminal
    from corsprobe.model import without_warnings
    from corsprobe.output.engines import ENGINE_ORDER, combine
    from corsprobe.runner import ClientOptions, RunPolicy, run_all

    names = ENGINE_ORDER if options["browser"] == "all" else (options["browser"],)
    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                           proxy=options["proxy"], max_body=options["max_body"],
                           http2=http2_choice(options, [job.probe.url for job in jobs]))
    policies = [RunPolicy(profile_named(name), concurrency=options.get("concurrency", 1),
                          retries=options["retries"], rate=options["rate"], max_per_host=options["max_per_host"],
                          extra_probes=not options.get("no_extra_probes", False))
                for name in names]
    if options.get("server_layer"):
        jobs = [replace(job, server_layer=options["server_layer"]) for job in jobs]
    progress = Progress(Terminal.current(), len(jobs) * len(names))
    import asyncio

    stop = asyncio.Event()
    try:  # one engine after the other: each walks its own requests against the live API
        with STOPPED.watch(stop):
            runs = [await run_all(jobs, client, policy, on_result=progress, stop=stop) for policy in policies]
    finally:
        progress.close()
    if len(runs) > 1 and len({len(r) for r in runs}) > 1:  # interrupted between engines: complete rows only
        runs = [r[:min(len(r) for r in runs)] for r in runs]
    # An interrupted run's rows are a prefix of the jobs (jobs are taken in order, in-flight ones finish).
    ignored = frozenset(options.get("ignore_warnings") or ())
    runs = [[without_warnings(result, ignored | frozenset(job.ignore_warnings)) for result, job in
             zip(run, jobs[:len(run)], strict=True)] for run in runs]
    return combine(runs) if len(runs) > 1 else runs[0]


class Stopped:
    """SIGINT/SIGTERM during a run: the first stops new sends (rows in flight end, the rows done so
    far are written as usual, then the exit is 130 or 143); a second one ends at once."""

    def __init__(self) -> None:
        self.signal: int | None = None

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
        try:
            yield
        finally:
            for number in installed:
                loop.remove_signal_handler(number)

    @property
    def status(self) -> int | None:
        return None if self.signal is None else 128 + self.signal


STOPPED = Stopped()


def finish(results: list[Result], options: dict[str, Any], secrets: frozenset[str] = frozenset(),
            exit_now: bool = True) -> ExitStatus:
    from corsprobe.console import Output, Terminal, emit
    from corsprobe.output.report import ExitStatus, exit_status

    output = Output(fmt=options["fmt"], verbose=options["verbose"], color=options["color"],
                    secrets=secrets | declared_secrets(options), report_junit=options["report_junit"],
                    report_json=options["report_json"], layout=options.get("layout") or "table",
                    report_html=options.get("report_html"), show_readable=options.get("show_readable", False),
                    interrupted=STOPPED.status is not None)
    try:
        emit(results, output, Terminal.current())
    except OSError as error:
        usage_error(f"cannot write a report: {error}")
    status = exit_status(results)
    if options["exit_zero"] and status is ExitStatus.EXPECTATION_FAILED:
        status = ExitStatus.OK
    if STOPPED.status is not None:
        sys.exit(STOPPED.status)
    if exit_now:
        sys.exit(status)
    return status


def declared_secrets(options: dict[str, Any]) -> frozenset[str]:
    from corsprobe.scenarios.variables import secret_assignment

    return frozenset(pair[1] if (pair := secret_assignment(s)) else s for s in options["secrets"])


def interruptible(coroutine: Coroutine[Any, Any, T]) -> T:
    import asyncio

    from corsprobe.output.report import ExitStatus

    try:
        return asyncio.run(coroutine)
    except (KeyboardInterrupt, asyncio.CancelledError):
        click.echo("corsprobe: interrupted", err=True)
        sys.exit(STOPPED.status or ExitStatus.INTERRUPTED)


def parse_headers(raw: Sequence[str]) -> tuple[tuple[str, str], ...]:
    headers: list[tuple[str, str]] = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            # The value is not echoed: it may be a credential written without its name.
            raise click.BadParameter(f"header #{len(headers) + 1} has no 'Name:' part; write -H 'Name: value'",
                                     param_hint="-H")
        headers.append((name.strip(), value.strip()))
    return tuple(headers)


def usage_error(message: str, secrets: Iterable[str] = ()) -> NoReturn:
    """One line on stderr, secrets (declared values, URL secrets) masked; exit 2."""
    from corsprobe.output.report import ExitStatus
    from corsprobe.output.secrets import Masker

    click.echo(f"corsprobe: error: {Masker.of(secrets).text(message)}", err=True)
    sys.exit(ExitStatus.USAGE)
