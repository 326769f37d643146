"""``corsprobe check``: one request, as a page on ORIGIN would make it."""

from __future__ import annotations

from typing import Any

import click

from corsprobe.commands import common


@click.command()
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
@click.option("--expect-readable", "expect_readable", multiple=True, metavar="NAME",
              help="Exit 1 unless the page's script can read response header NAME "
                   "(repeatable; implies --expect allowed).")
@click.option("--layout", type=click.Choice(["table", "steps"]), default="steps",
              show_default=True, help="The human format's layout: one table row per probe, or step by step.")
@common.output_options
@common.network_options
def check(url: str, origin: str, method: str, headers: tuple[str, ...], body: str | None, credentials: bool,
          cookie: str | None, send_unsafe: bool, expect: str | None, expect_readable: tuple[str, ...],
          **options: Any) -> None:
    """Probe one request: what would a browser on ORIGIN do with it?"""
    from corsprobe.api import make_probe
    from corsprobe.browser.origins import page_origin
    from corsprobe.model import Expectation, Job, Verdict

    secrets = common.declared_secrets(options)
    try:
        sent, dropped = page_origin(origin)
    except ValueError as error:
        common.usage_error(f"--origin: {error}", secrets)
    if dropped is not None:
        click.echo(f"corsprobe: note: --origin {origin!r} is sent as 'Origin: {sent}' "
                   f"(an origin has no path, query or trailing slash)", err=True)
    if cookie is not None and not credentials:
        click.echo("corsprobe: warning: --cookie is not sent without --credentials (fetch() with "
                   "credentials: 'omit' sends no cookies)", err=True)
    try:
        probe = make_probe(url, origin=sent, method=method, headers=common.parse_headers(headers), body=body,
                           credentials=credentials, send_unsafe=send_unsafe, cookie=cookie)
    except ValueError as error:
        common.usage_error(str(error), secrets | {v for _n, v in common.parse_headers(headers)})
    if expect_readable and expect not in (None, "allowed"):
        common.usage_error(f"--expect-readable needs the verdict allowed, not --expect {expect}")
    wanted = Expectation(Verdict(expect or "allowed"), None, expect_readable) if expect or expect_readable else None
    options["show_readable"] = True
    common.stream([Job(probe, wanted)], options)
