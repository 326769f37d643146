"""What the commands share: the option groups, loading scenario files, running jobs, emitting results, exiting.

No CORS rules live here. Does I/O through ``loading`` (files), ``runner`` (HTTP) and ``console`` (streams).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from corsprobe.commands.running import (
    STOPPED,
    Stopped,
    finish,
    interruptible,
    output_of,
    probe_all,
    run,
    run_into,
    status_of,
    stream,
)
from corsprobe.output.formats import FORMATS

if TYPE_CHECKING:
    from corsprobe.model import Job

# Re-exported from ``running``: the commands call common.stream, common.probe_all, ...
__all__ = ["STOPPED", "Stopped", "finish", "interruptible", "output_of", "probe_all", "run", "run_into", "status_of",
           "stream"]

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
    click.option("--report-jsonl", type=click.Path(dir_okay=False),
                 help="Also write JSON lines here: one line per row as it completes, then a summary line."),
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
          options: dict[str, Any], texts: Sequence[tuple[str, str]] = ()) -> tuple[Sequence[Job], frozenset[str]]:
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


def declared_secrets(options: dict[str, Any]) -> frozenset[str]:
    from corsprobe.scenarios.variables import secret_assignment

    return frozenset(pair[1] if (pair := secret_assignment(s)) else s for s in options["secrets"])


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
