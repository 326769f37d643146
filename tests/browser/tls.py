"""TLS for the secure-context suite: one throw-away trustme CA and one leaf certificate for
every name the https servers are reached by, plus what each client needs to trust it.

Chromium trusts the leaf by its key (``--ignore-certificate-errors-spki-list``), Firefox gets
the CA in its certificate database, corsprobe's runner gets the CA file. Test-only; writes
the CA to a temporary directory.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

# The page is https://app.test; the APIs are api.test, app.test (another port), loopback.
NAMES = ("app.test", "api.test", "localhost", "api.localhost", "127.0.0.1")


@dataclass(frozen=True)
class Tls:
    """The server context and the three ways a client is told to trust it."""

    server_context: ssl.SSLContext
    ca_file: Path  # PEM, for corsprobe's runner (ClientOptions.cacert)
    ca_der_base64: str  # for Firefox's nsIX509CertDB
    leaf_spki_sha256: str  # base64 SHA-256 of the leaf's SubjectPublicKeyInfo, for Chromium


def make_tls(directory: Path) -> Tls:
    ca = trustme.CA(organization_name="corsprobe test CA")
    leaf = ca.issue_cert(*NAMES)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    ca_file = directory / "corsprobe-test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    ca_der = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).public_bytes(serialization.Encoding.DER)
    leaf_cert = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes())
    spki = leaf_cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Tls(context, ca_file, base64.b64encode(ca_der).decode(),
               base64.b64encode(hashlib.sha256(spki).digest()).decode())
