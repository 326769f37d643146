"""Complete diagnosis of one row: every change the server needs for this request to be allowed. Pure.

The verdict stays the browser's (the engine stops at its first failure); beside it, ``diagnose`` evaluates
every check of the preflight (Allow-Origin, ok status, Allow-Methods, Allow-Headers, Allow-Credentials) and
of the actual response (Allow-Origin, Allow-Credentials, Expose-Headers for ``expect_readable``), reads the
extra comparison probes (a CORS layer that OPTIONS or error responses skip, any origin with credentials),
and returns each problem with its stage and the header-level change, in the order to apply them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from corsprobe.browser import checks, spec
from corsprobe.browser.origins import is_valid_origin_syntax
from corsprobe.browser.profiles import profile_named
from corsprobe.layers.base import Problem, ProblemCode
from corsprobe.model import Credentials, Exchange, ExtraPurpose, HttpResponse, Result, Stage, Verdict
from corsprobe.reasons import Reason, explain

ACTUAL_UNSEEN = "After this, the actual response still needs checking (a browser sends it only after the preflight " \
                "passes)."
_PF = "the preflight (OPTIONS) response"
_ACTUAL = "the actual response"
_CAUSES = ("usual causes: CORS applied to some routes only, a framework's default OPTIONS handler, a path pattern "
           "that misses this URL, middleware order, nginx add_header without 'always'")
_REDIRECT_REASONS = {Reason.TOO_MANY_REDIRECTS, Reason.INVALID_REDIRECT, Reason.REDIRECT_CONTAINS_CREDENTIALS,
                     Reason.CORS_DISABLED_SCHEME}
_ORDER = (ProblemCode.PLAIN_HTTP_PORT, ProblemCode.MIXED_CONTENT, ProblemCode.PREFLIGHT_SKIPS_LAYER,
          ProblemCode.ERROR_SKIPS_LAYER, ProblemCode.ACTUAL_SKIPS_LAYER,
          ProblemCode.PREFLIGHT_REDIRECT, ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN,
          ProblemCode.MULTIPLE_ALLOW_ORIGIN, ProblemCode.WILDCARD_WITH_CREDENTIALS,
          ProblemCode.CREDENTIALS_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_METHODS, ProblemCode.METHOD_NOT_ALLOWED,
          ProblemCode.INVALID_ALLOW_HEADERS, ProblemCode.HEADER_NOT_ALLOWED, ProblemCode.PREFLIGHT_STATUS)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Every problem of a row in the order to apply the changes, and whether the actual response was unseen."""

    problems: tuple[Problem, ...] = ()
    actual_unseen: bool = False

    @property
    def note(self) -> str | None:
        return ACTUAL_UNSEEN if self.actual_unseen else None


def diagnose(result: Result) -> Diagnosis:
    """Everything the server must change for ``result``'s request to be allowed (nothing when it is)."""
    outcome, probe = result.outcome, result.probe
    failure = outcome.failure
    include = probe.credentials is Credentials.INCLUDE
    problems: list[Problem] = []
    if outcome.verdict is Verdict.ERROR:
        return Diagnosis(tuple(_transport(result)))
    if failure is not None and failure.reason is Reason.MIXED_CONTENT:
        return Diagnosis((Problem(ProblemCode.MIXED_CONTENT, failure.stage, _reason_fix(failure.reason)),))
    if result.expect is not None and result.expect.verdict is not Verdict.ALLOWED:
        if outcome.verdict is Verdict.ALLOWED and result.expect.verdict is Verdict.BLOCKED:
            return Diagnosis((Problem(ProblemCode.UNWANTED_ORIGIN_ALLOWED, None, _stop_allowing(result),
                                      origin=probe.origin, credentials=include),))
        return Diagnosis()
    preflights = [e for e in result.exchanges if e.request.stage is Stage.PREFLIGHT and e.response is not None]
    actuals = [e for e in result.exchanges if e.request.stage is Stage.ACTUAL and e.response is not None]
    if failure is not None and failure.stage is Stage.PREFLIGHT and preflights:
        problems += _preflight(result, preflights[-1], include)
        return Diagnosis(_ordered(problems), actual_unseen=True)
    if failure is not None and failure.reason in _REDIRECT_REASONS:
        problems.append(Problem(ProblemCode.REDIRECT_REFUSED, Stage.ACTUAL, _reason_fix(failure.reason),
                                observed=failure.detail))
    elif actuals and failure is not None:
        problems += _actual(result, actuals[-1], include)
    if actuals:
        problems += _exposed(result, actuals[-1].response, include)
    problems += _any_origin(result, include)
    return Diagnosis(_ordered(problems))


def _ordered(problems: list[Problem]) -> tuple[Problem, ...]:
    def key(problem: Problem) -> tuple[int, int]:
        stage = 0 if problem.stage is Stage.PREFLIGHT else 1
        rank = _ORDER.index(problem.code) if problem.code in _ORDER else len(_ORDER)
        return stage, rank

    return tuple(sorted(dict.fromkeys(problems), key=key))


def _transport(result: Result) -> list[Problem]:
    failure = result.outcome.failure
    url = result.exchanges[-1].request.url if result.exchanges else result.probe.url
    if failure is None or failure.reason is not Reason.TLS_ERROR:
        return []
    if "wrong version number" not in failure.detail.lower():
        return []
    plain = "http://" + url.split("://", 1)[1] if url.startswith("https://") else url
    return [Problem(ProblemCode.PLAIN_HTTP_PORT, None,
                    f"This port speaks plain HTTP (the TLS handshake got 'wrong version number'): use {plain}, "
                    "or serve TLS on it.", observed=url)]


def _preflight(result: Result, exchange: Exchange, include: bool) -> list[Problem]:
    response = exchange.response
    assert response is not None
    request = exchange.request
    origin = request.header("origin") or result.probe.origin
    method = request.header("access-control-request-method") or result.probe.method
    unsafe = tuple(n for n in (request.header("access-control-request-headers") or "").split(",") if n)
    problems = _skips_preflight(result, response)
    profile = profile_named(result.browser)
    if checks.redirect_location(response, profile.empty_location_redirects) is not None:
        problems.append(Problem(ProblemCode.PREFLIGHT_REDIRECT, Stage.PREFLIGHT,
                                _reason_fix(Reason.PREFLIGHT_DISALLOWED_REDIRECT), status=response.status,
                                observed=response.combined("location") or ""))
        return problems
    problems += _origin(response, origin, include, Stage.PREFLIGHT)
    if not 200 <= response.status <= 299:
        body = f", body '{response.body.strip()[:120]}'" if response.body.strip() else ""
        problems.append(Problem(ProblemCode.PREFLIGHT_STATUS, Stage.PREFLIGHT,
                                f"Answer the preflight (OPTIONS) with 204 or 200 (it got {response.status}{body}), "
                                "before authentication, CSRF checks and routing.",
                                status=response.status, observed=response.body.strip()[:200],
                                # What the answer must then allow: a layer's fix writes it in one go.
                                origin=origin, methods=(method,), headers=unsafe, credentials=include))
    later = _methods(response, method, include, origin)
    later += _headers(response, unsafe, include, origin, profile.wildcard_covers_authorization, result)
    if later and not any(n.lower().startswith("access-control-") for n, _ in response.headers):
        # No CORS header at all: the layer refused the origin (or never ran); the lists come with the origin.
        needs = " and ".join(x for x in (f"method '{method}'" if any(
            p.code is ProblemCode.METHOD_NOT_ALLOWED for p in later) else "", "header(s) " + ", ".join(
            f"'{h}'" for p in later for h in p.headers) if any(p.headers for p in later) else "") if x)
        problems = [replace(p, change=f"{p.change} Once it answers, it must also allow {needs}.")
                    if p.code is ProblemCode.ORIGIN_NOT_ALLOWED else p for p in problems]
        return problems
    return problems + later


def _origin(response: HttpResponse, origin: str, include: bool, stage: Stage) -> list[Problem]:
    """Allow-Origin and Allow-Credentials, each on its own (a browser reports only the first)."""
    where = _PF if stage is Stage.PREFLIGHT else _ACTUAL
    value = response.combined(checks.ACAO)
    problems = []
    if value is None:
        hint = ""
        if any(n.lower().startswith("access-control-") for n, _ in response.headers) or "origin" in (
                response.combined("vary") or "").lower():
            hint = (f" The server does answer CORS, so this origin is not on its list: allow-lists compare the "
                    f"serialized origin exactly, so list '{origin}' (scheme, host and port must match; no "
                    "trailing slash, no path).")
        problems.append(Problem(ProblemCode.ORIGIN_NOT_ALLOWED, stage,
                                f"Add 'Access-Control-Allow-Origin: {origin}' to {where}: the header is absent.{hint}",
                                origin=origin, credentials=include))
    elif value == "*" and include:
        problems.append(Problem(ProblemCode.WILDCARD_WITH_CREDENTIALS, stage,
                                f"Answer 'Access-Control-Allow-Origin: {origin}' (with 'Vary: Origin') instead of '*' "
                                f"on {where}: a credentialed request never accepts '*'.", origin=origin,
                                credentials=True, observed="*"))
    elif value != "*" and value != origin:
        problems.append(_wrong_origin(value, origin, where, stage, include))
    if include and response.combined(checks.ACAC) != "true":
        got = response.combined(checks.ACAC)
        state = "is absent" if got is None else f"is '{got}'"
        problems.append(Problem(ProblemCode.CREDENTIALS_NOT_ALLOWED, stage,
                                f"Send 'Access-Control-Allow-Credentials: true' (exactly, lower-case) on {where}: it "
                                f"{state}, and the request is made with credentials.", origin=origin, credentials=True,
                                observed=got or ""))
    return problems


def _wrong_origin(value: str, origin: str, where: str, stage: Stage, include: bool) -> Problem:
    if value == "":
        code, text = ProblemCode.INVALID_ALLOW_ORIGIN, f"Access-Control-Allow-Origin is '' on {where}"
    elif " " in value or "," in value:
        code, text = ProblemCode.MULTIPLE_ALLOW_ORIGIN, (
            f"Access-Control-Allow-Origin holds several values '{value}' on {where} (two layers add it, e.g. a "
            "proxy and the app): send one line")
    elif value.startswith(origin + "/"):
        code, text = ProblemCode.INVALID_ALLOW_ORIGIN, (
            f"Access-Control-Allow-Origin is '{value}' on {where}, which is not an origin (a trailing slash or path)")
    elif value == "null" or is_valid_origin_syntax(value):
        code, text = ProblemCode.ORIGIN_NOT_ALLOWED, (
            f"Access-Control-Allow-Origin is '{value}' on {where}, {_difference(value, origin)}")
    else:
        code, text = ProblemCode.INVALID_ALLOW_ORIGIN, (
            f"Access-Control-Allow-Origin is '{value}' on {where}, which is not an origin"
            f"{' (a trailing slash or path)' if value.rstrip('/').startswith(origin) else ''}")
    return Problem(code, stage, f"{text}: answer exactly '{origin}' (a browser compares the serialized origin "
                   "byte for byte).", origin=origin, credentials=include, observed=value)


def _difference(value: str, origin: str) -> str:
    """How another serialized origin differs from the page's: scheme, host, port or letter case."""
    if value.lower() == origin.lower():
        return "which differs only in letter case"
    theirs, ours = urlsplit(value), urlsplit(origin)
    if theirs.scheme != ours.scheme:
        return f"which has scheme {theirs.scheme}:// where the page has {ours.scheme}://"
    if theirs.hostname != ours.hostname:
        return "another origin (a fixed value, or the first entry of a list)"
    return "which has another port"


def _methods(response: HttpResponse, method: str, include: bool, origin: str) -> list[Problem]:
    raw = response.combined(checks.ACAM)
    methods = spec.parse_token_list(raw)
    if methods is None:
        return [Problem(ProblemCode.INVALID_ALLOW_METHODS, Stage.PREFLIGHT,
                        f"Send Access-Control-Allow-Methods as a comma-separated list of methods (it is '{raw}').",
                        methods=(method,), observed=raw or "")]
    if method in spec.SAFELISTED_METHODS or method in methods or ("*" in methods and not include):
        return []
    state = "it is absent" if raw is None else f"it is '{raw}'"
    text = f"Add '{method}' to Access-Control-Allow-Methods of {_PF} ({state}"
    if "*" in methods:
        text += "; '*' does not count with credentials"
    text += ")."
    if method != method.upper() and method.upper() in methods:
        text += (f" The match is case-sensitive: list '{method}' as written, or write '{method.upper()}' in the page "
                 "(fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT).")
    return [Problem(ProblemCode.METHOD_NOT_ALLOWED, Stage.PREFLIGHT, text, origin=origin, methods=(method,),
                    credentials=include, observed=raw or "")]


def _headers(response: HttpResponse, unsafe: tuple[str, ...], include: bool, origin: str,
             wildcard_authorization: bool, result: Result) -> list[Problem]:
    raw = response.combined(checks.ACAH)
    names = spec.parse_token_list(raw)
    if names is None:
        return [Problem(ProblemCode.INVALID_ALLOW_HEADERS, Stage.PREFLIGHT,
                        f"Send Access-Control-Allow-Headers as a comma-separated list of names (it is '{raw}').",
                        headers=unsafe, observed=raw or "")]
    allowed = {n.lower() for n in names}
    wildcard = "*" in allowed and not include
    missing = [n for n in unsafe if n not in allowed
               and not (wildcard and (n != "authorization" or wildcard_authorization))]
    if not missing:
        return []
    written = {n.lower(): n for n, _ in result.probe.headers}
    shown = tuple(written.get(n, n) for n in missing)
    listed = ", ".join(f"'{n}'" for n in shown)
    state = "the header is absent" if raw is None else f"the server's list is '{raw}'"
    text = f"Add {listed} to Access-Control-Allow-Headers of {_PF} ({state}"
    if "*" in allowed and include:
        text += "; '*' does not count with credentials: list them by name"
    return [Problem(ProblemCode.HEADER_NOT_ALLOWED, Stage.PREFLIGHT, text + ").", origin=origin, headers=shown,
                    credentials=include, observed=raw or "")]


def _actual(result: Result, exchange: Exchange, include: bool) -> list[Problem]:
    response = exchange.response
    assert response is not None
    origin = exchange.request.header("origin") or result.probe.origin
    skipped = _skips_actual(result, exchange)
    if skipped:  # the layer never saw this response: its Allow-Origin/-Credentials are part of that one change
        return skipped
    return _origin(response, origin, include, Stage.ACTUAL)


def _exposed(result: Result, response: HttpResponse | None, include: bool) -> list[Problem]:
    expect = result.expect
    if expect is None or response is None or not expect.readable:
        return []
    visible = set(checks.readable_headers(response, include))
    missing = tuple(n for n in expect.readable if n.lower() not in visible)
    if not missing:
        return []
    present = {n.lower() for n, _ in response.headers}
    absent = [n for n in missing if n.lower() not in present]
    raw = response.combined(checks.ACEH)
    state = "it is absent" if raw is None else f"it is '{raw}'"
    if raw is not None and "*" in raw and include:
        state += "; '*' does not expose anything with credentials: list the names"
    text = f"Add {', '.join(repr(n) for n in missing)} to Access-Control-Expose-Headers of {_ACTUAL} ({state})."
    if absent:
        text += f" The response has no {', '.join(repr(n) for n in absent)} header at all: send it too."
    return [Problem(ProblemCode.HEADER_NOT_EXPOSED, Stage.ACTUAL, text, origin=result.probe.origin, headers=missing,
                    credentials=include, observed=raw or "")]


def _extra(result: Result, purpose: ExtraPurpose) -> HttpResponse | None:
    return next((x.exchange.response for x in result.extra if x.purpose is purpose), None)


def _has_cors(response: HttpResponse | None) -> bool:
    return response is not None and response.combined(checks.ACAO) is not None


def _skips_preflight(result: Result, response: HttpResponse) -> list[Problem]:
    other = _extra(result, ExtraPurpose.GET_COMPARISON)
    if _has_cors(response) or not _has_cors(other) or other is None:
        return []
    return [Problem(ProblemCode.PREFLIGHT_SKIPS_LAYER, Stage.PREFLIGHT,
                    f"The OPTIONS preflight does not reach the CORS layer: its answer ({response.status}) has no CORS "
                    f"headers while a GET to the same URL has 'Access-Control-Allow-Origin: "
                    f"{other.combined(checks.ACAO)}'. Let the CORS layer answer OPTIONS for this URL ({_CAUSES}).",
                    origin=result.probe.origin, status=response.status, observed="OPTIONS")]


def _skips_actual(result: Result, exchange: Exchange) -> list[Problem]:
    response = exchange.response
    assert response is not None
    if _has_cors(response):
        return []
    preflight = next((e.response for e in result.exchanges if e.request.stage is Stage.PREFLIGHT), None)
    other = preflight if _has_cors(preflight) else _extra(result, ExtraPurpose.OPTIONS_COMPARISON)
    if not _has_cors(other):
        return []
    method = exchange.request.method
    if response.status >= 400:
        return [Problem(ProblemCode.ERROR_SKIPS_LAYER, Stage.ACTUAL,
                        f"The {response.status} error response has no CORS headers while the OPTIONS preflight to the "
                        "same URL has them: error responses are built outside the CORS layer (an error page, an "
                        "exception handler outside the middleware, nginx add_header without 'always'). Send the CORS "
                        f"headers on errors too (and fix the {response.status} itself, which the page cannot read).",
                        origin=result.probe.origin, status=response.status)]
    return [Problem(ProblemCode.ACTUAL_SKIPS_LAYER, Stage.ACTUAL,
                    f"The {method} response ({response.status}) has no CORS headers while the OPTIONS preflight to the "
                    "same URL has them: this response does not pass through the CORS layer (a route or proxy that "
                    "answers on its own, CORS headers set only for OPTIONS).",
                    origin=result.probe.origin, status=response.status, observed=method)]


def _any_origin(result: Result, include: bool) -> list[Problem]:
    canary = next((x.exchange for x in result.extra if x.purpose is ExtraPurpose.CANARY_ORIGIN), None)
    if not include or canary is None or canary.response is None:
        return []
    sent = canary.request.header("origin") or ""
    answered = canary.response.combined(checks.ACAO)
    if answered != sent or canary.response.combined(checks.ACAC) != "true":
        return []
    return [Problem(ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS, None,
                    f"Any origin can read credentialed responses: a probe from '{sent}' got "
                    f"'Access-Control-Allow-Origin: {sent}' with 'Access-Control-Allow-Credentials: true'. Answer only "
                    f"origins from an allow-list (such as '{result.probe.origin}').",
                    origin=result.probe.origin, credentials=True, observed=sent)]


def _stop_allowing(result: Result) -> str:
    origin = result.probe.origin
    answered = [e.response.combined(checks.ACAO) for e in result.exchanges if e.response is not None]
    if "*" in answered:
        return (f"Stop answering 'Access-Control-Allow-Origin: *' if '{origin}' must not read this: "
                "send the exact origin from an allow-list instead.")
    return (f"Stop allowing origin '{origin}': answer only origins from an allow-list instead of "
            "reflecting the Origin header.")


def _reason_fix(reason: Reason) -> str:
    return explain(reason)[1] or ""
