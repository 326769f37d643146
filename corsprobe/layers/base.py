"""The contract every CORS layer module implements: its fingerprint, its fixes, its suggested configuration.

Pure values and a Protocol; no I/O. One module per layer (``starlette.py``, ``express_cors.py``, ...) defines
``LAYER``, an object with the attributes and methods of :class:`Layer`. Fields may be added (with defaults);
none are renamed or removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from corsprobe.model import Exchange, Stage


class Confidence(StrEnum):
    """How sure a fingerprint is: ``high`` (a signature only that layer writes), ``medium``, ``low``."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ProblemCode(StrEnum):
    """One change the server needs for a row to be allowed (every problem of a row, not just the first)."""

    ORIGIN_NOT_ALLOWED = "origin_not_allowed"  # no Allow-Origin, or another origin's: list this origin
    MULTIPLE_ALLOW_ORIGIN = "multiple_allow_origin"  # two lines/values: two layers both add the header
    INVALID_ALLOW_ORIGIN = "invalid_allow_origin"  # a value that is no origin (trailing slash, a list, ...)
    WILDCARD_WITH_CREDENTIALS = "wildcard_with_credentials"  # '*' for a credentialed request: echo the origin
    CREDENTIALS_NOT_ALLOWED = "credentials_not_allowed"  # Allow-Credentials absent or not exactly 'true'
    PREFLIGHT_STATUS = "preflight_status"  # the OPTIONS answer is not 2xx
    PREFLIGHT_REDIRECT = "preflight_redirect"  # the OPTIONS answer is a redirect
    METHOD_NOT_ALLOWED = "method_not_allowed"  # the method is missing from Allow-Methods
    HEADER_NOT_ALLOWED = "header_not_allowed"  # request header names missing from Allow-Headers
    HEADER_NOT_EXPOSED = "header_not_exposed"  # an expected-readable header missing from Expose-Headers
    PREFLIGHT_SKIPS_LAYER = "preflight_skips_layer"  # OPTIONS never reaches the CORS layer (GET does)
    ERROR_SKIPS_LAYER = "error_skips_layer"  # error responses are built outside the CORS layer
    ANY_ORIGIN_WITH_CREDENTIALS = "any_origin_with_credentials"  # a canary origin reads credentialed answers
    PLAIN_HTTP_PORT = "plain_http_port"  # https to a port that speaks plain HTTP
    ACTUAL_SKIPS_LAYER = "actual_skips_layer"  # the actual request never reaches the CORS layer (OPTIONS does)
    INVALID_ALLOW_METHODS = "invalid_allow_methods"  # Allow-Methods is not a list of method tokens
    INVALID_ALLOW_HEADERS = "invalid_allow_headers"  # Allow-Headers is not a list of header names
    REDIRECT_REFUSED = "redirect_refused"  # a redirect of the actual request that a browser refuses
    MIXED_CONTENT = "mixed_content"  # an https page cannot fetch this http URL at all
    UNWANTED_ORIGIN_ALLOWED = "unwanted_origin_allowed"  # the scenario expects this origin blocked


@dataclass(frozen=True, slots=True)
class Problem:
    """What must change, at header level, with the facts a layer needs to word its own fix."""

    code: ProblemCode
    stage: Stage | None
    change: str  # one sentence, header level: "Add 'Access-Control-Allow-Origin: https://app' to ..."
    origin: str = ""  # the page origin the row needs allowed
    methods: tuple[str, ...] = ()  # methods the row needs in Allow-Methods (as the page wrote them)
    headers: tuple[str, ...] = ()  # header names: to allow (HEADER_NOT_ALLOWED) or expose (HEADER_NOT_EXPOSED)
    credentials: bool = False  # the row is credentialed
    status: int | None = None  # the status that was wrong (PREFLIGHT_STATUS, ERROR_SKIPS_LAYER)
    observed: str = ""  # the offending value as received ("" when absent)


@dataclass(frozen=True, slots=True)
class Fix:
    """One problem's change, and the same change in the answering layer's own configuration."""

    problem: ProblemCode
    stage: Stage | None
    change: str
    layer: str | None = None
    config: str | None = None  # e.g. "CORSMiddleware(allow_origins=['http://localhost:8080'])"


@dataclass(frozen=True, slots=True)
class Match:
    """A layer's claim on a row's exchanges: a score (0-100) and the evidence, in words."""

    score: int
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Identification:
    """Who answered: a layer id (or None), a confidence, the evidence; ``named`` when the user said so."""

    layer: str | None
    confidence: Confidence
    evidence: tuple[str, ...] = ()
    named: bool = False


@dataclass(frozen=True, slots=True)
class Policy:
    """What a set of scenario expectations needs from a server: the minimal CORS configuration."""

    origins: tuple[str, ...]  # exact serialized origins that must be allowed
    methods: tuple[str, ...] = ()  # non-simple methods that must be allowed
    headers: tuple[str, ...] = ()  # request header names that must be allowed (lowercase)
    credentials: bool = False
    expose: tuple[str, ...] = ()  # response header names the page must read
    paths: tuple[str, ...] = ()  # the paths the scenario probes (for layers configured per path)


class Layer(Protocol):
    """A CORS layer: Starlette's CORSMiddleware, Express cors, flask-cors, nginx add_header, ..."""

    @property
    def id(self) -> str: ...  # "starlette", "express-cors", "flask-cors", "django-cors-headers", "nginx", ...

    @property
    def title(self) -> str: ...  # "Starlette/FastAPI CORSMiddleware"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        """This layer's claim on the exchanges of one row (and its extra probes), or None."""

    def config_fix(self, problem: Problem) -> str | None:
        """The smallest edit in this layer's own configuration that solves ``problem``, or None."""

    def suggest(self, policy: Policy) -> str:
        """A complete configuration for this layer that meets ``policy`` and nothing wider."""
