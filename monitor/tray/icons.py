"""The tray icon, drawn in code: a dial that fills a quarter at a time, and its paused variant (pure).

Readable without colour: each step differs in shape. Steps 0 to 3 fill a pie clockwise
from twelve o'clock (nothing, a quarter, a half, three quarters); step 4, a spent budget,
is a full disc with a white exclamation mark; paused is two bars in an empty
dial. The colours (Okabe and Ito's palette, told apart by every common colour blindness)
only add to it: sky blue, orange from three quarters, vermilion when spent. A white rim
with a dark edge keeps the dial visible on dark and light bars alike.

``pixmap`` gives the StatusNotifierItem form (ARGB32, network byte order: A, R, G, B per
pixel, not premultiplied); ``rgba`` the same pixels as RGBA bytes for Pillow (pystray).
Each picture is drawn once (4 x 4 samples a pixel) and kept, in both forms.
"""

from __future__ import annotations

import functools
import math

from monitor.tray.view import LEVELS, OVER

SIZES = (16, 22, 24, 32, 48)
"""The sizes offered to the tray host, which picks the nearest to its own."""
SUBSAMPLES = 4

Colour = tuple[int, int, int, float]
"""Red, green, blue (0-255) and opacity (0-1)."""

EDGE: Colour = (32, 32, 32, 0.9)
RIM: Colour = (245, 245, 245, 1.0)
FACE: Colour = (32, 32, 32, 0.55)
MARK: Colour = (255, 255, 255, 1.0)
FILL: dict[int, Colour] = {1: (86, 180, 233, 1.0), 2: (86, 180, 233, 1.0), 3: (230, 159, 0, 1.0),
                           OVER: (213, 94, 0, 1.0)}

RIM_OUTER = 0.96
RIM_INNER = 0.80
NOTHING: Colour = (0, 0, 0, 0.0)


def _exclamation(x: float, y: float) -> bool:
    """The mark on a spent dial (coordinates from -1 to 1, y downwards)."""
    return abs(x) <= 0.13 and (-0.58 <= y <= 0.16 or 0.32 <= y <= 0.56)


def _pause_bars(x: float, y: float) -> bool:
    return 0.12 <= abs(x) <= 0.36 and abs(y) <= 0.42


def colour_at(x: float, y: float, level: int, paused: bool) -> Colour:
    """The colour of the dial at ``(x, y)`` (-1 to 1, y downwards) for ``level`` and ``paused``."""
    radius = math.hypot(x, y)
    if radius > 1.0:
        return NOTHING
    if radius > RIM_OUTER:
        return EDGE
    if radius > RIM_INNER:
        return RIM
    if paused:
        return MARK if _pause_bars(x, y) else FACE
    if level >= OVER:
        return MARK if _exclamation(x, y) else FILL[OVER]
    angle = math.atan2(x, -y) % math.tau  # clockwise from twelve o'clock
    if level > 0 and angle < math.tau * level / (LEVELS - 1):
        return FILL[level]
    return FACE


@functools.cache
def _pixels(level: int, paused: bool, size: int) -> tuple[Colour, ...]:
    """Straight (not premultiplied) colours of each pixel, rows from the top."""
    step = 2.0 / (size * SUBSAMPLES)
    pixels = []
    for row in range(size):
        for column in range(size):
            red = green = blue = alpha = 0.0
            for sub_y in range(SUBSAMPLES):
                y = -1.0 + (row * SUBSAMPLES + sub_y + 0.5) * step
                for sub_x in range(SUBSAMPLES):
                    x = -1.0 + (column * SUBSAMPLES + sub_x + 0.5) * step
                    r, g, b, a = colour_at(x, y, level, paused)
                    red, green, blue, alpha = red + r * a, green + g * a, blue + b * a, alpha + a
            if alpha == 0:
                pixels.append(NOTHING)
                continue
            pixels.append((round(red / alpha), round(green / alpha), round(blue / alpha),
                           alpha / SUBSAMPLES**2))
    return tuple(pixels)


def _check(level: int, size: int) -> None:
    if not 0 <= level <= OVER:
        raise ValueError(f"level {level} is not 0 to {OVER}")
    if size < 1:
        raise ValueError(f"size {size} is not a positive number of pixels")


@functools.cache
def pixmap(level: int, paused: bool, size: int) -> bytes:
    """The icon as ARGB32 in network byte order (the StatusNotifierItem ``IconPixmap`` data)."""
    _check(level, size)
    return bytes(value for r, g, b, a in _pixels(level, paused, size) for value in (round(a * 255), r, g, b))


@functools.cache
def rgba(level: int, paused: bool, size: int) -> bytes:
    """The icon as RGBA bytes (Pillow's ``RGBA`` mode)."""
    _check(level, size)
    return bytes(value for r, g, b, a in _pixels(level, paused, size) for value in (r, g, b, round(a * 255)))


def pixmaps(level: int, paused: bool) -> list[tuple[int, int, bytes]]:
    """(width, height, ARGB32 data) at every size in ``SIZES``: the ``IconPixmap`` property."""
    return [(size, size, pixmap(level, paused, size)) for size in SIZES]
