"""What ``corsprobe init --openapi`` and ``corsprobe run --openapi`` share: the options and generating the text.

No CORS rules live here; the generation is ``corsprobe.openapi.generate`` (pure), the reading ``source``.
"""

from __future__ import annotations

from typing import Any

import click

from corsprobe.commands.common import options_group
from corsprobe.openapi import CANARY_ORIGIN

generation_options = options_group(
    click.option("--origin", "app_origins", multiple=True, metavar="ORIGIN",
                 help="An app origin, expected allowed (repeatable)."),
    click.option("--blocked-origin", default=CANARY_ORIGIN, show_default=True, metavar="ORIGIN|none",
                 help="An origin expected blocked ('none': no such probes)."),
    click.option("--credentials", "with_credentials", is_flag=True,
                 help="Every probe uses credentials: 'include'."),
    click.option("--include", "include", multiple=True, metavar="GLOB", help="Only paths matching GLOB (repeatable)."),
    click.option("--exclude", "exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable)."),
    click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only operations with this tag (repeatable)."),
    click.option("--send-unsafe", is_flag=True, help="Generated PUT/POST/PATCH/DELETE probes send the actual request."),
    click.option("--expect-readable-declared", is_flag=True,
                 help="Expect every declared response header to be readable by the page."),
)


def generated(location: str, base_url: str | None, options: dict[str, Any]) -> tuple[str, str]:
    """(scenario text, label for messages) for the description at ``location``; ScenarioError on bad input."""
    from corsprobe.openapi import source
    from corsprobe.openapi.generate import Choices, generate
    from corsprobe.runner import ClientOptions

    blocked = options["blocked_origin"]
    choices = Choices(
        origins=tuple(options["app_origins"]), blocked_origin=None if blocked.lower() == "none" else blocked,
        credentials=options["with_credentials"], base_url=base_url, include=tuple(options["include"]),
        exclude=tuple(options["exclude"]), tags=tuple(options["tags"]), send_unsafe=options["send_unsafe"],
        readable_declared=options["expect_readable_declared"])
    if not choices.origins:
        raise click.UsageError("--openapi needs the app's origins: --origin ORIGIN (repeatable)")
    fetched = source.read(location, ClientOptions(timeout=options["timeout"], insecure=options["insecure"],
                                                  cacert=options["cacert"], proxy=options["proxy"]))
    if fetched.discovered:
        click.echo(f"corsprobe: using the API description at {fetched.source}", err=True)
    text = generate(fetched.data, fetched.source, choices, url=fetched.url, media_type=fetched.media_type)
    return text, f"{fetched.source} (generated)"
