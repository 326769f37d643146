"""The actual response's status (irrelevant to CORS, but visible) and answers that are not
well-formed HTTP (network errors, not CORS errors), on the preflight and on the actual request.

Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import GET, POST_TEXT, PUT_XA, REFLECT_ACTUAL, pf_ok
from tests.browser.cases_wire import WIRE
from tests.browser.grammar import Case, Hop, Reply

STATUSES = (200, 201, 202, 203, 204, 206, 400, 401, 403, 404, 405, 409, 418, 429, 500, 502, 503)
_EMPTY_BODY = {204, 205, 304}

RAW: dict[str, bytes] = {
    "empty-reply": b"",
    "garbage": b"hello world\r\n\r\n",
    "http09-style": b"ok",
    "bad-status-code": b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
    "header-without-colon": b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nbroken\r\n"
                            b"Content-Length: 0\r\n\r\n",
    "short-body": b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 10\r\n\r\nok",
    "lf-only": b"HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nContent-Length: 0\n\n",
    "status-599": b"HTTP/1.1 599 X\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n",
}


def misc_cases() -> list[Case]:
    cases = []
    for code in STATUSES:
        body = b"" if code in _EMPTY_BODY else b"ok"
        for request, kind in ((GET, "get"), (PUT_XA, "put"), (GET.with_credentials(), "get-cred")):
            hops = (Hop(pf_ok(), Reply(code, REFLECT_ACTUAL, body)),)
            cases.append(Case("status", f"{code}-{kind}", request, hops))
        cases.append(Case("status", f"{code}-no-cors", GET, (Hop(pf_ok(), Reply(code, (), body)),)))
    for name, raw in (RAW | WIRE).items():
        cases.append(Case("net-actual", name, GET, (Hop(pf_ok(), Reply(raw=raw)),)))
        cases.append(Case("net-actual", f"{name}-post", POST_TEXT, (Hop(pf_ok(), Reply(raw=raw)),)))
        preflight = (Hop(Reply(raw=raw), Reply(200, REFLECT_ACTUAL)),)
        cases.append(Case("net-preflight", name, PUT_XA, preflight))
    return cases
