"""What the commands share: the option groups, loading scenario files, running jobs, emitting results, exiting.

No CORS rules live here. Does I/O through ``loading`` (files), ``runner`` (HTTP) and ``console`` (streams).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
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


network_options = options_group(
    click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                 help="Seconds per request."),
    click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
    click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="Verify TLS with this CA (PEM)."),
    click.option("--proxy", help="Proxy URL (default: the environment's proxy variables)."),
    click.option("--concurrency", type=click.IntRange(min=1, max=256), default=8, show_default=True,
                 help="Probes in flight at once."),
    click.option("--browser", type=click.Choice(["chromium", "firefox", "webkit"]), default="chromium",
                 show_default=True, help="Whose CORS rules to apply (known differences, see docs/browser-notes.md)."),
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
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when expectations fail (not on usage errors)."),
)
scenario_options = options_group(
    click.argument("paths", nargs=-1, required=True, type=click.Path()),
    click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Define ${NAME}."),
    click.option("--only", "only", multiple=True, metavar="TEXT",
                 help="Run only probes whose name contains TEXT (repeatable)."),
)


def load(paths: Sequence[str], base_url: str | None, env: str | None,
          options: dict[str, Any]) -> tuple[list[Job], frozenset[str]]:
    from corsprobe.scenarios.loading import load_paths, named

    try:
        variables = parse_assignments(options["variables"], "--var")
        variables.update(pair for s in options["secrets"] if (pair := secret_assignment(s)))
        batch = load_paths(paths, base_url=base_url, env=env, variables=variables, environ=dict(os.environ))
    except (ScenarioError, ValueError) as error:
        usage_error(Masker.of(declared_secrets(options)).text(str(error)))
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
    from corsprobe.runner import ClientOptions, run_all

    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                           proxy=options["proxy"], concurrency=options["concurrency"], retries=options["retries"],
                           profile=profile_named(options["browser"]),
                           extra_probes=not options.get("no_extra_probes", False))
    if options.get("server_layer"):
        jobs = [replace(job, server_layer=options["server_layer"]) for job in jobs]
    progress = Progress(Terminal.current(), len(jobs))
    try:
        return await run_all(jobs, client, on_result=progress)
    finally:
        progress.close()


def finish(results: list[Result], options: dict[str, Any], secrets: frozenset[str] = frozenset(),
            exit_now: bool = True) -> ExitStatus:
    output = Output(fmt=options["fmt"], verbose=options["verbose"], color=options["color"],
                    secrets=secrets | declared_secrets(options), report_junit=options["report_junit"],
                    report_json=options["report_json"])
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
    headers = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not 'Name: value'", param_hint="-H")
        headers.append((name.strip(), value.strip()))
    return tuple(headers)


def usage_error(message: str) -> NoReturn:
    click.echo(f"corsprobe: error: {message}", err=True)
    sys.exit(ExitStatus.USAGE)
