"""``corsprobe explain``: start from what the browser said (a console error, a DevTools copy, a HAR
file), rebuild the request, probe it live and put the browser's reason next to the live verdict."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from corsprobe.browser import origins
from corsprobe.commands import common
from corsprobe.console import Terminal, masker_for, write_file
from corsprobe.model import Credentials, Job, Probe, Result
from corsprobe.output.render import RenderOptions, renderer
from corsprobe.output.report import ExitStatus, exit_status
from corsprobe.output.secrets import is_secret_header
from corsprobe.paste.compare import compare
from corsprobe.paste.dispatch import parse, parse_har
from corsprobe.paste.item import Pasted, PasteError


@click.command()
@click.argument("text", required=False)
@click.option("--har", "har_file", type=click.Path(dir_okay=False), help="Replay a HAR 1.2 export instead.")
@click.option("--only-failed", is_flag=True, help="With --har: only the requests that failed in the browser.")
@click.option("--origin", help="The page's origin where the paste does not name it (Firefox never does).")
@click.option("--method", "-X", help="The method where the paste does not name it.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="A header the page set that the paste does not show (repeatable).")
@click.option("--credentials/--no-credentials", default=None,
              help="Override the credentials mode (default: from the paste, else omit).")
@click.option("--send-unsafe", is_flag=True, help="Also send actual requests other than GET/HEAD/OPTIONS.")
@click.option("--dry-run", is_flag=True, help="Only show what was read from the paste; send nothing.")
@common.output_options
@common.network_options
def explain(text: str | None, har_file: str | None, only_failed: bool, origin: str | None, method: str | None,
            headers: tuple[str, ...], credentials: bool | None, send_unsafe: bool, dry_run: bool,
            **options: Any) -> None:
    """Explain a pasted browser CORS error, "Copy as cURL/fetch" or HAR by probing it live."""
    items = _read(text, har_file, common.declared_secrets(options))
    if only_failed:
        items = [item for item in items if item.failed]
    items = [_complete(item, origin, method, common.parse_headers(headers), credentials) for item in items]
    secrets = _secrets(items) | common.declared_secrets(options)
    jobs = [Job(_probe(item, send_unsafe), source=f"paste #{i} ({item.kind.value})")
            for i, item in enumerate(items, 1)]
    results = [] if dry_run else common.probe_all(jobs, options)
    sys.exit(_emit(items, results, options, secrets, dry_run))


def _read(text: str | None, har_file: str | None, declared: frozenset[str]) -> list[Pasted]:
    from corsprobe.output.secrets import Masker

    if har_file is not None and text is not None:
        common.usage_error("give either TEXT or --har FILE, not both")
    try:
        if har_file is not None:
            try:
                return parse_har(Path(har_file).read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as error:
                common.usage_error(f"{har_file}: cannot read: {error}")
        if text is None or text == "-":
            if text is None and sys.stdin.isatty():
                common.usage_error("give the browser's text as an argument, '-' to read it from stdin, "
                                   "or --har FILE")
            text = sys.stdin.read()
        return parse(text)
    except PasteError as error:
        where = f"{har_file}: " if har_file else ""
        common.usage_error(Masker.of(declared).text(where + str(error)))


def _complete(item: Pasted, origin: str | None, method: str | None, headers: tuple[tuple[str, str], ...],
              credentials: bool | None) -> Pasted:
    """Fill in what the paste did not say from the options; refuse what cannot be probed."""
    if not item.url:
        common.usage_error(f"the {item.kind.value} text names no URL: paste the line that does "
                           "(e.g. Safari's 'Fetch API cannot load URL …')")
    if item.origin is None and origin is not None:
        if origin != "null" and origins.serialize_origin(origin) is None:
            raise click.BadParameter(f"{origin!r} is not an origin; write e.g. https://app.example.com",
                                     param_hint="--origin")
        item = replace(item, origin=origin, unknown=tuple(u for u in item.unknown if u != "origin"))
    if item.origin is None:
        common.usage_error(f"the {item.kind.value} text does not name the page's origin ({item.url}): "
                           "pass --origin, e.g. --origin https://app.example.com")
    if method is not None and "method" in item.unknown:
        item = replace(item, method=method, unknown=tuple(u for u in item.unknown if u != "method"))
    if headers:
        item = replace(item, headers=item.headers + headers)
    if credentials is not None:
        item = replace(item, credentials=Credentials.INCLUDE if credentials else Credentials.OMIT,
                       unknown=tuple(u for u in item.unknown if u != "credentials"))
    return item


def _probe(item: Pasted, send_unsafe: bool) -> Probe:
    assert item.origin is not None
    return Probe(url=item.url, origin=item.origin, method=item.method, headers=item.headers,
                 credentials=item.credentials or Credentials.OMIT, body=item.body, send_unsafe=send_unsafe,
                 cookie=item.cookie)


def _secrets(items: list[Pasted]) -> frozenset[str]:
    """Pasted cookies and Authorization (and other secret-named) values: masked everywhere."""
    values: set[str] = set()
    for item in items:
        values |= {v for n, v in item.headers if is_secret_header(n) and v}
        if item.cookie:
            values.add(item.cookie)
            values |= {part.strip().partition("=")[2] for part in item.cookie.split(";") if "=" in part}
    return frozenset(v for v in values if v)


def _emit(items: list[Pasted], results: list[Result], options: dict[str, Any], secrets: frozenset[str],
          dry_run: bool) -> int:
    from corsprobe.output.render import explained

    terminal = Terminal.current()
    masker = masker_for(results, secrets)
    color = options["fmt"] == "table" and terminal.color(options["color"])
    shown = RenderOptions(verbose=options["verbose"], color=color, masker=masker)
    plain = replace(shown, color=False)
    comparisons = [] if dry_run else [compare(item, result) for item, result in zip(items, results, strict=True)]
    fmt = options["fmt"]
    if fmt == "json":
        out = explained.render_json(items, results, comparisons, shown)
    elif dry_run:
        out = explained.render_parsed(items, shown)
    elif fmt == "table":
        out = explained.render_table(items, results, comparisons, shown)
    else:
        out = renderer(fmt)(results, shown)
    terminal.stdout.write(out)
    terminal.stdout.flush()
    try:
        if options["report_json"]:
            write_file(options["report_json"], explained.render_json(items, results, comparisons, plain))
        if options["report_junit"]:
            write_file(options["report_junit"], renderer("junit")(results, plain))
        if options.get("report_jsonl"):
            write_file(options["report_jsonl"], renderer("jsonl")(results, plain))
    except OSError as error:
        common.usage_error(f"cannot write a report: {error}")
    status = exit_status(results)
    if options["exit_zero"] and status is ExitStatus.EXPECTATION_FAILED:
        status = ExitStatus.OK
    return int(status)
