"""The ``corsprobe`` command: parse arguments, call the runner, hand results to the console.

No CORS rules live here. Does I/O through ``loading`` (files), ``runner`` (HTTP) and
``console`` (streams).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, NoReturn, TypeVar

import click

from corsprobe import __version__, verified
from corsprobe.console import Output, Progress, Terminal, emit, masker_for
from corsprobe.errors import ScenarioError
from corsprobe.model import Credentials, Expectation, Job, Probe, Result, Verdict
from corsprobe.output.render import FORMATS
from corsprobe.output.report import ExitStatus, exit_status
from corsprobe.output.secrets import Masker
from corsprobe.scenarios.variables import parse_assignments, secret_assignment

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"corsprobe {__version__} ({verified.describe()})")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and the Chromium version the engine was verified against.")
def main() -> None:
    """Would a browser on origin X be allowed to make this request to this live API?"""


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


network_options = _options(
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
)
output_options = _options(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                 help="Output format on stdout."),
    click.option("-v", "--verbose", is_flag=True, help="Show the raw exchanges (secrets masked)."),
    click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                 help="Colour the verdicts (NO_COLOR is honoured)."),
    click.option("--report-junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here."),
    click.option("--report-json", type=click.Path(dir_okay=False), help="Also write the JSON report here."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when expectations fail (not on usage errors)."),
)
scenario_options = _options(
    click.argument("paths", nargs=-1, required=True, type=click.Path()),
    click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Define ${NAME}."),
    click.option("--only", "only", multiple=True, metavar="TEXT",
                 help="Run only probes whose name contains TEXT (repeatable)."),
)


@main.command()
@click.argument("url")
@click.option("--origin", required=True, help="The page's origin, e.g. https://app.example.com.")
@click.option("--method", "-X", default="GET", show_default=True, help="As the page writes it.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="A request header the page sets (repeatable).")
@click.option("--body", help="A string body (implies Content-Type text/plain;charset=UTF-8).")
@click.option("--credentials", is_flag=True, help="fetch(..., {credentials: 'include'}).")
@click.option("--cookie", help="Cookie header a credentialed actual request carries.")
@click.option("--send-unsafe", is_flag=True, help="Also send actual requests other than GET/HEAD/OPTIONS.")
@click.option("--expect", type=click.Choice(["allowed", "blocked", "error"]), help="Exit 1 unless the verdict is this.")
@output_options
@network_options
def check(url: str, origin: str, method: str, headers: tuple[str, ...], body: str | None, credentials: bool,
          cookie: str | None, send_unsafe: bool, expect: str | None, **options: Any) -> None:
    """Probe one request: what would a browser on ORIGIN do with it?"""
    if origin != "null" and not origin.startswith(("http://", "https://")):
        raise click.BadParameter(f"{origin!r} is not an origin; write e.g. https://app.example.com",
                                 param_hint="--origin")
    probe = Probe(url=url, origin=origin, method=method, headers=_parse_headers(headers), body=body,
                  credentials=Credentials.INCLUDE if credentials else Credentials.OMIT,
                  send_unsafe=send_unsafe, cookie=cookie)
    _finish(_probe_all([Job(probe, Expectation(Verdict(expect)) if expect else None)], options), options)


@main.command()
@scenario_options
@click.option("--base-url", help="Use this base URL instead of the files' (or the environment's).")
@click.option("--env", "env", help="Use the named [env.NAME] table.")
@output_options
@network_options
def run(paths: tuple[str, ...], base_url: str | None, env: str | None, **options: Any) -> None:
    """Run scenario files (or every *.toml under a directory)."""
    jobs, secrets = _load(paths, base_url, env, options)
    _finish(_probe_all(jobs, options), options, secrets)


@main.command()
@scenario_options
@click.option("--env", "envs", multiple=True, metavar="NAME", help="An environment to compare (give two).")
@click.option("--base-url", "base_urls", multiple=True, metavar="URL", help="A base URL to compare (give two).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format on stdout.")
@network_options
def diff(paths: tuple[str, ...], envs: tuple[str, ...], base_urls: tuple[str, ...], fmt: str,
         **options: Any) -> None:
    """Run the same probes against two environments and show what differs."""
    from corsprobe.output.diff import compare
    from corsprobe.output.render.diff_formats import render_diff

    sides: list[tuple[str, str | None, str | None]] = [(e, None, e) for e in envs]
    sides += [(u, u, None) for u in base_urls]
    if len(sides) != 2:
        raise click.UsageError("give exactly two of --env NAME / --base-url URL to compare")
    loaded = [_load(paths, base, env, options) for _label, base, env in sides]
    results = [_probe_all(jobs, options) for jobs, _ in loaded]
    secrets = loaded[0][1] | loaded[1][1]
    outcome = compare(results[0], results[1], sides[0][0], sides[1][0])
    masker = masker_for([*results[0], *results[1]], secrets | _declared_secrets(options))
    click.echo(render_diff(outcome, fmt, masker), nl=False)
    if outcome.changed:
        sys.exit(ExitStatus.EXPECTATION_FAILED)
    errors = any(r.outcome.verdict is Verdict.ERROR for side in results for r in side)
    sys.exit(ExitStatus.PROBE_ERROR if errors else ExitStatus.OK)


@main.command()
@output_options
@network_options
def demo(**options: Any) -> None:
    """Start a local demo API, run the demo scenarios against it, print the table."""
    from corsprobe import demo as demo_server
    from corsprobe.scenarios.parse import parse

    async def go() -> list[Result]:
        async with demo_server.serve() as base:
            jobs = parse(demo_server.demo_scenario_text(), "scenarios/demo.toml", base_url=base)
            return await _run(jobs, options)

    results = _interruptible(go())
    status = _finish(results, options, exit_now=False)
    click.echo("This was the demo: one expectation fails on purpose (the loose API lets "
               "https://evil.example read authenticated data).", err=True)
    sys.exit(ExitStatus.PROBE_ERROR if status is ExitStatus.PROBE_ERROR else ExitStatus.OK)


def _load(paths: Sequence[str], base_url: str | None, env: str | None,
          options: dict[str, Any]) -> tuple[list[Job], frozenset[str]]:
    from corsprobe.scenarios.loading import load_paths, named

    try:
        variables = parse_assignments(options["variables"], "--var")
        variables.update(pair for s in options["secrets"] if (pair := secret_assignment(s)))
        batch = load_paths(paths, base_url=base_url, env=env, variables=variables, environ=dict(os.environ))
    except (ScenarioError, ValueError) as error:
        _usage_error(Masker.of(_declared_secrets(options)).text(str(error)))
    jobs = batch.jobs
    if options["only"]:
        jobs = named(jobs, options["only"])
        if not jobs:
            _usage_error(f"no probe name contains {' or '.join(map(repr, options['only']))}")
    return jobs, batch.secrets


def _probe_all(jobs: list[Job], options: dict[str, Any]) -> list[Result]:
    return _interruptible(_run(jobs, options))


async def _run(jobs: list[Job], options: dict[str, Any]) -> list[Result]:
    from corsprobe.browser.profiles import profile_named
    from corsprobe.runner import ClientOptions, run_all

    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                           proxy=options["proxy"], concurrency=options["concurrency"], retries=options["retries"],
                           profile=profile_named(options["browser"]))
    progress = Progress(Terminal.current(), len(jobs))
    try:
        return await run_all(jobs, client, on_result=progress)
    finally:
        progress.close()


def _finish(results: list[Result], options: dict[str, Any], secrets: frozenset[str] = frozenset(),
            exit_now: bool = True) -> ExitStatus:
    output = Output(fmt=options["fmt"], verbose=options["verbose"], color=options["color"],
                    secrets=secrets | _declared_secrets(options), report_junit=options["report_junit"],
                    report_json=options["report_json"])
    try:
        emit(results, output, Terminal.current())
    except OSError as error:
        _usage_error(f"cannot write a report: {error}")
    status = exit_status(results)
    if options["exit_zero"] and status is ExitStatus.EXPECTATION_FAILED:
        status = ExitStatus.OK
    if exit_now:
        sys.exit(status)
    return status


def _declared_secrets(options: dict[str, Any]) -> frozenset[str]:
    return frozenset(pair[1] if (pair := secret_assignment(s)) else s for s in options["secrets"])


def _interruptible(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coroutine)
    except KeyboardInterrupt:
        click.echo("corsprobe: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)


def _parse_headers(raw: Sequence[str]) -> tuple[tuple[str, str], ...]:
    headers = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not 'Name: value'", param_hint="-H")
        headers.append((name.strip(), value.strip()))
    return tuple(headers)


def _usage_error(message: str) -> NoReturn:
    click.echo(f"corsprobe: error: {message}", err=True)
    sys.exit(ExitStatus.USAGE)
