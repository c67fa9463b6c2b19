"""Partner URL policy: http(s) only, no internal targets unless allowed."""

from __future__ import annotations

import ipaddress

import pytest

from ckanext.partnercity.harvesters.urls import (
    PartnerUrlError,
    check_partner_url,
    is_http_url,
    is_internal,
)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://opendata.example.org/catalog",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "data:text/html,<script>",
    ],
)
def test_non_http_schemes_are_refused(url):
    with pytest.raises(PartnerUrlError, match="only http"):
        check_partner_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000/api/3/action/package_search",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_internal_targets_are_refused_by_default(url):
    with pytest.raises(PartnerUrlError, match="internal address"):
        check_partner_url(url)


def test_internal_targets_pass_when_allowed():
    url = "http://127.0.0.1:8765/catalog.ttl"
    assert check_partner_url(url, allow_private=True) == url


def test_public_address_passes():
    url = "https://93.184.215.14/api/3/action/package_search"
    assert check_partner_url(f"  {url} ") == url


@pytest.mark.parametrize("url", ["", "   ", "http://", "https:///path"])
def test_urls_without_host_are_refused(url):
    with pytest.raises(PartnerUrlError):
        check_partner_url(url)


def test_credentials_in_url_are_refused():
    with pytest.raises(PartnerUrlError, match="credentials"):
        check_partner_url("https://user:secret@opendata.example.org/", allow_private=True)


def test_unresolvable_host_is_a_clear_error():
    with pytest.raises(PartnerUrlError, match="cannot resolve host 'no-such-host.invalid'"):
        check_partner_url("https://no-such-host.invalid/api/3")


def test_multicast_counts_as_internal():
    assert is_internal(ipaddress.ip_address("224.0.0.1"))
    assert not is_internal(ipaddress.ip_address("8.8.8.8"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://data.apulum.ro/dataset/aer", True),
        ("HTTP://Data.Example.org", True),
        ("http://", False),
        ("ftp://data.example.org/a.csv", False),
        ("javascript:alert(1)", False),
        ("/relative/path", False),
        ("data.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_is_http_url(value, expected):
    assert is_http_url(value) is expected


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254 (cloud metadata)
        "64:ff9b:1::a00:1",  # local-use NAT64 prefix
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    ],
)
def test_translated_and_tunnelled_internal_addresses_are_internal(address):
    assert is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"])
def test_translated_public_addresses_stay_public(address):
    assert not is_internal(ipaddress.ip_address(address))
