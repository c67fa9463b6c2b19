"""Small real images for the partner-image tests (built here, no binary fixtures)."""

from __future__ import annotations

import struct
import zlib

RGB = tuple[int, int, int]


def png(width: int = 2, height: int = 2, rgb: RGB = (0, 43, 127)) -> bytes:
    """A valid RGB PNG of one colour."""
    return stripes([rgb], width, height)


def stripes(colours: list[RGB], width: int = 96, height: int = 64) -> bytes:
    """A valid RGB PNG of vertical stripes of equal width: a tricolour flag, say."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"".join(bytes(colours[x * len(colours) // width]) for x in range(width))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)

# The demo partners' national flags (vertical tricolours), served by the fixture portals.
FLAGS = {
    "alba-iulia": [(0, 43, 127), (252, 209, 22), (206, 17, 38)],  # Romania
    "mulhouse": [(0, 85, 164), (255, 255, 255), (239, 65, 53)],  # France
    "evian": [(0, 85, 164), (255, 255, 255), (239, 65, 53)],  # France
    "aarhus": [(200, 16, 46), (255, 255, 255), (200, 16, 46)],  # Denmark's colours
}
