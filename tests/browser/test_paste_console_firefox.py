"""Live Firefox text round-trips through explain's parser: every CORS console message the Firefox
run captured (reused from the session's run) gives the case's URL, the facts it states, and a
reason within the category Firefox logged (Firefox names no origin: explain asks for --origin; after a
redirect it names the hop that failed, not the first URL, so the probe starts at that hop)."""

from __future__ import annotations

from corsprobe.paste.dispatch import parse
from tests.browser.cases import all_cases
from tests.browser.console_firefox import CATEGORIES
from tests.browser.harness import Run
from tests.browser.paste_check import mismatches
from tests.browser.servers import Servers


def test_firefox_console_messages_rebuild_their_cases(firefox_run: Run, case_servers: Servers) -> None:
    checked, wrong = 0, []
    for case in all_cases():
        seen = firefox_run.browser[case.id]
        category, _, text = seen.detail.partition(": ")
        if category not in CATEGORIES or not text.startswith("Cross-Origin Request Blocked"):
            continue
        items = parse(text + "\nTypeError: NetworkError when attempting to fetch resource.")
        if len(items) != 1:
            wrong.append(f"{case.id}: {len(items)} items")
            continue
        item = items[0]
        # Firefox names the URL of the hop that failed: any hop of this case's browser pass.
        hop = item.url if f"/c/{case.id}/fb/" in item.url else case_servers.url(case, "fb")
        problems = mismatches(case, item, hop, None)
        if not item.browser_text.startswith(category + ":"):
            problems.append(f"category: {item.browser_text.split(':')[0]} != {category}")
        if item.browser_reason not in CATEGORIES[category]:
            problems.append(f"reason: {item.browser_reason} not in {category}")
        wrong += [f"{case.id}: {p}" for p in problems]
        checked += 1
    assert checked >= 100, f"only {checked} Firefox CORS messages captured"
    assert not wrong, "\n".join(wrong[:40])
