"""The ``corsprobe`` command: parse, call, render. No CORS rules live here.

Terminal facts (colour, environment) come from one ``Terminal`` value so tests never patch
globals. Does I/O: reads scenario files, runs the runner, writes to stdout/stderr.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from corsprobe import __version__, verified
from corsprobe.model import Credentials, Expectation, Job, Probe, Result, Verdict
from corsprobe.render import FORMATS, RenderOptions, renderer
from corsprobe.report import ExitStatus, exit_status
from corsprobe.scenarios import ScenarioError, parse
from corsprobe.secrets import Masker, is_secret_header

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Terminal:
    """What corsprobe needs to know about where it prints."""

    isatty: bool
    environ: Mapping[str, str]

    @classmethod
    def current(cls) -> Terminal:
        return cls(sys.stdout.isatty(), os.environ)

    def color(self, choice: str) -> bool:
        """--color, then NO_COLOR, FORCE_COLOR, TERM=dumb, then isatty."""
        if choice != "auto":
            return choice == "always"
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        if self.environ.get("TERM") == "dumb":
            return False
        return self.isatty


def _version_text() -> str:
    return f"corsprobe {__version__} ({verified.describe()})"


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and the Chromium version the engine was verified against.")
def main() -> None:
    """Would a browser on origin X be allowed to make this request to this live API?"""


def output_options(func: F) -> F:
    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="Output format on stdout."),
        click.option("-v", "--verbose", is_flag=True, help="Show the raw exchanges (secrets masked)."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True, help="Colour the verdicts (NO_COLOR is honoured)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                     help="Seconds per request."),
        click.option("--insecure", is_flag=True, help="Do not verify TLS certificates."),
        click.option("--cacert", type=click.Path(exists=True, dir_okay=False),
                     help="Verify TLS with this CA bundle (PEM)."),
        click.option("--proxy", help="Proxy URL (default: the environment's proxy variables)."),
        click.option("--concurrency", type=click.IntRange(min=1, max=256), default=8, show_default=True,
                     help="Probes in flight at once."),
        click.option("--secret", "secrets", multiple=True, metavar="VALUE",
                     help="A value to mask in every output (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.argument("url")
@click.option("--origin", required=True, help="The page's origin, e.g. https://app.example.com.")
@click.option("--method", "-X", default="GET", show_default=True, help="As the page writes it.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="A request header the page sets (repeatable).")
@click.option("--body", help="A string body (implies Content-Type text/plain;charset=UTF-8).")
@click.option("--credentials", is_flag=True, help="fetch(..., {credentials: 'include'}).")
@click.option("--cookie", help="Cookie header a credentialed actual request carries.")
@click.option("--send-unsafe", is_flag=True,
              help="Also send the actual request for methods other than GET/HEAD/OPTIONS.")
@click.option("--expect", type=click.Choice(["allowed", "blocked", "error"]),
              help="Exit 1 unless the verdict is this.")
@output_options
def check(url: str, origin: str, method: str, headers: tuple[str, ...], body: str | None,
          credentials: bool, cookie: str | None, send_unsafe: bool, expect: str | None,
          **options: Any) -> None:
    """Probe one request: what would a browser on ORIGIN do with it?"""
    if origin != "null" and not origin.startswith(("http://", "https://")):
        raise click.BadParameter(f"{origin!r} is not an origin; write e.g. https://app.example.com",
                                 param_hint="--origin")
    probe = Probe(url=url, origin=origin, method=method, headers=_parse_headers(headers), body=body,
                  credentials=Credentials.INCLUDE if credentials else Credentials.OMIT,
                  send_unsafe=send_unsafe, cookie=cookie)
    expectation = Expectation(Verdict(expect)) if expect else None
    _execute([Job(probe, expectation)], **options)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--base-url", help="Use this base URL instead of the files' base_url.")
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Run only probes whose name contains NAME (repeatable).")
@output_options
def run(paths: tuple[str, ...], base_url: str | None, only: tuple[str, ...], **options: Any) -> None:
    """Run scenario files (or every *.toml under a directory)."""
    jobs = load_jobs(paths, base_url)
    if only:
        jobs = [j for j in jobs if any(text in j.probe.name for text in only)]
        if not jobs:
            _usage_error(f"no probe name contains {' or '.join(map(repr, only))}")
    _execute(jobs, **options)


@main.command()
@output_options
def demo(**options: Any) -> None:
    """Start a local demo API, run the demo scenarios against it, print the table."""
    from corsprobe import demo as demo_server

    text = demo_server.demo_scenario_text()

    async def go() -> list[Result]:
        async with demo_server.serve() as base:
            jobs = parse(text, "scenarios/demo.toml", base_url=base)
            return await _run(jobs, options)

    results = asyncio.run(go())
    _print(results, options)
    click.echo("This was the demo: one expectation fails on purpose (the loose API lets "
               "https://evil.example read authenticated data).", err=True)
    status = exit_status(results)
    sys.exit(ExitStatus.PROBE_ERROR if status is ExitStatus.PROBE_ERROR else ExitStatus.OK)


def load_jobs(paths: Sequence[str], base_url: str | None) -> list[Job]:
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    if not files:
        _usage_error(f"no *.toml scenario files under {', '.join(paths)}")
    jobs: list[Job] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _usage_error(f"{file}: cannot read: {error}")
        try:
            jobs += parse(text, str(file), base_url=base_url)
        except ScenarioError as error:
            _usage_error(str(error))
    return jobs


def _execute(jobs: list[Job], **options: Any) -> None:
    try:
        results = asyncio.run(_run(jobs, options))
    except KeyboardInterrupt:
        click.echo("corsprobe: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    _print(results, options)
    sys.exit(exit_status(results))


async def _run(jobs: list[Job], options: Mapping[str, Any]) -> list[Result]:
    from corsprobe.runner import ClientOptions, run_all

    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"],
                           cacert=options["cacert"], proxy=options["proxy"],
                           concurrency=options["concurrency"])
    return await run_all(jobs, client)


def _print(results: list[Result], options: Mapping[str, Any]) -> None:
    terminal = Terminal.current()
    fmt = options["fmt"]
    render_options = RenderOptions(
        verbose=options["verbose"],
        color=fmt == "table" and terminal.color(options["color"]),
        masker=Masker.of([*options["secrets"], *_secret_values(results)]),
    )
    click.echo(renderer(fmt)(results, render_options), nl=False, color=render_options.color)


def _secret_values(results: list[Result]) -> list[str]:
    values: list[str] = []
    for result in results:
        probe = result.probe
        values += [v for n, v in probe.headers if is_secret_header(n)]
        values += [probe.cookie] if probe.cookie else []
    return values


def _parse_headers(raw: Sequence[str]) -> tuple[tuple[str, str], ...]:
    headers = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not 'Name: value'", param_hint="-H")
        headers.append((name.strip(), value.strip()))
    return tuple(headers)


def _usage_error(message: str) -> None:
    click.echo(f"corsprobe: error: {message}", err=True)
    sys.exit(ExitStatus.USAGE)

