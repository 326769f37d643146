"""What a real console message captured in the differential run must give when pasted: the case's
URL, the page origin, and every request fact the message states (the method of a method error, the
header of a header error, credentials 'include' for a credentials error). Pure; no I/O."""

from __future__ import annotations

from corsprobe.paste.item import Pasted
from corsprobe.reasons import Reason
from tests.browser.grammar import Case

_INCLUDE = frozenset({Reason.WILDCARD_ORIGIN_NOT_ALLOWED, Reason.INVALID_ALLOW_CREDENTIALS})


def mismatches(case: Case, item: Pasted, url: str, origin: str | None) -> list[str]:
    """Each field the pasted message got wrong for this case, as 'field: got != want'."""
    wrong = []
    if item.url != url:
        wrong.append(f"url: {item.url} != {url}")
    if item.origin != origin:
        wrong.append(f"origin: {item.origin} != {origin}")
    if "method" not in item.unknown and item.method != case.request.method:
        wrong.append(f"method: {item.method} != {case.request.method}")
    sent = {name.lower() for name, _ in case.request.headers}
    for name, _ in item.headers:
        if name.lower() not in sent:
            wrong.append(f"header {name} not among {sorted(sent)}")
    reason = item.browser_reason
    states_include = reason is not None and (reason in _INCLUDE or reason in {r.preflight_variant for r in _INCLUDE})
    if states_include and case.request.credentials != "include":
        wrong.append(f"credentials: include != {case.request.credentials}")
    if item.credentials is not None and item.credentials.value != case.request.credentials:
        wrong.append(f"credentials: {item.credentials.value} != {case.request.credentials}")
    return wrong
