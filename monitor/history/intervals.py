"""Interval arithmetic on sorted time pieces: merge, trim overlaps, subtract, intersect.

Also the one rule for the slivers that cutting leaves: ``lasts_to_another_millisecond``,
and ``kept_outside``, what of a span the importers keep around forgotten time.

A piece is ``(start, end, payload)`` with ``start < end``. Every function takes pieces
sorted by start and returns them sorted, in linear time (two pointers), so an import
of a year of events stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

P = TypeVar("P")
Q = TypeVar("Q")
Piece = tuple[float, float, P]


_SURELY_S = 0.0011
"""A piece at least this long starts and ends in different milliseconds, whatever the rounding."""


def lasts_to_another_millisecond(start: float, end: float) -> bool:
    """Whether ``[start, end)`` ends in another whole millisecond than it starts in, as origins round them.

    A piece that does not (a sliver that away or forgotten time cut off an event) holds less
    than a millisecond, and would share its origin (the start in whole milliseconds) with
    the piece after it: importers drop it. A piece of a millisecond is kept, though its end
    less its start may come out a little under 0.001 in floating point.
    """
    return end - start >= _SURELY_S or round(start * 1000) != round(end * 1000)


def merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sort and join overlapping or touching intervals."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def trim_overlaps(pieces: Sequence[Piece[P]]) -> tuple[list[Piece[P]], float]:
    """Cut each piece's start to the end of the one before; return the pieces and seconds cut."""
    kept: list[Piece[P]] = []
    cut = 0.0
    reach = float("-inf")
    for piece in pieces:
        start, end, payload = piece
        if start >= reach:
            kept.append(piece)
            reach = end
            continue
        cut += min(end, reach) - start
        if end > reach:
            kept.append((reach, end, payload))
            reach = end
    return kept, cut


def subtract(pieces: Sequence[Piece[P]], holes: Sequence[tuple[float, float]]) -> list[Piece[P]]:
    """The parts of ``pieces`` outside ``holes`` (merged, sorted intervals)."""
    if not holes:
        return list(pieces)
    result: list[Piece[P]] = []
    append = result.append
    first = 0
    count = len(holes)
    for piece in pieces:
        start, end, payload = piece
        while first < count and holes[first][1] <= start:
            first += 1
        if first == count or holes[first][0] >= end:
            append(piece)  # untouched by any hole
            continue
        cursor = start
        index = first
        while index < count and holes[index][0] < end:
            hole_start, hole_end = holes[index]
            if hole_start > cursor:
                result.append((cursor, hole_start, payload))
            cursor = max(cursor, hole_end)
            if cursor >= end:
                break
            index += 1
        if cursor < end:
            result.append((cursor, end, payload))
    return result


def kept_outside(start: float, end: float, holes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of ``[start, end)`` outside ``holes`` (merged, sorted) that an importer keeps.

    Slivers the holes leave (``lasts_to_another_millisecond``) are dropped.
    """
    return [(s, e) for s, e, _ in subtract([(start, end, None)], holes) if lasts_to_another_millisecond(s, e)]


def intersect(left: Sequence[Piece[P]], right: Sequence[Piece[Q]]) -> list[tuple[float, float, P, Q]]:
    """Every overlap of a ``left`` piece with a ``right`` piece (each list free of overlaps)."""
    result: list[tuple[float, float, P, Q]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end, left[i][2], right[j][2]))
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return result
