"""From a scenario's expectations to the minimal CORS policy a server needs (``corsprobe suggest``). Pure.

Allowed rows give the origins to list (exactly as serialized), the non-simple methods, the CORS-unsafe request
header names, whether credentials are needed, and the ``expect_readable`` headers to expose. Blocked rows are
checked against that policy: one the policy would allow anyway (same origin, method and headers all granted)
is a conflict, reported with its source, since no configuration meets both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from corsprobe.browser import origins, spec
from corsprobe.browser.profiles import CHROMIUM, FIREFOX, WEBKIT
from corsprobe.layers.base import Policy
from corsprobe.model import Credentials, Job, Probe, Verdict


@dataclass(frozen=True, slots=True)
class Derived:
    """The policy, and the rows that no policy meeting the allowed rows can keep blocked (one text each)."""

    policy: Policy
    conflicts: tuple[str, ...] = ()
    allowed_rows: int = 0
    blocked_rows: int = 0


def _method(probe: Probe) -> str:
    return spec.normalize_method(probe.method)


def _headers(probe: Probe) -> tuple[str, ...]:
    """The header names a preflight asks for in any browser (their safelists differ a little, e.g. Range):
    a policy for the server must let every browser through."""
    sent = tuple((n, v) for n, v in probe.headers if not spec.is_forbidden_request_header(n, v))
    names = (name for profile in (CHROMIUM, FIREFOX, WEBKIT) for name in spec.cors_unsafe_header_names(sent, profile))
    return tuple(sorted(set(names)))  # as each browser sorts them (Fetch: "CORS-unsafe request-header names")


def _origin(probe: Probe) -> str:
    return origins.serialize_origin(probe.origin) or probe.origin


def _add(items: list[str], values: Sequence[str], *, fold: bool) -> None:
    have = {v.lower() if fold else v for v in items}
    for value in values:
        key = value.lower() if fold else value
        if key not in have:
            items.append(value)
            have.add(key)


def derive(jobs: Sequence[Job]) -> Derived:
    """The smallest policy under which every ``allowed`` row is allowed, and the blocked rows it cannot keep."""
    allowed = [job for job in jobs if job.expect is not None and job.expect.verdict is Verdict.ALLOWED]
    blocked = [job for job in jobs if job.expect is not None and job.expect.verdict is Verdict.BLOCKED]
    found_origins: list[str] = []
    methods: list[str] = []
    headers: list[str] = []
    expose: list[str] = []
    paths: list[str] = []
    credentials = False
    for job in allowed:
        probe = job.probe
        _add(found_origins, [_origin(probe)], fold=False)
        method = _method(probe)
        if method not in spec.SAFELISTED_METHODS:
            _add(methods, [method], fold=False)
        _add(headers, _headers(probe), fold=True)
        credentials = credentials or probe.credentials is Credentials.INCLUDE
        assert job.expect is not None
        readable = [h for h in job.expect.readable if h.lower() not in spec.SAFELISTED_RESPONSE_HEADERS]
        _add(expose, readable, fold=True)
        _add(paths, [urlsplit(probe.url).path or "/"], fold=False)
    policy = Policy(origins=tuple(found_origins), methods=tuple(methods), headers=tuple(headers),
                    credentials=credentials, expose=tuple(expose), paths=tuple(paths))
    conflicts = tuple(_conflict(job, policy) for job in blocked if _granted(job.probe, policy))
    return Derived(policy, conflicts, len(allowed), len(blocked))


def _granted(probe: Probe, policy: Policy) -> bool:
    """Whether ``policy`` lets this row through (so it cannot be blocked by CORS)."""
    if _origin(probe) not in policy.origins:
        return False
    method = _method(probe)
    if method not in spec.SAFELISTED_METHODS and method not in policy.methods:
        return False
    if not set(_headers(probe)) <= set(policy.headers):
        return False
    return probe.credentials is not Credentials.INCLUDE or policy.credentials


def _conflict(job: Job, policy: Policy) -> str:
    where = f"{job.source}: " if job.source else ""
    name = f"{job.probe.name!r} " if job.probe.name else ""
    return (f"{where}probe {name}expects blocked, but the allowed rows need {_origin(job.probe)} with "
            f"{_method(job.probe)} allowed: no CORS configuration can keep it blocked")
