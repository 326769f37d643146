"""Judging the preflight response: status (incl. redirects), Access-Control-Allow-Methods and
-Allow-Headers syntax and matching (case, "*", credentials, Authorization), Max-Age.

Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import ACAC, ACAH, ACAM, ACAO, PUT_XA, REFLECT_ACTUAL
from tests.browser.grammar import Case, Hop, Lines, Reply, Request

_ORIGIN_OK: Lines = ((ACAO, "{echo}"), (ACAC, "true"))
_REFLECT_LISTS: Lines = ((ACAM, "?{acrm}"), (ACAH, "?{acrh}"))


def _pf(status: int, *lines: tuple[str, str]) -> tuple[Hop, ...]:
    return (Hop(Reply(status, tuple(lines), b""), Reply(200, REFLECT_ACTUAL)),)


STATUSES: dict[str, tuple[Hop, ...]] = {
    **{str(code): _pf(code, *_ORIGIN_OK, *_REFLECT_LISTS)
       for code in (200, 201, 203, 204, 206, 299, 300, 304, 400, 401, 403, 404, 405, 500, 503)},
    **{f"{code}-location": _pf(code, *_ORIGIN_OK, *_REFLECT_LISTS, ("Location", "{next}"))
       for code in (300, 301, 302, 303, 307, 308)},
    **{f"{code}-no-location": _pf(code, *_ORIGIN_OK, *_REFLECT_LISTS) for code in (301, 302, 307)},
    "302-location-no-cors": _pf(302, ("Location", "{next}")),
    "302-empty-location": _pf(302, *_ORIGIN_OK, *_REFLECT_LISTS, ("Location", "")),
    "302-location-cross": _pf(302, *_ORIGIN_OK, *_REFLECT_LISTS, ("Location", "{api2}{next}")),
    "500-no-cors": _pf(500),
    "404-no-acao": _pf(404, *_REFLECT_LISTS),
}

METHODS: dict[str, Request] = {
    "put": PUT_XA, "patch-lower": Request("patch", PUT_XA.headers, "x"),
    "patch-upper": Request("PATCH", PUT_XA.headers, "x"), "delete": Request("DELETE", PUT_XA.headers),
    "custom": Request("FOO", PUT_XA.headers), "post": Request("POST", PUT_XA.headers, "x"),
}

ALLOW_METHODS: dict[str, Lines] = {
    "absent": (), "put": ((ACAM, "PUT"),), "put-lower": ((ACAM, "put"),),
    "patch": ((ACAM, "PATCH"),), "patch-lower": ((ACAM, "patch"),), "delete": ((ACAM, "DELETE"),),
    "custom": ((ACAM, "FOO"),), "star": ((ACAM, "*"),), "safelisted": ((ACAM, "GET, POST"),),
    "all": ((ACAM, "PUT, PATCH, DELETE, FOO, patch"),),
    "space-list": ((ACAM, "PUT PATCH DELETE FOO patch"),),
    "semicolon": ((ACAM, "PUT;PATCH"),), "quoted": ((ACAM, '"PUT"'),),
    "empty-item": ((ACAM, "PUT,,PATCH,DELETE,FOO,patch"),),
    "padded": ((ACAM, "  PUT ,\tpatch , PATCH,DELETE , FOO  "),),
    "only-comma": ((ACAM, ","),), "empty": ((ACAM, ""),),
    "two-lines": ((ACAM, "PUT, patch"), (ACAM, "PATCH, DELETE, FOO")),
    "slash": ((ACAM, "PUT/1"),), "trailing-comma": ((ACAM, "PUT, PATCH, DELETE, FOO, patch,"),),
    "star-and-put": ((ACAM, "*, PUT"),),
}

HEADER_SETS: dict[str, Request] = {
    "xa": Request("GET", (("X-A", "1"),)),
    "xb": Request("GET", (("x-b", "1"),)),
    "authorization": Request("GET", (("Authorization", "Bearer t"),)),
    "two": Request("GET", (("X-A", "1"), ("X-B", "2"))),
    "json": Request("POST", (("Content-Type", "application/json"),), "{}"),
    "auth-and-xa": Request("GET", (("Authorization", "t"), ("X-A", "1"))),
}

ALLOW_HEADERS: dict[str, Lines] = {
    "absent": (), "xa": ((ACAH, "x-a"),), "xa-upper": ((ACAH, "X-A"),), "star": ((ACAH, "*"),),
    "both": ((ACAH, "x-a, x-b"),), "all": ((ACAH, "x-a,x-b,authorization,content-type"),),
    "space-list": ((ACAH, "x-a x-b"),), "semicolon": ((ACAH, "x-a;"),), "quoted": ((ACAH, '"x-a"'),),
    "empty-item": ((ACAH, "x-a,,x-b"),), "two-lines": ((ACAH, "x-a"), (ACAH, "x-b, authorization")),
    "authorization": ((ACAH, "authorization"),), "star-and-auth": ((ACAH, "*, authorization"),),
    "colon": ((ACAH, "x-a:"),), "empty": ((ACAH, ""),), "xa-and-star": ((ACAH, "x-a, *"),),
    "padded": ((ACAH, "  X-A ,\tx-b , Authorization , content-type "),),
    "content-type": ((ACAH, "Content-Type"),),
}

MAX_AGES: dict[str, Lines] = {
    "negative": (("Access-Control-Max-Age", "-1"),), "garbage": (("Access-Control-Max-Age", "abc"),),
    "large": (("Access-Control-Max-Age", "86400"),), "empty": (("Access-Control-Max-Age", ""),),
    "two-lines": (("Access-Control-Max-Age", "5"), ("Access-Control-Max-Age", "10")),
    "decimal": (("Access-Control-Max-Age", "1.5"),),
}


def preflight_cases() -> list[Case]:
    cases = []
    for name, hops in STATUSES.items():
        cases.append(Case("pf-status", name, PUT_XA, hops))
        cases.append(Case("pf-status-cred", name, PUT_XA.with_credentials(), hops))
    for method, request in METHODS.items():
        for name, lines in ALLOW_METHODS.items():
            hops = _pf(204, *_ORIGIN_OK, *lines, (ACAH, "x-a"))
            cases.append(Case("pf-acam", f"{method}-{name}", request, hops))
        for name in ("star", "star-and-put", "put", "all"):
            hops = _pf(204, *_ORIGIN_OK, *ALLOW_METHODS[name], (ACAH, "x-a"))
            cases.append(Case("pf-acam-cred", f"{method}-{name}", request.with_credentials(), hops))
    for headers, request in HEADER_SETS.items():
        for name, lines in ALLOW_HEADERS.items():
            hops = _pf(204, *_ORIGIN_OK, (ACAM, "?{acrm}"), *lines)
            cases.append(Case("pf-acah", f"{headers}-{name}", request, hops))
        for name in ("star", "star-and-auth", "xa-and-star", "all"):
            hops = _pf(204, *_ORIGIN_OK, (ACAM, "?{acrm}"), *ALLOW_HEADERS[name])
            cases.append(Case("pf-acah-cred", f"{headers}-{name}", request.with_credentials(), hops))
    for name, lines in MAX_AGES.items():
        cases.append(Case("pf-maxage", name, PUT_XA, _pf(204, *_ORIGIN_OK, *_REFLECT_LISTS, *lines)))
    return cases
