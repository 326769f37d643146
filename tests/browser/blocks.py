"""Building blocks of the case grammar: common client requests and server answers.

Header values are templates (grammar.render): {origin} the page origin, {echo} the received
Origin, {acrm}/{acrh} the received preflight headers, {next} the next hop's path. Pure data.
"""

from __future__ import annotations

from tests.browser.grammar import Hop, Lines, Reply, Request

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"

GET = Request("GET")
POST_TEXT = Request("POST", body="hello")
PUT_XA = Request("PUT", (("X-A", "1"),), body="hello")
GET_XA = Request("GET", (("X-A", "1"),))
POST_JSON = Request("POST", (("Content-Type", "application/json"),), body="{}")

# Everything a credentialed request needs, reflected from what arrived.
REFLECT_PREFLIGHT: Lines = (
    (ACAO, "{echo}"), (ACAC, "true"), (ACAM, "?{acrm}"), (ACAH, "?{acrh}"),
)
REFLECT_ACTUAL: Lines = ((ACAO, "{echo}"), (ACAC, "true"))
WILDCARD_ACTUAL: Lines = ((ACAO, "*"),)


def pf_ok(*extra: tuple[str, str]) -> Reply:
    return Reply(204, REFLECT_PREFLIGHT + tuple(extra), b"")


def ok(*lines: tuple[str, str], status: int = 200) -> Reply:
    return Reply(status, tuple(lines))


def reflect_hop() -> Hop:
    """A server that allows anything for the requesting origin, with credentials."""
    return Hop(pf_ok(), Reply(200, REFLECT_ACTUAL))


def hop(preflight: Reply | None = None, actual: Reply | None = None) -> Hop:
    return Hop(preflight or pf_ok(), actual or Reply(200, REFLECT_ACTUAL))


def redirect(status: int, location: str = "{next}", cors: Lines = REFLECT_ACTUAL) -> Reply:
    return Reply(status, (*cors, ("Location", location)), b"")


def with_header(request: Request, name: str, value: str) -> Request:
    return Request(request.method, (*request.headers, (name, value)), request.body,
                   request.credentials)
