"""Server side of the CORS check: Access-Control-Allow-Origin and -Allow-Credentials variants,
on the actual response of a simple request and on a preflight response.

Every variant runs without and with credentials. Pure data.
"""

from __future__ import annotations

from tests.browser.blocks import ACAC, ACAH, ACAM, ACAO, GET, POST_TEXT, PUT_XA
from tests.browser.grammar import Case, Hop, Lines, Reply, Request

# name -> the Access-Control-Allow-Origin lines (templates).
ORIGINS: dict[str, Lines] = {
    "absent": (),
    "exact": ((ACAO, "{origin}"),),
    "echo": ((ACAO, "{echo}"),),
    "star": ((ACAO, "*"),),
    "null": ((ACAO, "null"),),
    "trailing-slash": ((ACAO, "{origin}/"),),
    "upper": ((ACAO, "HTTP://LOCALHOST:{page_port}"),),
    "upper-scheme": ((ACAO, "HTTP://localhost:{page_port}"),),
    "no-port": ((ACAO, "http://localhost"),),
    "wrong-port": ((ACAO, "http://localhost:1"),),
    "wrong-scheme": ((ACAO, "https://localhost:{page_port}"),),
    "ip-host": ((ACAO, "http://127.0.0.1:{page_port}"),),
    "api-origin": ((ACAO, "{api}"),),
    "with-path": ((ACAO, "{origin}/app"),),
    "two-lines-same": ((ACAO, "{origin}"), (ACAO, "{origin}")),
    "two-lines-other": ((ACAO, "{origin}"), (ACAO, "http://other.example")),
    "two-lines-star": ((ACAO, "*"), (ACAO, "*")),
    "comma-list": ((ACAO, "{origin}, http://other.example"),),
    "space-list": ((ACAO, "{origin} http://other.example"),),
    "empty": ((ACAO, ""),),
    "padded": ((ACAO, "  {origin}  "),),
    "padded-star": ((ACAO, " * "),),
    "lower-name": (("access-control-allow-origin", "{origin}"),),
    "upper-name": (("ACCESS-CONTROL-ALLOW-ORIGIN", "{origin}"),),
    "wildcard-subdomain": ((ACAO, "http://*.localhost:{page_port}"),),
    "no-scheme": ((ACAO, "localhost:{page_port}"),),
    "host-only": ((ACAO, "localhost"),),
    "quoted": ((ACAO, '"{origin}"'),),
    "star-star": ((ACAO, "**"),),
    "bad-port": ((ACAO, "http://localhost:99999"),),
    "file": ((ACAO, "file://"),),
    "userinfo": ((ACAO, "http://u:p@localhost:{page_port}"),),
    "empty-host": ((ACAO, "http://"),), "caret-host": ((ACAO, "http://a^b"),),
    "bad-ipv4": ((ACAO, "http://256.1.1.1"),), "ipv6": ((ACAO, "http://[::1]:{page_port}"),),
    "bad-ipv6": ((ACAO, "http://[::g]"),), "port-text": ((ACAO, "http://localhost:x"),),
    "empty-port": ((ACAO, "http://localhost:"),), "percent-host": ((ACAO, "http://%41"),),
    "bad-percent": ((ACAO, "http://%zz"),), "scheme-digit": ((ACAO, "1http://x"),),
    "custom-scheme": ((ACAO, "foo:bar"),), "scheme-relative": ((ACAO, "//localhost:{page_port}"),),
    "tab-inside": ((ACAO, "{origin}\tx"),), "default-port": ((ACAO, "http://localhost:80"),),
}

# name -> Access-Control-Allow-Credentials lines, for credentialed requests.
CREDENTIALS: dict[str, Lines] = {
    "absent": (),
    "true": ((ACAC, "true"),),
    "capital": ((ACAC, "True"),),
    "upper": ((ACAC, "TRUE"),),
    "two-lines": ((ACAC, "true"), (ACAC, "true")),
    "list": ((ACAC, "true, true"),),
    "padded": ((ACAC, "  true  "),),
    "one": ((ACAC, "1"),),
    "false": ((ACAC, "false"),),
    "empty": ((ACAC, ""),),
    "quoted": ((ACAC, '"true"'),),
    "lower-name": (("access-control-allow-credentials", "true"),),
}

_PF_METHODS = ((ACAM, "?{acrm}"), (ACAH, "?{acrh}"))
_ACT_OK = ((ACAO, "{echo}"), (ACAC, "true"))


def _simple(lines: Lines, cred: Lines = ((ACAC, "true"),)) -> tuple[Hop, ...]:
    return (Hop(Reply(403, (), b""), Reply(200, lines + cred)),)


def _preflighted(lines: Lines, cred: Lines = ((ACAC, "true"),)) -> tuple[Hop, ...]:
    return (Hop(Reply(204, lines + cred + _PF_METHODS, b""), Reply(200, _ACT_OK)),)


def acao_cases() -> list[Case]:
    cases = []
    for name, lines in ORIGINS.items():
        for suffix, request in (("", GET), ("-cred", GET.with_credentials())):
            cases.append(Case("acao", name + suffix, request, _simple(lines)))
            cases.append(Case("pf-acao", name + suffix, _put(request), _preflighted(lines)))
    for name, lines in CREDENTIALS.items():
        for origin in ("echo", "star"):
            for request, group in ((GET, "acac"), (POST_TEXT, "acac-post")):
                hops = _simple(ORIGINS[origin], lines)
                cases.append(Case(group, f"{name}-{origin}", request.with_credentials(), hops))
            pf_hops = _preflighted(ORIGINS[origin], lines)
            cases.append(Case("pf-acac", f"{name}-{origin}", PUT_XA.with_credentials(), pf_hops))
        # Without credentials Access-Control-Allow-Credentials is never looked at.
        cases.append(Case("acac-omit", name, GET, _simple(ORIGINS["echo"], lines)))
    return cases


def _put(request: Request) -> Request:
    return Request("PUT", PUT_XA.headers, PUT_XA.body, request.credentials)
