"""Mixed content and Local Network Access classification, one row per case."""

from __future__ import annotations

import pytest

from corsprobe.browser.address_space import (
    AddressSpace,
    address_space,
    is_mixed_content,
    is_potentially_trustworthy,
    needs_local_network_permission,
)

SPACES = [
    ("localhost", "http://localhost:8080/x", AddressSpace.LOOPBACK),
    ("sub-localhost", "http://app.localhost/x", AddressSpace.LOOPBACK),
    ("ipv4-loopback", "http://127.0.0.1/x", AddressSpace.LOOPBACK),
    ("ipv4-loopback-other", "http://127.8.9.1/x", AddressSpace.LOOPBACK),
    ("ipv6-loopback", "http://[::1]:8000/x", AddressSpace.LOOPBACK),
    ("private-10", "http://10.1.2.3/x", AddressSpace.LOCAL),
    ("private-192", "https://192.168.1.10/x", AddressSpace.LOCAL),
    ("link-local", "http://169.254.1.1/x", AddressSpace.LOCAL),
    ("public-ip", "http://93.184.216.34/x", AddressSpace.PUBLIC),
    ("dns-name", "https://api.example.com/x", AddressSpace.UNKNOWN),
]


@pytest.mark.parametrize(("url", "space"), [c[1:] for c in SPACES], ids=[c[0] for c in SPACES])
def test_address_space(url: str, space: AddressSpace) -> None:
    assert address_space(url) is space


MIXED = [
    ("https-to-http", "https://app.example.com", "http://api.example.com/x", True),
    ("https-to-https", "https://app.example.com", "https://api.example.com/x", False),
    ("https-to-localhost", "https://app.example.com", "http://localhost:8000/x", False),
    ("https-to-127", "https://app.example.com", "http://127.0.0.1:8000/x", False),
    ("https-to-private-http", "https://app.example.com", "http://10.0.0.5/x", True),
    ("http-to-http", "http://app.example.com", "http://api.example.com/x", False),
    ("null-origin", "null", "http://api.example.com/x", False),
]


@pytest.mark.parametrize(("origin", "url", "mixed"), [c[1:] for c in MIXED], ids=[c[0] for c in MIXED])
def test_mixed_content(origin: str, url: str, mixed: bool) -> None:
    assert is_mixed_content(origin, url) is mixed


def test_potentially_trustworthy() -> None:
    assert is_potentially_trustworthy("https://api.example.com")
    assert is_potentially_trustworthy("http://[::1]:1/")
    assert not is_potentially_trustworthy("http://api.example.com")


LNA = [
    ("public-page-to-loopback", "https://app.example.com", "http://127.0.0.1:8000/x", True),
    ("public-page-to-private", "https://app.example.com", "https://10.0.0.5/x", True),
    ("loopback-page-to-loopback", "http://localhost:3000", "http://127.0.0.1:8000/x", False),
    ("private-page-to-private", "http://10.0.0.2", "http://10.0.0.5/x", False),
    ("private-page-to-loopback", "http://10.0.0.2", "http://127.0.0.1/x", True),
    ("to-public-name", "https://app.example.com", "https://api.example.com/x", False),
]


@pytest.mark.parametrize(("origin", "url", "needed"), [c[1:] for c in LNA], ids=[c[0] for c in LNA])
def test_local_network_permission(origin: str, url: str, needed: bool) -> None:
    assert needs_local_network_permission(origin, url) is needed
