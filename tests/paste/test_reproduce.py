"""Reproduce any row by hand: explain reads every row's reproduce.curl and reproduce.fetch back into
the same probe, and Debian's curl, run against a logging loopback server, puts the same request lines
on the wire that corsprobe did (Host, Connection, Accept-Encoding and Content-Length are the
transport's own and are left out of the comparison)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from corsprobe.browser.spec import normalize_method
from corsprobe.model import Credentials, Probe, Result
from corsprobe.output.reproduce import reproduce
from corsprobe.output.secrets import Masker
from corsprobe.paste.dispatch import parse
from corsprobe.runner import ClientOptions, make_client, run_probe
from tests.cli.conftest import ORIGIN, _api
from tests.support.rawserver import RawServer, Received

TRANSPORT = frozenset({"host", "connection", "accept-encoding", "content-length"})
CURL = shutil.which("curl")


def _probes(server: RawServer) -> list[Probe]:
    return [
        Probe(server.url("/ok/items"), ORIGIN, "GET", credentials=Credentials.INCLUDE, cookie="sid=c00kie-value"),
        Probe(server.url("/ok/items/1"), ORIGIN, "PUT", (("X-Token", "t0ken-1"), ("Authorization", "Bearer abc.def")),
              Credentials.INCLUDE, send_unsafe=True, cookie="sid=c00kie-value; theme=dark"),
        Probe(server.url("/strict/items"), ORIGIN, "DELETE", (("X-Trace", "it's \"quoted\""),)),
        Probe(server.url("/star/items?q=a%20b&x=[1]"), ORIGIN, "POST", (("Content-Type", "text/plain"),),
              body="line one\nline 'two'", send_unsafe=True),
        Probe(server.url("/ok/items"), ORIGIN, "patch", (("X-Token", "1"),), send_unsafe=True),
    ]


@pytest.fixture(scope="module")
def rows() -> Iterator[tuple[RawServer, list[Result]]]:
    with RawServer(_api) as server:
        async def run() -> list[Result]:
            async with make_client(ClientOptions()) as client:
                return [await run_probe(client, probe) for probe in _probes(server)]

        yield server, asyncio.run(run())


def _names(headers: tuple[tuple[str, str], ...]) -> list[str]:
    return sorted(n.lower() for n, _ in headers)


def test_explain_of_curl_rebuilds_the_probe(rows: tuple[RawServer, list[Result]]) -> None:
    for result in rows[1]:
        probe, again = result.probe, reproduce(result)
        [item] = parse("\n".join(again.curl))
        assert (item.url, item.origin, normalize_method(item.method)) == (
            probe.url, probe.origin, normalize_method(probe.method)), again.curl
        assert _names(item.headers) == _names(probe.headers), again.curl
        if result.outcome.actual_checked:
            assert dict((n.lower(), v) for n, v in item.headers) == dict((n.lower(), v) for n, v in probe.headers)
            assert item.cookie == (probe.cookie if probe.credentials is Credentials.INCLUDE else None)
            assert item.body == probe.body
        else:
            assert item.from_preflight  # only the preflight went out: it stands for the request


def test_explain_of_fetch_rebuilds_the_probe(rows: tuple[RawServer, list[Result]]) -> None:
    for result in rows[1]:
        probe, again = result.probe, reproduce(result)
        [item] = parse(again.fetch)
        assert (item.url, item.origin, item.method, item.headers, item.credentials, item.body) == (
            probe.url, probe.origin, probe.method, probe.headers, probe.credentials, probe.body), again.fetch


def test_reproduce_masks_secrets(rows: tuple[RawServer, list[Result]]) -> None:
    result = rows[1][1]
    again = reproduce(result, Masker.of(["c00kie-value"]))
    text = " ".join(again.curl) + again.fetch
    assert "abc.def" not in text and "c00kie-value" not in text and "t0ken-1" not in text
    assert "********" in text


def _wire(received: list[Received]) -> list[tuple[str, str, list[tuple[str, str]], bytes]]:
    return [(r.method, r.target, [(n, v) for n, v in r.headers if n.lower() not in TRANSPORT], r.body)
            for r in received]


@pytest.mark.skipif(CURL is None, reason="curl is not installed (.ci/run installs it)")
def test_curl_commands_send_the_same_request_lines(rows: tuple[RawServer, list[Result]]) -> None:
    server, results = rows
    sent_by_corsprobe = list(server.log)
    assert len(sent_by_corsprobe) == sum(len(r.exchanges) for r in results)
    server.log.clear()
    for result in results:
        for command in reproduce(result).curl:
            done = subprocess.run(["bash", "-c", command + " --silent --max-time 10"], capture_output=True,
                                  timeout=30, check=False)
            assert done.returncode == 0, done.stderr
    assert _wire(server.log) == _wire(sent_by_corsprobe)
