"""What the commands share: the option groups, loading scenario files, running jobs, emitting results, exiting.

No CORS rules live here. Does I/O through ``loading`` (files), ``runner`` (HTTP) and ``console`` (streams).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import replace
from typing import Any, NoReturn, TypeVar

import click

from corsprobe.console import Output, Progress, Terminal, emit
from corsprobe.errors import ScenarioError
from corsprobe.model import Job, Result
from corsprobe.output.render import FORMATS
from corsprobe.output.report import ExitStatus, exit_status
from corsprobe.output.secrets import Masker
from corsprobe.scenarios.variables import parse_assignments, secret_assignment

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
    click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                 help="Seconds per request."),
    click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
    click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="Verify TLS with this CA (PEM)."),
    click.option("--proxy", help="Proxy URL (default: the environment's proxy variables)."),
    click.option("--concurrency", type=click.IntRange(min=1, max=256), default=8, show_default=True,
                 help="Probes in flight at once."),
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


def _layer_id(value: str | None) -> str | None:
    from corsprobe.layers import layer_ids

    if value is not None and value not in layer_ids():
        raise click.BadParameter(f"{value!r} is not a known layer; write one of {', '.join(layer_ids())}")
    return value
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
)
scenario_flags = options_group(
    click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Define ${NAME}."),
    click.option("--only", "only", multiple=True, metavar="TEXT",
                 help="Run only probes whose name contains TEXT (repeatable)."),
)
scenario_options = options_group(click.argument("paths", nargs=-1, required=True, type=click.Path()), scenario_flags)


def load(paths: Sequence[str], base_url: str | None, env: str | None,
          options: dict[str, Any], texts: Sequence[tuple[str, str]] = ()) -> tuple[list[Job], frozenset[str]]:
    from corsprobe.scenarios.loading import load_paths, named

    try:
        variables = parse_assignments(options["variables"], "--var")
        variables.update(pair for s in options["secrets"] if (pair := secret_assignment(s)))
        batch = load_paths(paths, base_url=base_url, env=env, variables=variables, environ=dict(os.environ),
                           texts=texts)
    except (ScenarioError, ValueError) as error:
        usage_error(str(error), declared_secrets(options))
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
    from corsprobe.output.engines import ENGINE_ORDER, combine
    from corsprobe.runner import ClientOptions, run_all

    names = ENGINE_ORDER if options["browser"] == "all" else (options["browser"],)
    clients = [ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                             proxy=options["proxy"], concurrency=options["concurrency"], retries=options["retries"],
                             profile=profile_named(name), extra_probes=not options.get("no_extra_probes", False))
               for name in names]
    if options.get("server_layer"):
        jobs = [replace(job, server_layer=options["server_layer"]) for job in jobs]
    progress = Progress(Terminal.current(), len(jobs) * len(names))
    try:  # one engine after the other: each walks its own requests against the live API
        runs = [await run_all(jobs, client, on_result=progress) for client in clients]
    finally:
        progress.close()
    return combine(runs) if len(runs) > 1 else runs[0]


def finish(results: list[Result], options: dict[str, Any], secrets: frozenset[str] = frozenset(),
            exit_now: bool = True) -> ExitStatus:
    output = Output(fmt=options["fmt"], verbose=options["verbose"], color=options["color"],
                    secrets=secrets | declared_secrets(options), report_junit=options["report_junit"],
                    report_json=options["report_json"], layout=options.get("layout") or "table",
                    report_html=options.get("report_html"))
    try:
        emit(results, output, Terminal.current())
    except OSError as error:
        usage_error(f"cannot write a report: {error}")
    status = exit_status(results)
    if options["exit_zero"] and status is ExitStatus.EXPECTATION_FAILED:
        status = ExitStatus.OK
    if exit_now:
        sys.exit(status)
    return status


def declared_secrets(options: dict[str, Any]) -> frozenset[str]:
    return frozenset(pair[1] if (pair := secret_assignment(s)) else s for s in options["secrets"])


def interruptible(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coroutine)
    except KeyboardInterrupt:
        click.echo("corsprobe: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)


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
    click.echo(f"corsprobe: error: {Masker.of(secrets).text(message)}", err=True)
    sys.exit(ExitStatus.USAGE)
