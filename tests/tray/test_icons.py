"""The tray's dial: a step for each quarter spent, told apart by shape (not only hue), and paused."""

from __future__ import annotations

import pytest

from monitor.tray.icons import SIZES, pixmap, pixmaps, rgba
from monitor.tray.view import LEVELS, OVER

SIZE = 48


def luma(level: int, paused: bool = False, size: int = SIZE) -> list[float]:
    """Each pixel's brightness over black, as a viewer without colour vision would see it."""
    data = rgba(level, paused, size)
    return [(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) * data[i + 3] / 255
            for i in range(0, len(data), 4)]


def inside(size: int = SIZE) -> list[int]:
    """Pixels well inside the dial's face (within 70 % of its radius)."""
    middle = (size - 1) / 2
    return [row * size + column for row in range(size) for column in range(size)
            if (row - middle) ** 2 + (column - middle) ** 2 <= (0.7 * size / 2) ** 2]


def bright_share(level: int, paused: bool = False) -> float:
    """The share of the face brighter than the empty face: the filled (or marked) part."""
    empty, shown = luma(0), luma(level, paused)
    face = inside()
    return sum(1 for i in face if shown[i] > empty[i] + 30) / len(face)


def test_every_size_as_argb32_in_network_byte_order():
    icons = pixmaps(2, False)
    assert [(width, height) for width, height, _data in icons] == [(size, size) for size in SIZES]
    for width, height, data in icons:
        assert len(data) == width * height * 4
    argb, rgba_data = pixmap(3, False, 22), rgba(3, False, 22)
    for i in range(0, len(argb), 4):
        assert argb[i:i + 4] == bytes((rgba_data[i + 3], *rgba_data[i:i + 3]))
    assert argb[:4] == b"\0\0\0\0"  # the corners are transparent


def test_the_fill_grows_by_a_quarter_a_step_in_brightness_alone():
    shares = [bright_share(level) for level in range(OVER)]
    assert shares[0] == 0.0
    for level in range(1, OVER):
        assert shares[level] == pytest.approx(level / (LEVELS - 1), abs=0.06)


def test_each_step_and_paused_differ_in_shape_without_colour():
    pictures = [luma(level) for level in range(LEVELS)] + [luma(0, paused=True)]
    for first in range(len(pictures)):
        for second in range(first + 1, len(pictures)):
            pairs = zip(pictures[first], pictures[second], strict=True)
            differing = sum(1 for a, b in pairs if abs(a - b) > 30)
            assert differing > SIZE, (first, second)


def test_over_is_a_full_disc_with_a_mark_and_paused_has_two_bars():
    over = bright_share(OVER)
    assert over > 0.9  # filled (vermilion is brighter than the empty face)
    paused = bright_share(0, paused=True)
    assert 0.15 < paused < 0.5  # two white bars on an empty face
    assert pixmap(OVER, False, SIZE) != pixmap(OVER, True, SIZE)
    assert pixmap(0, True, SIZE) == pixmap(OVER, True, SIZE)  # paused looks the same at any step


def test_refuses_steps_and_sizes_that_do_not_exist():
    with pytest.raises(ValueError, match="level 5"):
        pixmap(5, False, 16)
    with pytest.raises(ValueError, match="size 0"):
        rgba(1, False, 0)
