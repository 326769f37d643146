"""How one case's two observations are compared, and the runner gaps that are known.

``compare`` raises AssertionError naming the first field that differs. Pure; no I/O.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable

from corsprobe.reasons import Reason
from tests.browser.console import NOT_CORS
from tests.browser.harness import Observation
from tests.browser.servers import Seen

# Known gaps of corsprobe/runner.py (not the engine), recognised by what the runner reported.
# A case only xfails when its comparison fails *and* the runner reported this signature.
RUNNER_GAPS = {
    "UnicodeEncodeError": "runner: httpx cannot send a header value with non-ASCII (Latin-1) bytes",
    "For absolute URLs, path must be empty": (
        "runner: httpx builds response.next_request eagerly and fails on a non-http Location "
        "before the engine can judge it"),
    "illegal status line": "runner: h11 rejects a status line the browser's HTTP parser accepts",
    "illegal header line": "runner: h11 rejects a header line the browser skips",
    "without sending complete message body": (
        "runner: a short body fails the whole exchange; the browser judges a preflight on its headers"),
}


def explain(browser: Observation, mine: Observation) -> str:
    return f"\n  browser:   {browser}\n  corsprobe: {mine}"


def runner_gap(mine: Observation) -> str | None:
    return next((why for signature, why in RUNNER_GAPS.items() if signature in mine.detail), None)


def _upper(seen: tuple[Seen, ...]) -> list[Seen]:
    return [dataclasses.replace(s, method=s.method.upper()) for s in seen]


def compare(browser: Observation, mine: Observation,
            agree: Callable[[str | None, str | None], bool] = operator.eq,
            not_cors: frozenset[Reason] = NOT_CORS) -> None:
    """Verdict, requests on the wire, readable headers, status, reason: in that order.

    ``agree`` says whether the browser's reason label and corsprobe's reason code match
    (Chromium: equal; Firefox: the code is one its console category covers); ``not_cors``
    are the codes of failures the browser reports without a CORS console message.
    """
    why = explain(browser, mine)
    assert mine.allowed == browser.allowed, "verdict differs" + why
    assert list(mine.intended) == [s.method for s in browser.seen], "request methods differ" + why
    assert [(s.acrm, s.acrh) for s in mine.seen] == [(s.acrm, s.acrh) for s in browser.seen], (
        "preflight headers differ" + why)
    assert [(s.hop, s.server, s.origin) for s in mine.seen] == [
        (s.hop, s.server, s.origin) for s in browser.seen], "origins differ" + why
    # Method case on the wire is the runner's business (test_runner_sends_methods_as_written).
    assert _upper(mine.seen) == _upper(browser.seen), "authored request headers or bodies differ" + why
    assert mine.readable == browser.readable, "readable headers differ" + why
    assert mine.status == browser.status, "status differs" + why
    if browser.reason is None and not browser.allowed:
        assert mine.reason in not_cors, "the browser failed without a CORS error" + why
    else:
        assert agree(browser.reason, mine.reason), "reason differs" + why
