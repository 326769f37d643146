"""Table-driven tests of corsprobe.browser.checks: the CORS check, the preflight judgement and the
preflight warnings, one row per rule-book case (§1.4, §1.5).

Pure: responses are built by hand.
"""

from __future__ import annotations

import pytest

from corsprobe.browser import checks
from corsprobe.browser.profiles import CHROMIUM
from corsprobe.model import Headers, HttpResponse, Stage
from corsprobe.reasons import Reason

PAGE = "https://app.example.com"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"


def rows(*cases: tuple[object, ...]) -> list[object]:
    return [pytest.param(*case[1:], id=str(case[0])) for case in cases]


def acao(value: str, *more: tuple[str, str]) -> Headers:
    return ((ACAO, value), *more)


R = Reason
CORS_CHECK = rows(
    ("missing", (), PAGE, False, R.MISSING_ALLOW_ORIGIN_HEADER),
    ("missing-include", (), PAGE, True, R.MISSING_ALLOW_ORIGIN_HEADER),
    ("other-header-only", (("Vary", "Origin"),), PAGE, False, R.MISSING_ALLOW_ORIGIN_HEADER),
    ("star", acao("*"), PAGE, False, None),
    ("star-include", acao("*", (ACAC, "true")), PAGE, True, R.WILDCARD_ORIGIN_NOT_ALLOWED),
    ("star-include-no-acac", acao("*"), PAGE, True, R.WILDCARD_ORIGIN_NOT_ALLOWED),
    ("star-null-origin", acao("*"), "null", False, None),
    ("exact", acao(PAGE), PAGE, False, None),
    ("exact-lowercase-name", (("access-control-allow-origin", PAGE),), PAGE, False, None),
    ("exact-padded", acao(f"  {PAGE}\t"), PAGE, False, None),
    ("exact-include-acac-true", acao(PAGE, (ACAC, "true")), PAGE, True, None),
    ("exact-include-acac-padded", acao(PAGE, (ACAC, " true ")), PAGE, True, None),
    ("exact-include-acac-missing", acao(PAGE), PAGE, True, R.INVALID_ALLOW_CREDENTIALS),
    ("exact-include-acac-True", acao(PAGE, (ACAC, "True")), PAGE, True, R.INVALID_ALLOW_CREDENTIALS),
    ("exact-include-acac-1", acao(PAGE, (ACAC, "1")), PAGE, True, R.INVALID_ALLOW_CREDENTIALS),
    ("exact-include-acac-two-lines", acao(PAGE, (ACAC, "true"), (ACAC, "true")), PAGE, True,
     R.INVALID_ALLOW_CREDENTIALS),
    ("exact-include-acac-true-true", acao(PAGE, (ACAC, "true, true")), PAGE, True,
     R.INVALID_ALLOW_CREDENTIALS),
    ("acac-ignored-without-credentials", acao(PAGE, (ACAC, "False")), PAGE, False, None),
    ("trailing-slash", acao(f"{PAGE}/"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("case", acao("https://APP.example.com"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("wrong-port", acao(f"{PAGE}:8443"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("explicit-default-port", acao(f"{PAGE}:443"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("wrong-scheme", acao("http://app.example.com"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("other-origin", acao("https://evil.example"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("null-for-real-origin", acao("null"), PAGE, False, R.ALLOW_ORIGIN_MISMATCH),
    ("null-for-null-origin", acao("null"), "null", False, None),
    ("null-for-null-origin-include", acao("null", (ACAC, "true")), "null", True, None),
    ("real-origin-for-null-origin", acao(PAGE), "null", False, R.ALLOW_ORIGIN_MISMATCH),
    ("several-values", acao(f"{PAGE}, https://other.example"), PAGE, False, R.MULTIPLE_ALLOW_ORIGIN_VALUES),
    ("two-lines-same", acao(PAGE, (ACAO, PAGE)), PAGE, False, R.MULTIPLE_ALLOW_ORIGIN_VALUES),
    ("two-lines-star", acao("*", (ACAO, "*")), PAGE, False, R.MULTIPLE_ALLOW_ORIGIN_VALUES),
    ("space-no-comma", acao(f"{PAGE} https://other.example"), PAGE, False, R.MULTIPLE_ALLOW_ORIGIN_VALUES),
    ("empty-value", acao(""), PAGE, False, R.INVALID_ALLOW_ORIGIN_VALUE),
    ("wildcard-subdomain", acao("*.example.com"), PAGE, False, R.INVALID_ALLOW_ORIGIN_VALUE),
    ("no-scheme", acao("app.example.com"), PAGE, False, R.INVALID_ALLOW_ORIGIN_VALUE),
)


@pytest.mark.parametrize(("headers", "origin", "include", "expected"), CORS_CHECK)
def test_cors_check(headers: Headers, origin: str, include: bool, expected: Reason | None) -> None:
    finding = checks.cors_check(HttpResponse(200, headers), origin, include, CHROMIUM)
    assert (finding.reason if finding else None) == expected


@pytest.mark.parametrize(("value", "include"), rows(
    ("mismatch", f"{PAGE}/", False), ("multiple", f"{PAGE}, {PAGE}", False), ("invalid", "*.example.com", False),
))
def test_cors_check_detail_is_the_offending_value(value: str, include: bool) -> None:
    finding = checks.cors_check(HttpResponse(200, acao(value)), PAGE, include, CHROMIUM)
    assert finding is not None and finding.detail == value


def preflight(status: int = 204, origin: str | None = PAGE, methods: str | None = "PUT",
              headers: str | None = "X-Token", *extra: tuple[str, str]) -> HttpResponse:
    lines = [(ACAO, origin)] if origin is not None else []
    lines += [(ACAM, methods)] if methods is not None else []
    lines += [(ACAH, headers)] if headers is not None else []
    return HttpResponse(status, (*lines, *extra))


TOKEN = ("x-token",)
CRED = (ACAC, "true")
PREFLIGHT = rows(
    ("ok", preflight(), "PUT", TOKEN, False, None),
    *((f"redirect-{s}", preflight(s, PAGE, "PUT", "X-Token", ("Location", "/x")), "PUT", TOKEN, False,
       R.PREFLIGHT_DISALLOWED_REDIRECT) for s in (301, 302, 303, 307, 308)),
    ("redirect-before-acao", preflight(302, None, None, None, ("Location", "/x")), "PUT", (), False,
     R.PREFLIGHT_DISALLOWED_REDIRECT),
    ("302-without-location", preflight(302), "PUT", TOKEN, False, R.PREFLIGHT_INVALID_STATUS),
    ("missing-acao", preflight(204, None), "PUT", TOKEN, False, R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER),
    ("acao-mismatch", preflight(204, f"{PAGE}/"), "PUT", TOKEN, False, R.PREFLIGHT_ALLOW_ORIGIN_MISMATCH),
    ("acao-multiple", preflight(204, f"{PAGE}, {PAGE}"), "PUT", TOKEN, False,
     R.PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES),
    ("acao-invalid", preflight(204, "*.example"), "PUT", TOKEN, False,
     R.PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE),
    ("acao-star-include", preflight(204, "*", "PUT", "X-Token", CRED), "PUT", TOKEN, True,
     R.PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED),
    ("acac-missing-include", preflight(), "PUT", TOKEN, True, R.PREFLIGHT_INVALID_ALLOW_CREDENTIALS),
    ("acac-true-include", preflight(204, PAGE, "PUT", "X-Token", CRED), "PUT", TOKEN, True, None),
    ("acao-wins-over-status", preflight(500, None), "PUT", TOKEN, False,
     R.PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER),
    *((f"status-{s}", preflight(s), "PUT", TOKEN, False, None if 200 <= s <= 299 else
       R.PREFLIGHT_INVALID_STATUS) for s in (199, 200, 204, 299, 300, 401, 404, 500)),
    ("acam-space-separated", preflight(204, PAGE, "PUT DELETE"), "PUT", TOKEN, False,
     R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    ("acam-semicolon", preflight(204, PAGE, "PUT;"), "PUT", TOKEN, False,
     R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    ("acam-malformed-even-for-get", preflight(204, PAGE, "GET POST"), "GET", TOKEN, False,
     R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    ("acah-space-separated", preflight(204, PAGE, "PUT", "X-Token X-Other"), "PUT", TOKEN, False,
     R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE),
    ("acah-colon", preflight(204, PAGE, "PUT", "X-Token:1"), "PUT", TOKEN, False,
     R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE),
    ("acah-malformed-without-unsafe", preflight(204, PAGE, "PUT", '"x"'), "PUT", (), False,
     R.INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE),
    ("both-malformed-methods-first", preflight(204, PAGE, "A B", "C D"), "PUT", TOKEN, False,
     R.INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE),
    ("acam-put-lower", preflight(204, PAGE, "put"), "PUT", TOKEN, False,
     R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acam-PATCH-for-patch", preflight(204, PAGE, "PATCH"), "patch", TOKEN, False,
     R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acam-PATCH-for-PATCH", preflight(204, PAGE, "PATCH"), "PATCH", TOKEN, False, None),
    ("acam-patch-for-patch", preflight(204, PAGE, "patch"), "patch", TOKEN, False, None),
    ("acam-missing", preflight(204, PAGE, None), "PUT", TOKEN, False, R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acam-two-lines", preflight(204, PAGE, "GET", "X-Token", (ACAM, "PUT")), "PUT", TOKEN, False, None),
    ("acam-star", preflight(204, PAGE, "*"), "PUT", TOKEN, False, None),
    ("acam-star-include", preflight(204, PAGE, "*", "X-Token", CRED), "PUT", TOKEN, True,
     R.METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    *((f"{m}-always-allowed", preflight(204, PAGE, None), m, TOKEN, False, None)
      for m in ("GET", "HEAD", "POST")),
    ("acah-case-insensitive", preflight(204, PAGE, "PUT", "X-TOKEN"), "PUT", TOKEN, False, None),
    ("acah-missing", preflight(204, PAGE, "PUT", None), "PUT", TOKEN, False,
     R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acah-other-name", preflight(204, PAGE, "PUT", "X-Other"), "PUT", TOKEN, False,
     R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acah-one-of-two", preflight(), "PUT", ("authorization", "x-token"), False,
     R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acah-star", preflight(204, PAGE, "PUT", "*"), "PUT", TOKEN, False, None),
    ("acah-star-authorization", preflight(204, PAGE, "PUT", "*"), "PUT", ("authorization",), False, None),
    ("acah-star-include", preflight(204, PAGE, "PUT", "*", CRED), "PUT", TOKEN, True,
     R.HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE),
    ("acah-listed-include", preflight(204, PAGE, "PUT", "x-token", CRED), "PUT", TOKEN, True, None),
)


@pytest.mark.parametrize(("response", "method", "unsafe", "include", "expected"), PREFLIGHT)
def test_judge_preflight(response: HttpResponse, method: str, unsafe: tuple[str, ...],
                         include: bool, expected: Reason | None) -> None:
    finding = checks.judge_preflight(response, PAGE, method, unsafe, include, CHROMIUM)
    assert (finding.reason if finding else None) == expected
    if finding is not None:
        assert finding.stage is Stage.PREFLIGHT


@pytest.mark.parametrize(("response", "unsafe", "expected"), rows(
    ("header-names-the-first-missing", preflight(), ("authorization", "x-token"), "authorization"),
    ("header-lower-case", preflight(204, PAGE, "PUT", None), ("x-token",), "x-token"),
))
def test_judge_preflight_header_detail(response: HttpResponse, unsafe: tuple[str, ...],
                                       expected: str) -> None:
    finding = checks.judge_preflight(response, PAGE, "PUT", unsafe, False, CHROMIUM)
    assert finding is not None and finding.detail == expected


@pytest.mark.parametrize(("response", "unsafe", "include", "warned"), rows(
    ("authorization-by-star", preflight(204, PAGE, "PUT", "*"), ("authorization",), False, True),
    ("authorization-listed", preflight(204, PAGE, "PUT", "*, Authorization"), ("authorization",), False,
     False),
    ("no-authorization", preflight(204, PAGE, "PUT", "*"), ("x-token",), False, False),
    ("include-star-does-not-count", preflight(204, PAGE, "PUT", "*", CRED), ("authorization",), True,
     False),
))
def test_authorization_covered_by_wildcard_warning(response: HttpResponse, unsafe: tuple[str, ...],
                                                   include: bool, warned: bool) -> None:
    found = checks.preflight_warnings(response, unsafe, include, CHROMIUM)
    assert [f.reason for f in found] == ([R.AUTHORIZATION_COVERED_BY_WILDCARD] if warned else [])


SAFE_RESPONSE = (
    ("Cache-Control", "no-store"), ("Content-Language", "en"), ("Content-Length", "2"),
    ("Content-Type", "text/plain"), ("Expires", "0"), ("Last-Modified", "x"), ("Pragma", "no-cache"),
)
SAFE_NAMES = tuple(sorted(name.lower() for name, _ in SAFE_RESPONSE))
EXTRA = (("X-Secret", "1"), ("X-Other", "2"), ("Set-Cookie", "sid=1"), ("Date", "x"))
ACEH = "Access-Control-Expose-Headers"


@pytest.mark.parametrize(("headers", "include", "cors", "expected"), rows(
    ("safelisted-only", (*SAFE_RESPONSE, *EXTRA), False, True, SAFE_NAMES),
    ("safelisted-only-if-present", (("Content-Type", "x"), ("X-Secret", "1")), False, True,
     ("content-type",)),
    ("aceh-one", (*EXTRA, (ACEH, "X-Secret")), False, True, ("x-secret",)),
    ("aceh-case-insensitive", (*EXTRA, (ACEH, "x-SECRET, X-OTHER")), False, True,
     ("x-other", "x-secret")),
    ("aceh-two-lines", (*EXTRA, (ACEH, "X-Secret"), (ACEH, "X-Other")), False, True,
     ("x-other", "x-secret")),
    ("aceh-absent-name", ((ACEH, "X-Missing"),), False, True, ()),
    ("aceh-star", (*SAFE_RESPONSE, *EXTRA, (ACEH, "*")), False, True,
     tuple(sorted((*SAFE_NAMES, "access-control-expose-headers", "date", "x-other", "x-secret")))),
    ("aceh-star-include", (*SAFE_RESPONSE, *EXTRA, (ACEH, "*")), True, True, SAFE_NAMES),
    ("aceh-listed-include", (*EXTRA, (ACEH, "X-Secret")), True, True, ("x-secret",)),
    ("set-cookie-listed", (*EXTRA, (ACEH, "Set-Cookie, Set-Cookie2")), False, True, ()),
    ("set-cookie-same-origin", (("Set-Cookie", "a=1"), ("X-Secret", "1")), False, False,
     ("x-secret",)),
))
def test_readable_headers(headers: Headers, include: bool, cors: bool,
                          expected: tuple[str, ...]) -> None:
    assert checks.readable_headers(HttpResponse(200, headers), include, cors=cors) == expected


API = "https://api.example.com/r"  # same-site as PAGE
CROSS_SITE = "https://api.other-site.test/r"


@pytest.mark.parametrize(("headers", "origin", "include", "url", "expected"), rows(
    ("reflected-no-vary", acao(PAGE), PAGE, False, API, [R.REFLECTED_ORIGIN_WITHOUT_VARY]),
    ("reflected-vary-origin", acao(PAGE, ("Vary", "Origin")), PAGE, False, API, []),
    ("reflected-vary-list", acao(PAGE, ("Vary", "Accept-Encoding, origin")), PAGE, False, API, []),
    ("reflected-vary-star", acao(PAGE, ("Vary", "*")), PAGE, False, API, []),
    ("star-no-vary", acao("*"), PAGE, False, API, []),
    ("missing-acao", (), PAGE, False, API, []),
    ("null-with-credentials", acao("null", CRED), "null", True, API, [R.CREDENTIALS_WITH_NULL_ORIGIN]),
    ("null-without-credentials", acao("null"), "null", False, API, []),
    ("cookie-cross-site-lax", acao(PAGE, ("Vary", "Origin"), CRED, ("Set-Cookie", "sid=1; Path=/")), PAGE,
     True, CROSS_SITE, [R.COOKIE_NOT_SENT_CROSS_SITE]),
    ("cookie-cross-site-none-no-secure", acao(PAGE, ("Vary", "Origin"), CRED,
                                              ("Set-Cookie", "sid=1; SameSite=None")), PAGE, True,
     CROSS_SITE, [R.COOKIE_NOT_SENT_CROSS_SITE]),
    ("cookie-cross-site-none-secure", acao(PAGE, ("Vary", "Origin"), CRED,
                                           ("Set-Cookie", "sid=1; SameSite=None; Secure")), PAGE, True,
     CROSS_SITE, []),
    ("cookie-same-site", acao(PAGE, ("Vary", "Origin"), CRED, ("Set-Cookie", "sid=1")), PAGE, True, API, []),
    ("cookie-without-credentials", acao(PAGE, ("Vary", "Origin"), ("Set-Cookie", "sid=1")), PAGE, False,
     CROSS_SITE, []),
))
def test_response_warnings(headers: Headers, origin: str, include: bool, url: str,
                           expected: list[Reason]) -> None:
    found = checks.response_warnings(HttpResponse(200, headers), origin, include, url, PAGE)
    assert [f.reason for f in found] == expected


def test_cookie_warning_names_the_cookie() -> None:
    response = HttpResponse(200, acao(PAGE, ("Vary", "Origin"), CRED, ("Set-Cookie", "session=abc")))
    found = checks.response_warnings(response, PAGE, True, CROSS_SITE, PAGE)
    assert [f.detail for f in found] == ["session"]
