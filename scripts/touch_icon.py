"""Draw templates/static/touch-icon.png: favicon.svg's sign at 180 x 180 pixels, for the phones
that want a bitmap icon (apple-touch-icon) and for link previews (og:image).

The sign is a ring crossed by a bar, white on the header's blue. Each pixel is the mean of 4 x 4
samples, so the edges are smooth. Run it again after changing the sign in favicon.svg:

    python3 scripts/touch_icon.py
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

SIZE = 180
SAMPLES = 4  # per side of a pixel
BLUE = (0x08, 0x3A, 0x66)  # --accent-dark of style.css, as in favicon.svg
WHITE = (0xFF, 0xFF, 0xFF)
# In favicon.svg's 64-unit box: the ring's centre, radii and the bar's half width.
CENTRE, OUTER, INNER, BAR = 32.0, 22.0, 15.0, 3.6


def white(x: float, y: float) -> bool:
    """Whether a point of the 64-unit box is on the sign."""
    dx, dy = x - CENTRE, y - CENTRE
    distance = math.hypot(dx, dy)
    ring = INNER <= distance <= OUTER
    bar = abs(dx - dy) / math.sqrt(2) <= BAR and distance <= OUTER  # top left to bottom right
    return ring or bar


def pixel(column: int, row: int) -> bytes:
    scale = 64 / SIZE
    hits = sum(
        white((column + (i + 0.5) / SAMPLES) * scale, (row + (j + 0.5) / SAMPLES) * scale)
        for i in range(SAMPLES)
        for j in range(SAMPLES)
    )
    share = hits / SAMPLES**2
    return bytes(round(b + (w - b) * share) for b, w in zip(BLUE, WHITE, strict=True))


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png() -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(pixel(column, row) for column in range(SIZE)) for row in range(SIZE)
    )
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "templates/static/touch-icon.png"
    target.write_bytes(png())
    sys.stdout.write(f"written {target.name}: {target.stat().st_size} bytes\n")
