"""The requests of one URL's audit, as a pure generator the runner drives (like the browser engine).

``audit(target)`` yields Probes (each becomes the requests a browser would send for that ``fetch()``:
GET, and OPTIONS for a preflight — never another method, never cookies or Authorization), receives each
Result, and returns the Audit. It stops early when a finding makes the remaining origins moot, and it
starts no probe whose requests would pass ``max_requests`` (only the hops of a redirect chain already under
way can add to that).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

from corsprobe.audit import findings
from corsprobe.audit.attackers import ECHO_HEADER, ECHO_METHOD, Attacker, derive
from corsprobe.audit.codes import Code
from corsprobe.audit.judge import Access, access
from corsprobe.audit.layer import identify
from corsprobe.audit.model import Audit, Target
from corsprobe.browser import spec
from corsprobe.browser.profiles import BrowserProfile
from corsprobe.model import Exchange, Headers, Probe, Result, Verdict

Plan = Generator[Probe, Result, Audit]

DEFAULT_MAX_REQUESTS = 60
#: The method of the preflight sent from the unrelated and the null origin when the app declares none.
DEFAULT_PREFLIGHT_METHOD = "PUT"
#: Request headers an audit never sends, whatever a target asks for.
NEVER_SENT = frozenset({"cookie", "authorization", "proxy-authorization"})


@dataclass
class _Run:
    """The mutable state of one URL's audit; lives only inside audit()."""

    target: Target
    max_requests: int
    profile: BrowserProfile
    requests: int = 0
    exchanges: list[Exchange] = field(default_factory=list)
    apps: list[tuple[str, Access]] = field(default_factory=list)
    observed: list[findings.Observation] = field(default_factory=list)
    echo: Access | None = None
    stopped: str | None = None
    skipped: int = 0
    implied: dict[Code, list[Code]] = field(default_factory=dict)

    def probe(self, origin: str, method: str = "GET", headers: Headers = ()) -> Probe:
        headers = tuple((n, v) for n, v in headers if n.lower() not in NEVER_SENT)
        return Probe(url=self.target.url, origin=origin, method=method, headers=headers,
                     name=self.target.name or self.target.url)

    def preflight(self, origin: str) -> Probe:
        method = next((m for m in self.target.methods if m not in spec.SAFELISTED_METHODS), None)
        return self.probe(origin, method or DEFAULT_PREFLIGHT_METHOD, self.target.headers)

    @property
    def app_needs_preflight(self) -> bool:
        methods = any(m not in spec.SAFELISTED_METHODS for m in self.target.methods)
        return methods or bool(spec.cors_unsafe_header_names(self.target.headers, self.profile))

    def cost(self, attacker: Attacker) -> int:
        return 1 + (2 if self.with_preflight(attacker) else 0)

    def with_preflight(self, attacker: Attacker) -> bool:
        return attacker.code in (Code.REFLECT_ANY_ORIGIN, Code.NULL_ORIGIN_TRUSTED) or self.app_needs_preflight

    def audit(self, layer: str | None, error: str | None = None) -> Audit:
        exchanges = tuple(self.exchanges)
        found = () if error else findings.build(self.target, self.apps, self.echo, self.observed, layer, exchanges,
                                                 self.implied)
        return Audit(self.target, self.requests, found, exchanges, error, self.stopped, layer, self.skipped)


def audit(target: Target, profile: BrowserProfile, max_requests: int = DEFAULT_MAX_REQUESTS) -> Plan:
    """Audit one URL: the app origins first, then an echo preflight, then every attacker origin."""
    run = _Run(target, max_requests, profile)
    for origin in target.app_origins:
        result = yield run.probe(origin)
        if (error := _take(run, result)) is not None:
            return run.audit(None, error)
        run.apps.append((origin, access(result, profile)))
    app = target.app_origins[0]
    result = yield run.probe(app, ECHO_METHOD, ((ECHO_HEADER, "1"),))
    if (error := _take(run, result)) is not None:
        return run.audit(None, error)
    run.echo = access(result, profile)
    for attacker in derive(target.app_origins):
        if _moot(run, attacker):
            run.skipped += 1
            continue
        if run.requests + run.cost(attacker) > run.max_requests:
            run.stopped = f"the request budget ({run.max_requests} per URL) was reached"
            run.skipped += 1
            continue
        result = yield run.probe(attacker.origin)
        if (error := _take(run, result)) is not None:
            return run.audit(identify(run.exchanges), error)
        got = access(result, profile)
        before = None
        if run.with_preflight(attacker):
            result = yield run.preflight(attacker.origin)
            if (error := _take(run, result)) is not None:
                return run.audit(identify(run.exchanges), error)
            before = access(result, profile)
        run.observed.append(findings.Observation(attacker, got, before))
    return run.audit(identify(run.exchanges))


def _take(run: _Run, result: Result) -> str | None:
    """Record a probe's exchanges; a transport failure ends the URL's audit (the error text)."""
    run.requests += len(result.exchanges)
    run.exchanges += result.exchanges
    if result.outcome.verdict is Verdict.ERROR:
        failure = result.outcome.failure
        return failure.detail if failure and failure.detail else "the request failed"
    return None


def _moot(run: _Run, attacker: Attacker) -> bool:
    """An origin is moot when its class already has a finding, or a broader finding already explains it."""
    trusted = [o for o in run.observed if o.trusted]
    if any(o.attacker.code is attacker.code for o in trusted):
        return True
    for o in trusted:
        if findings.explains(o.attacker.code, attacker.origin, run.target.app_origins):
            implied = run.implied.setdefault(o.attacker.code, [])
            if attacker.code not in implied:
                implied.append(attacker.code)
            if run.stopped is None and o.attacker.code is Code.REFLECT_ANY_ORIGIN:
                run.stopped = "moot: the server reflects any origin, so no narrower class can add a finding"
            return True
    return False
