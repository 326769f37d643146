"""Attacker origins derived from the app's origins: one function per class of origin-check mistake.

Pure. Each function takes one parsed app origin and returns the origins a page of an attacker could be
served from if the server's check has that mistake; ``derive`` orders them (broadest classes first, so a
finding there makes the narrower ones moot) and drops duplicates and the app origins themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corsprobe.audit.codes import Code
from corsprobe.browser import origins

#: A registrable domain reserved for examples (RFC 2606): nobody can own it, so nothing real is named.
ATTACKER_DOMAIN = "corsprobe-attacker.example"
ATTACKER_LABEL = "corsprobe"
#: Characters browsers put in a host name that hand-written checks treat as a boundary: '_' (every browser),
#: '`' and '}' (Safari only).
SPECIAL_CHARS = ("_", "`", "}")
LOCAL_DEV_ORIGINS = ("http://localhost", "http://localhost:3000", "http://127.0.0.1:8080")
#: Origins anyone can publish a page on: code playgrounds, and user subdomains of shared hosts.
THIRD_PARTY_ORIGINS = (
    "https://corsprobe-audit.github.io", "https://codepen.io", "https://cdpn.io", "https://jsfiddle.net",
    "https://fiddle.jshell.net", "https://null.jsbin.com", "https://stackblitz.com",
    "https://corsprobe-audit.gitlab.io", "https://corsprobe-audit.netlify.app",
    "https://corsprobe-audit.vercel.app", "https://corsprobe-audit.pages.dev",
    "https://corsprobe-audit.herokuapp.com", "https://corsprobe-audit.web.app",
    "https://corsprobe-audit.glitch.me",
)
OTHER_PORT = 1337
#: A method and a header no app uses: a preflight answer naming them echoes the request.
ECHO_METHOD = "CORSPROBE"
ECHO_HEADER = "X-Corsprobe-Echo"


@dataclass(frozen=True, slots=True)
class AppOrigin:
    """An app origin taken apart: scheme, host, port suffix (':8443' or '') and registrable domain."""

    origin: str
    scheme: str
    host: str
    port: str
    site: str

    @classmethod
    def parse(cls, origin: str) -> AppOrigin | None:
        serialized = origins.serialize_origin(origin)
        parts = origins.split_url(serialized) if serialized else None
        site = origins.registrable_site(serialized) if serialized else None
        if serialized is None or parts is None or parts.hostname is None or site is None:
            return None
        return cls(serialized, parts.scheme, parts.hostname, f":{parts.port}" if parts.port else "", site[1])

    @property
    def is_ip_or_local(self) -> bool:
        return self.host.replace(".", "").isdigit() or ":" in self.host or "." not in self.host

    def at(self, host: str, port: str | None = None, scheme: str | None = None) -> str:
        return f"{scheme or self.scheme}://{host}{self.port if port is None else port}"


@dataclass(frozen=True, slots=True)
class Attacker:
    """One origin to try, the class of mistake that would let it through, and how it was made."""

    origin: str
    code: Code
    how: str


def unrelated(app: AppOrigin) -> list[Attacker]:
    return [Attacker(f"https://{ATTACKER_DOMAIN}", Code.REFLECT_ANY_ORIGIN, "an unrelated origin")]


def null(app: AppOrigin) -> list[Attacker]:
    return [Attacker("null", Code.NULL_ORIGIN_TRUSTED, "the opaque origin of a sandboxed iframe")]


def contains(app: AppOrigin) -> list[Attacker]:
    host = f"{ATTACKER_LABEL}-{app.host}.{ATTACKER_DOMAIN}"
    return [Attacker(app.at(host, ""), Code.SUBSTRING_CONTAINS, f"a host containing '{app.host}'")]


def suffix(app: AppOrigin) -> list[Attacker]:
    return [Attacker(app.at(f"{ATTACKER_LABEL}{app.site}", ""), Code.SUFFIX_MATCH,
                     f"a domain ending in '{app.site}' without a dot before it")]


def prefix(app: AppOrigin) -> list[Attacker]:
    if app.port:
        return []
    return [Attacker(app.at(f"{app.host}.{ATTACKER_DOMAIN}"), Code.PREFIX_MATCH,
                     f"an origin starting with '{app.origin}'")]


def truncation(app: AppOrigin) -> list[Attacker]:
    host = app.host[:-1].rstrip(".")
    return [Attacker(app.at(host), Code.SUBSTRING_OF_ALLOWLIST,
                     f"'{host}', a substring of '{app.host}' (an indexOf on the allow-list string)")]


def unescaped_dots(app: AppOrigin) -> list[Attacker]:
    found = []
    for index, char in enumerate(app.host):
        if char == ".":
            host = f"{app.host[:index]}x{app.host[index + 1:]}"
            found.append(Attacker(app.at(host), Code.UNESCAPED_DOT, f"'{host}': a letter where '{app.host}' has a dot"))
    return found


def subdomains(app: AppOrigin) -> list[Attacker]:
    hosts = [f"{ATTACKER_LABEL}-audit.{app.site}"]
    if app.host != app.site:
        hosts.append(f"{ATTACKER_LABEL}-audit.{app.host}")
    return [Attacker(app.at(host), Code.ANY_SUBDOMAIN_TRUSTED, f"an arbitrary subdomain '{host}'") for host in hosts]


def http_twin(app: AppOrigin) -> list[Attacker]:
    if app.scheme != "https":
        return []
    return [Attacker(app.at(app.host, scheme="http"), Code.HTTP_ORIGIN_TRUSTED, "the plain-http twin")]


def special_chars(app: AppOrigin) -> list[Attacker]:
    return [Attacker(app.at(f"{app.host}{char}.{ATTACKER_DOMAIN}", ""), Code.SPECIAL_CHAR_BYPASS,
                     f"'{char}' after '{app.host}' (a host name character {_who(char)} accepts)")
            for char in SPECIAL_CHARS]


def other_port(app: AppOrigin) -> list[Attacker]:
    port = f":{OTHER_PORT + 1 if app.port == f':{OTHER_PORT}' else OTHER_PORT}"
    return [Attacker(app.at(app.host, port), Code.PORT_NOT_VALIDATED, f"the app's host on port {port[1:]}")]


def localhost(app: AppOrigin) -> list[Attacker]:
    return [Attacker(origin, Code.LOCALHOST_TRUSTED, "a local development origin") for origin in LOCAL_DEV_ORIGINS]


def third_party(app: AppOrigin) -> list[Attacker]:
    return [Attacker(origin, Code.THIRD_PARTY_TRUSTED, "a site anyone can publish on")
            for origin in THIRD_PARTY_ORIGINS]


#: The order in which classes are tried: the unrelated origin first (a reflection makes all the rest moot),
#: then the broad mistakes (a 'contains' explains prefix and suffix origins), then the narrow ones.
CLASSES: tuple[Callable[[AppOrigin], list[Attacker]], ...] = (
    unrelated, null, contains, suffix, prefix, truncation, unescaped_dots, subdomains, http_twin,
    special_chars, other_port, localhost, third_party,
)
#: Classes that make no sense for an IP or single-label app host (no registrable domain to play with).
_NEEDS_DOMAIN = frozenset({contains, suffix, prefix, truncation, unescaped_dots, subdomains, special_chars})


def derive(app_origins: Sequence[str]) -> list[Attacker]:
    """Every attacker origin for these app origins, in the order they should be tried."""
    apps = [app for origin in app_origins if (app := AppOrigin.parse(origin)) is not None]
    own = {app.origin for app in apps}
    local = any(app.is_ip_or_local for app in apps)
    seen: set[str] = set()
    found: list[Attacker] = []
    for make in CLASSES:
        for app in apps:
            if make in _NEEDS_DOMAIN and app.is_ip_or_local:
                continue
            if make is localhost and local:
                continue
            for attacker in make(app):
                if attacker.origin not in own and attacker.origin not in seen:
                    seen.add(attacker.origin)
                    found.append(attacker)
    return found


def _who(char: str) -> str:
    return "every browser" if char == "_" else "Safari"
