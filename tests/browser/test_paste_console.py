"""Live Chromium text round-trips through explain's parser: every CORS console message the
differential run captured (reused from the session's run, nothing is launched again) gives the
case's URL and page origin, the facts it states, and the same reason the suite classified."""

from __future__ import annotations

from corsprobe.paste.dispatch import parse
from tests.browser.cases import all_cases
from tests.browser.harness import Run
from tests.browser.paste_check import mismatches
from tests.browser.servers import Servers


def test_chromium_console_messages_rebuild_their_cases(browser_run: Run, case_servers: Servers) -> None:
    checked, wrong = 0, []
    for case in all_cases():
        seen = browser_run.browser[case.id]
        if not seen.reason or not seen.detail.startswith("Access to fetch at "):
            continue
        items = parse(f"index.html:1 {seen.detail}\nUncaught (in promise) TypeError: Failed to fetch")
        if len(items) != 1:
            wrong.append(f"{case.id}: {len(items)} items")
            continue
        item = items[0]
        problems = mismatches(case, item, case_servers.url(case, "b"), case_servers.page_origin)
        got = item.browser_reason.value if item.browser_reason else None
        if got != seen.reason:
            problems.append(f"reason: {got} != {seen.reason}")
        wrong += [f"{case.id}: {p}" for p in problems]
        checked += 1
    assert checked >= 100, f"only {checked} Chromium CORS messages captured"
    assert not wrong, "\n".join(wrong[:40])
