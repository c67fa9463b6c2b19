"""A partner's flag or coat of arms, fetched by the portal so that citizens' browsers never
contact the partner's server (no external hosts on our pages).

Only raster images pass, recognised by their first bytes, never by the partner's
Content-Type: SVG can carry scripts, and a server may call anything ``image/png``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import HttpClient

MAX_IMAGE_BYTES = 1024 * 1024  # a flag or coat of arms; anything bigger is not one
IMAGE_TIMEOUT = 10.0  # seconds for the whole fetch: it holds partner_update meanwhile
ACCEPT = "image/png, image/jpeg, image/gif, image/webp"

# extension -> media type, for the formats ``sniff`` recognises
TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def sniff(data: bytes) -> str | None:
    """The image's format (a key of TYPES) from its signature, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


@dataclass(frozen=True)
class PartnerImage:
    content: bytes
    extension: str
    url: str  # where it came from, after redirects

    @property
    def mimetype(self) -> str:
        return TYPES[self.extension]


def fetch_image(client: HttpClient, url: str) -> PartnerImage:
    """GET the image with the harvest's URL policy, at most MAX_IMAGE_BYTES; HarvestError if
    it cannot be had or is no PNG, JPEG, GIF or WebP."""
    small = dataclasses.replace(
        client,
        max_bytes=min(client.max_bytes, MAX_IMAGE_BYTES),
        timeout=min(client.timeout, IMAGE_TIMEOUT),
        deadline=min(client.request_seconds(), IMAGE_TIMEOUT),  # in all, redirects and retry too
        retries=min(client.retries, 1),
    )
    response = small.get(url, accept=ACCEPT)
    extension = sniff(response.content)
    if extension is None:
        raise HarvestError("not a PNG, JPEG, GIF or WebP image", response.url)
    return PartnerImage(content=response.content, extension=extension, url=response.url)
