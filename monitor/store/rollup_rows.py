"""The rollup of span rows before they are inserted: the figures the bulk rollup's SQL reads back.

A bulk insert (``rollups.bulk_inserts``) rolls up the rows it added by reading them back
with SQL, grouped by UTC hour, category and device. When every row of a batch was
inserted (none was already stored), the same figures can come from the rows themselves,
worked out beforehand by whoever made them (a big import's planning process, on the other
core), and the store need not read them back. Each figure is computed as the SQL computes
it, in the same floating point: the hour as ``CAST(start / 3600 AS INTEGER)``, the whole
microseconds as ``CAST(ROUND((end - start) * 1000000) AS INTEGER)`` (SQLite rounds half
away from zero: for the lengths a span has, ``(int64)(x + 0.5)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RollupRow = tuple[int, str, str, int, int, int, int, float, int, float]
"""One group's hour, category and device; its micros, watching micros, spans and watching spans;
its seconds (as a float sum), the hour of its last end and its longest span (``rollups._NEW_ROLLUPS``)."""


def rollup_rows(rows: Iterable[tuple[Any, ...]]) -> list[RollupRow]:
    """The rollup of span ``rows`` (``bulk.SpanInsert``: start, end, app, title, category, name, device…)."""
    groups: dict[tuple[int, str, str], list[Any]] = {}
    for row in rows:
        start, end, category, device, watching = row[0], row[1], row[4], row[6], row[9]
        length = end - start
        micros = int(length * 1000000 + 0.5)
        key = (int(start / 3600), category, device)
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, 0, 0, 0, 0.0, 0, length]
        group[0] += micros
        if watching:
            group[1] += micros
            group[3] += 1
        group[2] += 1
        group[4] += length
        group[5] = max(group[5], int(end / 3600))
        group[6] = max(group[6], length)
    return [(hour, category, device, figures[0], figures[1], figures[2], figures[3], figures[4], figures[5],
             figures[6]) for (hour, category, device), figures in groups.items()]
