"""The browser half of CORS: what Chromium (or another BrowserProfile) sends for a
cross-origin fetch() and how it judges each answer.

Pure: ``simulate(probe, profile)`` is a generator that yields the HttpRequests a
browser would send, one at a time, receives each HttpResponse, and returns the Outcome. No I/O
happens here; the runner drives the generator. Checks name the Fetch Standard step they implement.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from urllib.parse import urljoin

from corsprobe.browser import checks, origins, spec
from corsprobe.browser import redirects as redirects_
from corsprobe.browser.address_space import (
    is_mixed_content,
    is_potentially_trustworthy,
    needs_local_network_permission,
)
from corsprobe.browser.page import Prepared, prepare
from corsprobe.browser.profiles import BrowserProfile, RedirectPreflight, preflight_max_age
from corsprobe.model import (
    Credentials,
    Finding,
    HttpRequest,
    HttpResponse,
    Outcome,
    Probe,
    Stage,
    Verdict,
)
from corsprobe.reasons import Reason

MAX_REDIRECTS = redirects_.MAX_REDIRECTS
USER_AGENT = "corsprobe (+https://github.com/corsprobe/corsprobe)"

Simulation = Generator[HttpRequest, HttpResponse, Outcome]


def simulate(probe: Probe, profile: BrowserProfile) -> Simulation:
    """Main fetch, HTTP fetch and HTTP-redirect fetch for one cors-mode request, as the
    profile's browser engine does them."""
    prepared = prepare(probe)
    if isinstance(prepared, Outcome):
        return prepared
    state = _State(probe, prepared, profile)
    return (yield from state.run())


class _State:
    """The mutable walk through one request's redirects; lives only inside simulate()."""

    def __init__(self, probe: Probe, prepared: Prepared, profile: BrowserProfile) -> None:
        self.probe = probe
        self.profile = profile
        self.include = probe.credentials is Credentials.INCLUDE
        self.url = probe.url
        self.method = prepared.method
        self.headers = prepared.headers
        self.body = prepared.body
        self.origin = prepared.origin
        self.tainted = prepared.origin == "null"
        # Fetch Metadata: Sec-Fetch-Site is the least same of the origin and every URL so far.
        self.fetch_site = _fetch_site(prepared.origin, probe.url)
        self.cors_flag = not origins.same_origin(prepared.origin, probe.url)
        self.warnings: list[Finding] = [
            Finding(Reason.FORBIDDEN_HEADER_DROPPED, name) for name in prepared.dropped
        ]
        self.dropped = prepared.dropped
        self.first_preflight: bool | None = None
        self.unsafe_names = spec.cors_unsafe_header_names(prepared.headers, profile)
        self.first_content_type = [h for h in prepared.headers if h[0].lower() == "content-type"]
        self.hop_dropped: set[str] = set()  # unsafe names the last redirect removed
        self.max_age: int | None = None
        # Local Network Access (Chromium M142+): a permission prompt, not a CORS verdict.
        if needs_local_network_permission(prepared.origin, probe.url):
            self.warnings.append(Finding(Reason.LOCAL_NETWORK_ACCESS, origins.serialize_origin(probe.url) or probe.url))

    def request_origin(self) -> str:
        # Fetch "serializing a request origin": a tainted request's origin is "null".
        return "null" if self.tainted else self.origin

    def preflight_origin(self) -> str:
        # Firefox's preflight after a tainting redirect still carries the page's origin.
        return self.request_origin() if self.profile.tainted_preflight_origin else self.origin

    def unsafe_for_this_hop(self) -> tuple[tuple[str, ...], bool]:
        """(names for Access-Control-Request-Headers, whether they alone force a preflight)."""
        unsafe = spec.cors_unsafe_header_names(self.headers, self.profile)
        mode = self.profile.redirect_preflight
        if mode is RedirectPreflight.FRESH:
            return unsafe, bool(unsafe)
        if mode is RedirectPreflight.ORIGINAL:
            # WebKit NetworkLoadChecker: ACRH from m_originalRequestHeaders; once preflighted,
            # m_isSimpleRequest stays false and every later hop is preflighted.
            return self.unsafe_names, bool(self.unsafe_names) or bool(self.first_preflight)
        listed = {n for n in self.unsafe_names if n not in self.hop_dropped} | set(unsafe)
        return tuple(sorted(listed)), bool(self.unsafe_names or unsafe)

    def run(self) -> Simulation:
        for redirects in range(MAX_REDIRECTS + 1):
            unsafe, unsafe_force = self.unsafe_for_this_hop()
            # Main fetch: a preflight is needed for a non-safelisted method or unsafe headers.
            needs_preflight = self.cors_flag and (
                self.method not in spec.SAFELISTED_METHODS or unsafe_force
            )
            if self.first_preflight is None:
                self.first_preflight = needs_preflight
            if needs_preflight:
                response = yield self._preflight_request(unsafe)
                mixed = self._mixed_preflight_redirect(response)
                if mixed is not None:
                    return self._outcome(Verdict.BLOCKED, mixed)
                # WebKit's NetworkCORSPreflightChecker fails on a body it cannot finish reading.
                if self.profile.preflight_body_awaited and response.body_error is not None:
                    broken = Finding(Reason.NETWORK_ERROR, response.body_error, Stage.PREFLIGHT)
                    return self._outcome(Verdict.BLOCKED, broken)
                if self.max_age is None:
                    self.max_age = preflight_max_age(response.values("access-control-max-age"), self.profile)
                failure = checks.judge_preflight(
                    response, self.preflight_origin(), self.method, unsafe, self.include, self.profile
                )
                self.warnings += checks.preflight_warnings(response, unsafe, self.include, self.profile)
                if failure is not None:
                    return self._outcome(Verdict.BLOCKED, failure)
            # corsprobe's own safety policy (not a browser rule): a state-changing actual request,
            # by method or by a method-override header, goes out only with send_unsafe.
            override = spec.state_changing_override(self.headers)
            if (self.method not in spec.READ_ONLY_METHODS or override) and not self.probe.send_unsafe:
                detail = self.method if override is None else (
                    f"{self.method} with '{override}' (frameworks that honour a method override run it)")
                self.warnings.append(Finding(Reason.ACTUAL_NOT_SENT, detail, Stage.ACTUAL))
                verdict = Verdict.ALLOWED if needs_preflight else Verdict.UNCHECKED
                return self._outcome(verdict, None)
            response = yield self._actual_request()
            self.warnings += checks.response_warnings(
                response, self.request_origin(), self.include, self.url, self.origin
            )
            # WebKitGTK (libsoup): an empty or repeated Location fails the load.
            if self.profile.bad_location_fails and checks.bad_location(response):
                return self._outcome(Verdict.BLOCKED, Finding(Reason.INVALID_REDIRECT, "Location", Stage.ACTUAL))
            location = checks.redirect_location(response, self.profile.empty_location_redirects)
            if location is None:
                return self._finish(response, needs_preflight)
            failure = self._follow(response, location, redirects)
            if failure is not None:
                return self._outcome(Verdict.BLOCKED, failure)
        return self._outcome(Verdict.BLOCKED, Finding(Reason.TOO_MANY_REDIRECTS, "", Stage.ACTUAL))

    def _finish(self, response: HttpResponse, preflighted: bool) -> Outcome:
        # HTTP fetch step: a CORS check on the actual response; its status does not matter.
        if self.cors_flag:
            failure = checks.cors_check(response, self.request_origin(), self.include, self.profile)
            if failure is not None:
                if not preflighted and self.method not in spec.READ_ONLY_METHODS:
                    self.warnings.append(Finding(Reason.SIDE_EFFECT_SIMPLE_REQUEST, self.method))
                return self._outcome(Verdict.BLOCKED, replace(failure, stage=Stage.ACTUAL))
        readable = checks.readable_headers(response, self.include, cors=self.cors_flag)
        return self._outcome(Verdict.ALLOWED, None, readable, actual=True)

    def _mixed_preflight_redirect(self, response: HttpResponse) -> Finding | None:
        """Firefox refuses a preflight redirected to mixed content as mixed content."""
        if not self.profile.mixed_content_first_on_redirect:
            return None
        location = checks.redirect_location(response, self.profile.empty_location_redirects)
        if location is None:
            return None
        try:
            target = self._resolve(location)
        except ValueError:
            return None
        return Finding(Reason.MIXED_CONTENT, target, Stage.PREFLIGHT) if is_mixed_content(self.origin, target) else None

    def _resolve(self, location: str) -> str:
        """HTTP fetch "location URL": Location parsed against the current URL (ValueError if
        it does not parse)."""
        return urljoin(self.url, origins.special_url_slashes(location.strip(" \t")))

    def _follow(self, response: HttpResponse, location: str, redirects: int) -> Finding | None:
        """HTTP-redirect fetch: check the 3xx (redirects.refusal), then move the request to the new URL."""
        try:
            new_url: str | None = self._resolve(location)
        except ValueError:
            new_url = None
        hop = redirects_.Hop(response, location, new_url, redirects, self.origin, self.request_origin(),
                             self.cors_flag, self.include)
        failure = redirects_.refusal(hop, self.profile)
        if failure is not None or new_url is None:
            return failure
        cross_origin = not origins.same_origin(self.url, new_url)
        rewritten = redirects_.next_hop(response.status, self.method, self.body, self.headers,
                                        tuple(self.first_content_type), cross_origin, self.profile)
        self.method, self.body, self.headers = rewritten.method, rewritten.body, rewritten.headers
        self.hop_dropped = set(rewritten.dropped)
        # Fetch "redirect-taint": cross-origin hop away from a URL not same-origin with origin.
        if cross_origin and not origins.same_origin(self.origin, self.url):
            self.tainted = True
        self.url = new_url
        self.fetch_site = max(self.fetch_site, _fetch_site(self.origin, new_url), key=_SITES.index)
        # Main fetch: the CORS flag, once set, stays set (response tainting is "cors").
        self.cors_flag = self.cors_flag or not origins.same_origin(self.origin, new_url)
        return None

    def _base_headers(self, origin: str | None) -> list[tuple[str, str]]:
        # Fetch Metadata: Sec-Fetch-* go only to a potentially trustworthy URL.
        metadata = [("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Site", self.fetch_site),
                    ("Sec-Fetch-Dest", "empty")] if is_potentially_trustworthy(self.url) else []
        return [
            *([("Origin", origin)] if origin is not None else []),
            *metadata,
            ("User-Agent", USER_AGENT),
        ]

    def _preflight_request(self, unsafe: tuple[str, ...]) -> HttpRequest:
        # CORS-preflight fetch steps 1-4: OPTIONS, Accept */*, ACRM, ACRH if any; no credentials.
        headers = [("Accept", "*/*"), ("Access-Control-Request-Method", self.method)]
        if unsafe:
            headers.append(("Access-Control-Request-Headers", ",".join(unsafe)))
        return HttpRequest(Stage.PREFLIGHT, "OPTIONS", _strip_fragment(self.url),
                           tuple(headers + self._base_headers(self.preflight_origin())))

    def _actual_request(self) -> HttpRequest:
        # Chromium's HTTP cache re-serializes a single valid byte range ("bytes = 00-" -> "bytes=0-").
        rewrite = self.profile.range_rewritten_on_wire
        headers = [(n, spec.chromium_wire_range(v) if rewrite and n.lower() == "range" else v)
                   for n, v in self.headers]
        if not any(n.lower() == "accept" for n, _ in headers):
            headers.insert(0, ("Accept", "*/*"))
        # HTTP-network-or-cache fetch "append a request Origin header": only for response
        # tainting "cors" or a method other than GET/HEAD (a same-origin GET has no Origin).
        cors = self.cors_flag or self.method not in ("GET", "HEAD")
        headers += self._base_headers(self.request_origin() if cors else None)
        # HTTP-network-or-cache fetch: cookies only with credentials mode "include".
        if self.include and self.probe.cookie:
            headers.append(("Cookie", self.probe.cookie))
        return HttpRequest(Stage.ACTUAL, self.method, _strip_fragment(self.url),
                           tuple(headers), self.body)

    def _outcome(self, verdict: Verdict, failure: Finding | None,
                 readable: tuple[str, ...] = (), actual: bool = False) -> Outcome:
        return Outcome(
            verdict=verdict,
            failure=failure,
            warnings=tuple(dict.fromkeys(self.warnings)),
            preflight_needed=bool(self.first_preflight),
            unsafe_headers=self.unsafe_names,
            readable_headers=readable,
            actual_checked=actual,
            dropped_headers=self.dropped,
            preflight_max_age=self.max_age,
        )


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


_SITES = ("same-origin", "same-site", "cross-site")


def _fetch_site(origin: str, url: str) -> str:
    if origin == "null":
        return "cross-site"
    if origins.same_origin(origin, url):
        return "same-origin"
    return "same-site" if origins.registrable_site(origin) == origins.registrable_site(url) else "cross-site"
