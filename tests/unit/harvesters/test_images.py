"""Fetching a partner's flag or coat of arms: only raster images, capped (real local server)."""

from __future__ import annotations

import struct
import zlib

import pytest

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.images import MAX_IMAGE_BYTES, fetch_image, sniff
from tests.support.http_server import serve
from tests.support.images import SVG_WITH_SCRIPT, png


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (png(), "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpg"),
        (b"GIF89a\x01\x00\x01\x00", "gif"),
        (b"RIFF\x1a\x00\x00\x00WEBPVP8 ", "webp"),
        (SVG_WITH_SCRIPT, None),
        (b"<!DOCTYPE html><html>login</html>", None),
        (b"RIFF\x1a\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_sniff_recognises_raster_images_only(data, kind):
    assert sniff(data) == kind


def _fetch(body: bytes, content_type: str = "image/png", status: int = 200):
    def handler(method, path, query):
        return status, {"Content-Type": content_type}, body

    with serve(handler) as server:
        return fetch_image(HttpClient(allow_private=True, retries=0), server.url + "/flag.png")


def test_a_png_is_fetched_with_its_type():
    image = _fetch(png())
    assert image.content == png() and image.extension == "png"
    assert image.mimetype == "image/png" and image.url.endswith("/flag.png")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (SVG_WITH_SCRIPT, "image/svg+xml"),
        (SVG_WITH_SCRIPT, "image/png"),  # the header lies: the bytes decide
        (b"<html>Please log in</html>", "image/png"),
    ],
)
def test_anything_but_a_raster_image_is_refused(body, content_type):
    with pytest.raises(HarvestError, match="not a PNG, JPEG, GIF or WebP"):
        _fetch(body, content_type)


def test_an_image_over_the_cap_is_refused_whatever_the_client_allows():
    with pytest.raises(HarvestError, match="exceeds the limit"):
        _fetch(png() + b"\x00" * MAX_IMAGE_BYTES)


def test_a_missing_image_is_an_error_not_an_image():
    with pytest.raises(HarvestError, match="HTTP 404"):
        _fetch(b"gone", "text/plain", status=404)


def test_private_addresses_stay_refused_unless_allowed():
    with pytest.raises(HarvestError):
        fetch_image(HttpClient(retries=0), "http://127.0.0.1:9/flag.png")


def test_the_demo_flags_are_real_pngs_with_their_three_colours():
    import zlib

    from tests.support.images import FLAGS, stripes

    for colours in FLAGS.values():
        data = stripes(colours, width=6, height=1)
        assert sniff(data) == "png"
        idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
        assert zlib.decompress(idat) == b"\x00" + b"".join(bytes(c) * 2 for c in colours)


def _declared(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height, over a two-pixel image's data."""
    data = bytearray(png())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "broken image"),
        (png(96, 64)[:-40], "broken image"),  # cut off inside its data
        (_declared(20000, 20000), "too large"),  # a small file promising 400 megapixels
        (b"\xff\xd8\xff" + png()[3:], "not a readable image"),  # JPEG signature, PNG inside
    ],
)
def test_a_signature_in_front_of_something_else_is_refused(body, problem):
    with pytest.raises(HarvestError, match=problem):
        _fetch(body)
