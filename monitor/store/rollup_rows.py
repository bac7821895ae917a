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
    existing = groups.get
    for start, end, _, _, category, _, device, _, _, watching in rows:  # (a year's rows: every step counts)
        length = end - start
        micros = int(length * 1000000 + 0.5)
        key = (int(start / 3600), category, device)
        group = existing(key)
        if group is None:
            groups[key] = [micros, micros if watching else 0, 1, 1 if watching else 0, length,
                           int(end / 3600), length]
            continue
        group[0] += micros
        if watching:
            group[1] += micros
            group[3] += 1
        group[2] += 1
        group[4] += length
        end_hour = int(end / 3600)
        if end_hour > group[5]:
            group[5] = end_hour
        if length > group[6]:
            group[6] = length
    return [(hour, category, device, figures[0], figures[1], figures[2], figures[3], figures[4], figures[5],
             figures[6]) for (hour, category, device), figures in groups.items()]
