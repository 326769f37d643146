"""``corsprobe audit``: find exploitable CORS misconfigurations (URLs, a URL file, or [[audit]] tables)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from corsprobe.commands import common, http_options
from corsprobe.errors import ScenarioError
from corsprobe.output.report import ExitStatus

SEVERITIES = ("info", "low", "medium", "high", "critical")


@click.command()
@click.argument("targets", nargs=-1, metavar="URL|FILE.toml...")
@click.option("--app-origin", "app_origins", multiple=True, metavar="ORIGIN",
              help="An origin meant to read the URLs (repeatable).")
@click.option("--from-file", "from_file", type=click.Path(dir_okay=False), help="Audit the URLs in this file.")
@click.option("--method", "methods", multiple=True, metavar="M", help="A method the app uses (repeatable).")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME[: VALUE]'",
              help="A request header the app sends (repeatable; never Cookie or Authorization).")
@click.option("--base-url", help="Join paths (URLs starting with '/', [[audit]] 'path') to this base URL.")
@click.option("--env", "env", help="Use the named [env.NAME] table of the scenario files or project config.")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Define ${NAME}.")
@click.option("--rate", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="At most this many requests per second to each host (0: no limit).")
@click.option("--max-requests", type=click.IntRange(min=4, max=1000), default=60, show_default=True,
              help="Requests per URL at most.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="medium", show_default=True,
              help="Exit 1 when a finding has at least this severity.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "junit", "github", "sarif"]),
              default="table", show_default=True, help="Output format on stdout.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every request sent and the CORS headers received.")
@click.option("--report-sarif", type=click.Path(dir_okay=False), help="Also write SARIF 2.1.0 here.")
@click.option("--report-json", type=click.Path(dir_okay=False), help="Also write the JSON report here.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds per request.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="Verify TLS with this CA (PEM).")
@click.option("--proxy", help="Proxy URL (default: the environment's proxy variables).")
@http_options.protocol_options
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=4, show_default=True,
              help="URLs audited at once.")
@click.option("--secret", "secrets", multiple=True, metavar="VALUE|NAME=VALUE",
              help="Mask VALUE in every output; NAME=VALUE also defines variable ${NAME}.")
def audit(targets: tuple[str, ...], app_origins: tuple[str, ...], from_file: str | None, methods: tuple[str, ...],
          headers: tuple[str, ...], base_url: str | None, env: str | None, fail_on: str, fmt: str,
          **options: Any) -> None:
    """Find exploitable CORS misconfigurations: can another site read these URLs with the user's cookies?"""
    from corsprobe.audit.codes import Severity
    from corsprobe.audit.model import Audit
    from corsprobe.audit.render import renderer
    from corsprobe.audit.runner import AuditOptions, audit_all
    from corsprobe.browser.profiles import CHROMIUM
    from corsprobe.console import write_file
    from corsprobe.output.secrets import Masker
    from corsprobe.runner import ClientOptions, RunPolicy

    found, secrets = _targets(targets, app_origins, from_file, methods, headers, base_url, env, options)
    client = ClientOptions(timeout=options["timeout"], insecure=options["insecure"], cacert=options["cacert"],
                           proxy=options["proxy"], http2=http_options.http2_choice(options, [t.url for t in found]))
    policy = RunPolicy(CHROMIUM, concurrency=options["concurrency"])
    audits: list[Audit] = common.interruptible(audit_all(found, AuditOptions(client, policy, options["rate"],
                                                                            options["max_requests"])))
    masker = Masker.of(secrets | common.declared_secrets(options) | {v for t in found for n, v in t.headers
                                                                      if _secret_name(n)})
    sys.stdout.write(renderer(fmt)(audits, masker))
    if options["verbose"]:
        from corsprobe.audit.render.table import exchanges

        (sys.stdout if fmt == "table" else sys.stderr).write("\n" + exchanges(audits, masker))
    try:
        for path, kind in ((options["report_sarif"], "sarif"), (options["report_json"], "json")):
            if path:
                write_file(path, renderer(kind)(audits, masker))
    except OSError as error:
        common.usage_error(f"cannot write a report: {error}")
    threshold = Severity(fail_on)
    if any(f.severity.at_least(threshold) for a in audits for f in a.findings):
        sys.exit(ExitStatus.EXPECTATION_FAILED)
    sys.exit(ExitStatus.PROBE_ERROR if any(a.error for a in audits) else ExitStatus.OK)


def _secret_name(name: str) -> bool:
    from corsprobe.output.secrets import is_secret_header

    return is_secret_header(name)


def _targets(args: tuple[str, ...], app_origins: tuple[str, ...], from_file: str | None, methods: tuple[str, ...],
             headers: tuple[str, ...], base_url: str | None, env: str | None,
             options: dict[str, Any]) -> tuple[list[Any], frozenset[str]]:
    from corsprobe.audit import targets as parse
    from corsprobe.scenarios.environments import Context
    from corsprobe.scenarios.loading import find_project_config, read_project_config
    from corsprobe.scenarios.variables import parse_assignments, secret_assignment

    found: list[Any] = []
    secrets: set[str] = set()
    try:
        header_pairs = [(n.strip(), v.strip()) for n, _, v in (h.partition(":") for h in headers)]
        urls = [a for a in args
                if a.startswith(("http://", "https://")) or (a.startswith("/") and not Path(a).exists())]
        files = [Path(a) for a in args if a not in urls]
        if from_file:
            text = _read(Path(from_file))
            for url, line in parse.url_lines(text, from_file):
                try:
                    found += parse.from_urls([url], app_origins, methods, header_pairs, base_url)
                except ValueError as error:
                    raise ScenarioError(from_file, line, str(error)) from None
        found += parse.from_urls(urls, app_origins, methods, header_pairs, base_url)
        if files:
            variables = parse_assignments(options["variables"], "--var")
            variables.update(pair for s in options["secrets"] if (pair := secret_assignment(s)))
            config = find_project_config(Path.cwd().resolve())
            context = Context(base_url=base_url, env=env, variables=variables, environ=dict(os.environ),
                              project=read_project_config(config) if config else None)
            for file in _toml_files(files):
                tables, used = parse.audit_tables(_read(file), str(file), context, tuple(app_origins))
                found += tables
                secrets |= used
    except (ScenarioError, ValueError) as error:
        common.usage_error(str(error))
    if not found:
        common.usage_error("nothing to audit: give URLs with --app-origin, --from-file FILE, or scenario files "
                           "with [[audit]] tables")
    return found, frozenset(secrets)


def _toml_files(paths: list[Path]) -> list[Path]:
    from corsprobe.audit.targets import has_audit_tables

    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ScenarioError(str(path), None, "no such file or directory (a URL starts with http:// or https://)")
        if path.is_dir():
            files += [f for f in sorted(path.rglob("*.toml")) if has_audit_tables(_read(f))]
        else:
            files.append(path)
    if not files:
        raise ScenarioError(", ".join(map(str, paths)), None, "no *.toml file with [[audit]] tables here")
    return files


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(str(path), None, f"cannot read: {error}") from None
