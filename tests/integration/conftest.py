"""Fixtures for the integration tests (anyio_backend comes from tests/conftest.py): no proxies
from the environment (every test talks to 127.0.0.1 directly), an httpx client from the runner, and
a throw-away trustme CA with a certificate for 127.0.0.1 and localhost.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import trustme

from corsprobe.runner import ClientOptions, make_client

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@dataclass(frozen=True)
class Tls:
    """PEM files of a test CA and a server certificate, and a server context using them."""

    ca_pem: str
    cert_pem: str
    key_pem: str
    server_context: ssl.SSLContext


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(ClientOptions(timeout=5.0)) as made:
        yield made


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    folder = tmp_path_factory.mktemp("tls")
    paths = {name: str(folder / f"{name}.pem") for name in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(paths["cert"], append=True)
    cert.private_key_pem.write_to_path(paths["key"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return Tls(paths["ca"], paths["cert"], paths["key"], context)
