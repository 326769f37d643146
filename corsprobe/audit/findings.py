"""From judged exchanges to findings: severity by exploitability, and one finding per root cause.

Pure. An origin class is a finding only when the server named that origin in Access-Control-Allow-Origin
and a browser lets the page through (``judge.Access.trusted``); '*' is never a trusted origin. A broader
finding makes the narrower ones it explains implied (listed on it, not reported again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from corsprobe.audit import fixes
from corsprobe.audit.attackers import ECHO_HEADER, ECHO_METHOD, AppOrigin, Attacker
from corsprobe.audit.codes import CREDENTIALED_SEVERITY, FIXED_SEVERITY, Code, Severity
from corsprobe.audit.judge import Access
from corsprobe.audit.model import AuditFinding, Evidence, Target
from corsprobe.browser import spec
from corsprobe.browser.checks import ACAC, ACAH, ACAM, ACAO
from corsprobe.model import Exchange

#: Broad classes, broadest first, that explain narrower origins (see ``explains``).
BROAD = (Code.REFLECT_ANY_ORIGIN, Code.SUBSTRING_CONTAINS, Code.SUFFIX_MATCH, Code.PREFIX_MATCH)


@dataclass(frozen=True, slots=True)
class Observation:
    """What one attacker origin got: its simple GET, and its preflight when one was sent."""

    attacker: Attacker
    get: Access
    preflight: Access | None = None

    @property
    def trusted(self) -> bool:
        return self.get.trusted or (self.preflight is not None and self.preflight.trusted)


def explains(broad: Code, origin: str, app_origins: Sequence[str]) -> bool:
    """Would the mistake ``broad`` also let ``origin`` through (so a finding there is implied)?"""
    if broad is Code.REFLECT_ANY_ORIGIN:
        return True
    apps = [app for o in app_origins if (app := AppOrigin.parse(o)) is not None]
    if broad is Code.SUBSTRING_CONTAINS:
        return any(app.host in origin for app in apps)
    if broad is Code.SUFFIX_MATCH:
        return any(origin.endswith(app.site) for app in apps)
    if broad is Code.PREFIX_MATCH:
        return any(origin.startswith(app.origin) for app in apps)
    return False


def severity(code: Code, credentials: bool, read: bool) -> Severity:
    """Readable with credentials: the class's severity; only a credentialed preflight passes: at most high
    (the page can send credentialed requests; whether it reads the answer depends on cookies corsprobe does
    not send); readable without credentials: low."""
    if not credentials:
        return Severity.LOW
    base = CREDENTIALED_SEVERITY[code]
    return base if read or base.rank <= Severity.HIGH.rank else Severity.HIGH


def build(target: Target, apps: Sequence[tuple[str, Access]], echo: Access | None,
          observed: Sequence[Observation], layer: str | None,
          exchanges: Sequence[Exchange], moot: Mapping[Code, Sequence[Code]] | None = None) -> tuple[AuditFinding, ...]:
    """Every finding of one URL, worst first; ``moot`` names the classes not tried because a broader finding
    already explains them (they are implied by it)."""
    found = [f for o in observed if (f := _origin_finding(o, layer)) is not None]
    found = [replace(f, implied=tuple(c for c in (moot or {}).get(f.code, ()) if c is not f.code)) for f in found]
    found = _collapse(found, target.app_origins)
    found += _header_findings(target, apps, echo, observed, layer, exchanges)
    return tuple(sorted(found, key=lambda f: (-f.severity.rank, f.code.value)))


def _origin_finding(observation: Observation, layer: str | None) -> AuditFinding | None:
    get, preflight, attacker = observation.get, observation.preflight, observation.attacker
    if get.trusted and (get.include or preflight is None or not (preflight.trusted and preflight.include)):
        chosen = get
    elif preflight is not None and preflight.trusted:
        chosen = preflight
    else:
        return None
    credentials = chosen.include
    read = chosen.read
    context = fixes.Context(attacker.origin, attacker.how, credentials, read, layer, Evidence.of(chosen.exchange))
    return AuditFinding(attacker.code, severity(attacker.code, credentials, read), attacker.origin, credentials,
                        context.evidence, fixes.explanation(attacker.code, context), fixes.fix(attacker.code, context))


def _collapse(found: list[AuditFinding], app_origins: Sequence[str]) -> list[AuditFinding]:
    """Keep one finding per root cause: a broad class absorbs the narrower findings it explains."""
    kept = list(found)
    for broad in BROAD:
        head = next((f for f in kept if f.code is broad), None)
        if head is None:
            continue
        absorbed = [f for f in kept if f is not head and f.code not in BROAD[:BROAD.index(broad)]
                    and explains(broad, f.origin, app_origins) and head.severity.rank >= f.severity.rank]
        if absorbed:
            implied = tuple(dict.fromkeys((*head.implied, *(f.code for f in absorbed))))
            kept = [_with_implied(f, implied) if f is head else f for f in kept if f not in absorbed]
    return kept


def _with_implied(finding: AuditFinding, implied: tuple[Code, ...]) -> AuditFinding:
    return replace(finding, implied=implied)


def _header_findings(target: Target, apps: Sequence[tuple[str, Access]], echo: Access | None,
                     observed: Sequence[Observation], layer: str | None,
                     exchanges: Sequence[Exchange]) -> list[AuditFinding]:
    found: list[AuditFinding] = []

    def add(code: Code, origin: str, credentials: bool, exchange: Exchange | None, detail: str = "") -> None:
        context = fixes.Context(origin, detail, credentials, True, layer, Evidence.of(exchange))
        found.append(AuditFinding(code, FIXED_SEVERITY[code], origin, credentials, context.evidence,
                                  fixes.explanation(code, context), fixes.fix(code, context)))

    for origin, got in apps:
        if not (got.omit or got.include):
            add(Code.APP_ORIGIN_NOT_ALLOWED, origin, False, got.exchange)
    vary = _missing_vary(apps, observed)
    if vary is not None:
        add(Code.MISSING_VARY_ORIGIN, vary[0], vary[1].include, vary[1].exchange)
    wildcard = next((e for e in exchanges if e.response is not None and e.response.combined(ACAO) == "*"
                     and e.response.combined(ACAC) == "true"), None)
    if wildcard is not None:
        add(Code.WILDCARD_CREDENTIALS_INVALID, wildcard.request.header("origin") or "", False, wildcard)
    if echo is not None and echo.exchange is not None and echo.exchange.response is not None and echo.named:
        response = echo.exchange.response
        methods = spec.parse_token_list(response.combined(ACAM)) or ()
        names = {n.lower() for n in spec.parse_token_list(response.combined(ACAH)) or ()}
        origin = target.app_origins[0]
        credentials = response.combined(ACAC) == "true"
        if ECHO_METHOD in methods:
            add(Code.ACAM_REFLECTED, origin, credentials, echo.exchange, ECHO_METHOD)
        if ECHO_HEADER.lower() in names:
            add(Code.ACAH_REFLECTED, origin, credentials, echo.exchange, ECHO_HEADER.lower())
        ignored = (*target.methods, *spec.SAFELISTED_METHODS, "OPTIONS", ECHO_METHOD, "*")
        extra = [m for m in methods if m not in ignored]
        if target.methods and extra:
            add(Code.METHODS_BEYOND_APP, origin, credentials, echo.exchange, ", ".join(extra))
    return found


def _missing_vary(apps: Sequence[tuple[str, Access]],
                  observed: Sequence[Observation]) -> tuple[str, Access] | None:
    """An app origin's answer names that origin, another origin's answer differs, and there is no Vary."""
    others = {_allow_origin(o.get) for o in observed if o.get.exchange is not None}
    for origin, got in apps:
        if not got.named or got.exchange is None or got.exchange.response is None:
            continue
        value = _allow_origin(got)
        if not others or others == {value}:
            continue  # the value does not depend on the Origin (a static single origin needs no Vary)
        vary = {v.strip().lower() for v in (got.exchange.response.combined("vary") or "").split(",")}
        if not vary & {"origin", "*"}:
            return origin, got
    return None


def _allow_origin(got: Access) -> str | None:
    response = got.exchange.response if got.exchange else None
    return response.combined(ACAO) if response else None
