"""One test per case: corsprobe's verdict and wire behaviour with the WebKit profile must
equal WebKitGTK's (driven through WebKitWebDriver under Xvfb), on the same grammar and
servers as the Chromium and Firefox suites.

Compared per case as for Chromium (see compare.py); the reason is compared at WebKit's
granularity (console_webkit.CATEGORIES).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from tests.browser.browsers import WEBKIT_BROWSER
from tests.browser.cases import all_cases
from tests.browser.cases_wire import WEBKIT_READS, parser_difference
from tests.browser.compare import agreed_reasons, assert_agrees, explain
from tests.browser.console_webkit import CATEGORIES, NOT_CORS_CATEGORIES, classify
from tests.browser.harness import Observation, Run
from tests.browser.servers import Seen, Servers

CASES = all_cases()
# The engine's own console texts, kept as test data (e.g. for parsing pasted Safari messages).
CONSOLE_DATA = Path(__file__).resolve().parent / "data" / "webkit-console.json"


@pytest.mark.parametrize("case_id", [case.id for case in CASES])
def test_case_agrees_with_webkit(webkit_run: Run, case_id: str) -> None:
    browser, mine = webkit_run.browser[case_id], webkit_run.corsprobe[case_id]
    def known(b: Observation, m: Observation) -> str | None:
        return transport_gap(b, m) or parser_difference("WebKitGTK", WEBKIT_READS, case_id, b.allowed)
    assert_agrees(browser, mine, WEBKIT_BROWSER.agree, WEBKIT_BROWSER.not_cors, known)


def transport_gap(browser: Observation, mine: Observation) -> str | None:
    """Known differences of WebKitGTK's HTTP layer (libsoup, not CORS) from corsprobe's,
    recognised by exactly what each side did."""
    if browser.allowed == mine.allowed and _utf8_on_wire(browser, mine):
        return "libsoup sends a header value's U+0080-U+00FF characters as UTF-8, not as Latin-1 bytes"
    return None


def _utf8_on_wire(browser: Observation, mine: Observation) -> bool:
    """Every request is equal once corsprobe's authored values are re-encoded as libsoup does."""
    def recoded(seen: Seen) -> Seen:
        authored = tuple((n, v.encode("utf-8").decode("latin-1")) for n, v in seen.authored)
        return dataclasses.replace(seen, authored=authored)
    changed = any(any(ord(c) > 0x7F for _, v in s.authored for c in v) for s in mine.seen)
    return changed and tuple(map(recoded, mine.seen)) == browser.seen


@pytest.mark.parametrize("case_id", [case.id for case in CASES
                                     if case.request.method != case.request.method.upper()])
def test_runner_sends_methods_as_written_webkit(webkit_run: Run, case_id: str) -> None:
    """The method on corsprobe's wire equals WebKit's: `patch` stays `patch`."""
    browser, mine = webkit_run.browser[case_id], webkit_run.corsprobe[case_id]
    assert [s.method for s in mine.seen] == [s.method for s in browser.seen], explain(browser, mine)


def test_every_webkit_category_is_produced_and_agreed(webkit_run: Run) -> None:
    """Each WebKit CORS category a server can cause over plain http shows up in an agreeing case."""
    agreed = agreed_reasons(webkit_run, WEBKIT_BROWSER.agree, WEBKIT_BROWSER.not_cors)
    assert set(CATEGORIES) - NOT_CORS_CATEGORIES - agreed == set()


def _captured(run: Run, servers: Servers) -> dict[str, list[str]]:
    """Case id -> [WebKit's SECURITY ERROR text (ports fixed: page 8080, APIs 8000/8001), its category]."""
    ports = {servers.page.port: 8080, servers.api.port: 8000, servers.api2.port: 8001}
    found: dict[str, list[str]] = {}
    for case_id, seen in sorted(run.browser.items()):
        if seen.allowed or not seen.detail or seen.detail.startswith("TypeError"):
            continue
        text = seen.detail
        for port, fixed in ports.items():
            text = text.replace(f":{port}/", f":{fixed}/").replace(f":{port} ", f":{fixed} ")
            text = text.removesuffix(f":{port}") + (f":{fixed}" if text.endswith(f":{port}") else "")
        found[case_id] = [text, classify(seen.detail)]
    return found


def test_console_lines_are_known_and_kept(webkit_run: Run, case_servers: Servers) -> None:
    """Every line WebKit logged is one of console_webkit's categories, and the stored lines
    (tests/browser/data/webkit-console.json) are still exactly what it logs for those cases.
    CORSPROBE_WEBKIT_CONSOLE_WRITE=1 rewrites the file from this run."""
    live = _captured(webkit_run, case_servers)
    unknown = sorted(text for text, category in live.values() if category.startswith("unknown"))
    assert not unknown, f"unclassified WebKit messages: {unknown}"
    if os.environ.get("CORSPROBE_WEBKIT_CONSOLE_WRITE") == "1":
        categories = {name: sorted(r.value for r in reasons) for name, reasons in CATEGORIES.items()}
        lines = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in live.items())
        CONSOLE_DATA.parent.mkdir(exist_ok=True)
        CONSOLE_DATA.write_text(
            f'{{"engine": "WebKitGTK {webkit_run.version}",\n'
            f'"format": "case id: [the CONSOLE SECURITY ERROR text, category]; each is followed by '
            f'CONSOLE JS ERROR Fetch API cannot load <url> due to access control checks.",\n'
            f'"categories": {json.dumps(categories)},\n"cases": {{\n{lines}\n}}}}\n')
    stored = json.loads(CONSOLE_DATA.read_text())["cases"]
    changed = {case_id: (entry, live.get(case_id)) for case_id, entry in stored.items() if live.get(case_id) != entry}
    assert not changed, f"WebKit now logs something else for: {changed}"
