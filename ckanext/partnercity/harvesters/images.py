"""A partner's flag or coat of arms, fetched by the portal so that citizens' browsers never
contact the partner's server (no external hosts on our pages).

Only raster images pass, recognised by their first bytes, never by the partner's
Content-Type: SVG can carry scripts, and a server may call anything ``image/png``. Pillow then
reads the whole image: a valid signature in front of garbage, or a picture too large to
decode safely, is refused.
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import HttpClient

MAX_IMAGE_BYTES = 1024 * 1024  # a flag or coat of arms; anything bigger is not one
IMAGE_TIMEOUT = 10.0  # seconds for the whole fetch: it holds partner_update meanwhile
ACCEPT = "image/png, image/jpeg, image/gif, image/webp"
MAX_PIXELS = 4096 * 4096  # decoding cost, not file size: a small file may declare a huge image
# Pillow's format names for the formats ``sniff`` recognises
PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}

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
    problem = verify(response.content, extension)
    if problem:
        raise HarvestError(problem, response.url)
    return PartnerImage(content=response.content, extension=extension, url=response.url)


def verify(data: bytes, extension: str) -> str:
    """Why Pillow refuses the whole image ("" when it is a sound image of its signature's
    format, at most MAX_PIXELS)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != PILLOW_FORMATS[extension]:
                    return f"image data is {image.format}, not {extension}"
                if image.width * image.height > MAX_PIXELS:
                    return f"image of {image.width}x{image.height} pixels is too large"
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # verify() checks structure only; decoding finds truncated data
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "image is too large to decode safely"
    except UnidentifiedImageError:
        return "not a readable image"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"broken image: {exc}"
    return ""
