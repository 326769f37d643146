"""Values of an audit: what to audit (a Target), what was found (AuditFinding) and the result per URL.

Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsprobe.audit.codes import Code, Severity
from corsprobe.model import Exchange, Headers


@dataclass(frozen=True, slots=True)
class Target:
    """One URL and the origins that are meant to read it, with the app's methods and request headers."""

    url: str
    app_origins: tuple[str, ...]
    methods: tuple[str, ...] = ()
    headers: Headers = ()
    source: str | None = None  # 'file.toml:12' for an [[audit]] table
    name: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """The exchange that proves a finding: the request's and the response's header lines as on the wire."""

    method: str
    url: str
    status: int | None
    request_headers: Headers
    response_headers: Headers
    http_version: str | None = None  # the protocol that answered ("HTTP/1.1", "HTTP/2")

    @classmethod
    def of(cls, exchange: Exchange | None) -> Evidence:
        if exchange is None:
            return cls("", "", None, (), ())
        response = exchange.response
        return cls(exchange.request.method, exchange.request.url, response.status if response else None,
                   exchange.request.headers, response.headers if response else (),
                   response.http_version if response else None)


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One root cause on one URL: the origin that got through, whether with credentials, and why."""

    code: Code
    severity: Severity
    origin: str
    credentials: bool
    evidence: Evidence
    explanation: str
    fix: str
    implied: tuple[Code, ...] = ()  # narrower classes this root cause also lets through


@dataclass(frozen=True, slots=True)
class Audit:
    """Everything about one URL: the requests made, the findings, and why probing stopped."""

    target: Target
    requests: int
    findings: tuple[AuditFinding, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    error: str | None = None  # the URL could not be audited (transport failure, bad URL)
    stopped: str | None = None  # why not every derived origin was tried ('moot: ...' or 'request budget')
    layer: str | None = None  # the CORS layer recognised from the answers, if any
    skipped_origins: int = 0

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
