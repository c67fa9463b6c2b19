"""Which partner URLs may be fetched at all.

Partner URLs come from admins and from partner metadata, so they are untrusted:
only http(s), and no private, loopback, link-local or otherwise internal
targets unless the portal explicitly allows them (tests and the demo serve
partner fixtures on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https")


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL with a host: the only kind of link we store or fetch."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.netloc)


class PartnerUrlError(ValueError):
    """A partner URL that must not be fetched; the message says why."""


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise PartnerUrlError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


# IPv6 prefixes that carry an IPv4 address a gateway connects to: the well-known NAT64
# prefix, and the local-use one (RFC 8215). 6to4 and Teredo have their own ipaddress helpers.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses a translating or tunnelling IPv6 address reaches."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if any(address in net for net in NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for addresses a public partner portal never has, also behind NAT64, 6to4 or
    Teredo, which would reach an internal IPv4 address through a gateway."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(_internal(v4) for v4 in _embedded_ipv4(address)):
            return True
        if address.ipv4_mapped is not None:
            return False
        if address in NAT64[1]:
            return True
    return _internal(address)


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not address.is_global or address.is_multicast


def check_partner_url(url: str, *, allow_private: bool = False) -> str:
    """Return ``url`` unchanged if it may be fetched, else raise PartnerUrlError."""
    if not isinstance(url, str) or not url.strip():
        raise PartnerUrlError("partner URL is empty")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise PartnerUrlError(f"only http(s) partner URLs are allowed, not {parts.scheme!r}: {url}")
    if not parts.hostname:
        raise PartnerUrlError(f"partner URL has no host: {url}")
    if parts.username or parts.password:
        raise PartnerUrlError(f"partner URL must not carry credentials: {parts.hostname}")
    if allow_private:
        return url.strip()
    for address in _addresses(parts.hostname):
        if is_internal(address):
            raise PartnerUrlError(
                f"partner URL {url} points at internal address {address}; set "
                "ckanext.partnercity.allow_private_urls = true to allow it"
            )
    return url.strip()
