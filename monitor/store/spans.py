"""The spans table: the recorder's writes, and the sums that budgets and reports read.

A span is one stretch of attention on one window. Spans never cross a day boundary (the
recorder and the importers split them), so a span belongs to the period its start falls
in, and a period's total is a range scan of the ``spans.start_utc`` index. A span counted
while watching (media playing with no input) has ``watching = 1``: its seconds are part
of every total, and also summed on their own (``watching_seconds``); budgets may leave
them out (``count_watching``).

The writes are methods of Store (monitor.store.database), which inherits them from
SpanWrites; the sums are functions taking a Store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.store import device_totals, rollups

if TYPE_CHECKING:
    from monitor.store.database import Store

_LONGEST_SPAN_S = 2 * 86400.0
"""Longer than any span: spans are cut at day boundaries (a day is at most 25 h)."""
_PERIODS_PER_QUERY = 300  # three bound parameters per period; well under SQLite's variable limit


class SpanWrites:
    """Store a new span, move the end of a growing one, cut away time; a part of Store."""

    connection: sqlite3.Connection

    def insert_span(self, start_utc: float, end_utc: float, app: str, title: str | None,
                    category: str, name: str, device: str, *, watching: bool = False) -> int:
        """Store a new span and return its id (``watching``: counted while media played, no input)."""
        cursor = self.connection.execute(
            "INSERT INTO spans (start_utc, end_utc, app, title, category, name, device, watching) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (start_utc, end_utc, app, title, category, name, device, int(watching)),
        )
        return int(cursor.lastrowid or 0)

    def extend_span(self, span_id: int, end_utc: float, *, start_utc: float | None = None) -> bool:
        """Move the end of span ``span_id`` to ``end_utc``; False when that span is not stored.

        With ``start_utc`` only the span with that start is changed: after ``unscroll forget``
        deleted a span, SQLite may give its id to the next new span, which is left alone.
        """
        if start_utc is None:
            cursor = self.connection.execute("UPDATE spans SET end_utc = ? WHERE id = ?", (end_utc, span_id))
        else:
            cursor = self.connection.execute("UPDATE spans SET end_utc = ? WHERE id = ? AND start_utc = ?",
                                             (end_utc, span_id, start_utc))
        return cursor.rowcount > 0

    def delete_span(self, span_id: int, *, start_utc: float | None = None) -> None:
        """Remove span ``span_id`` (all of it was away time); with ``start_utc``, only if it starts then."""
        if start_utc is None:
            self.connection.execute("DELETE FROM spans WHERE id = ?", (span_id,))
        else:
            self.connection.execute("DELETE FROM spans WHERE id = ? AND start_utc = ?", (span_id, start_utc))

    def cut_spans_after(self, last_input: float, device: str) -> int:
        """Cut this device's daemon spans back to ``last_input``; return how many changed.

        After a crash: the time after the last input the daemon saw was provisional, and
        nobody can say the person came back. A span never crosses a day boundary, so only
        spans starting less than a day before ``last_input`` can reach past it. Watching
        spans are left alone: media was playing, so their time did not hang on an input.
        """
        emptied = self.connection.execute(
            "DELETE FROM spans WHERE start_utc >= ? AND device = ? AND source = 'daemon' AND watching = 0",
            (last_input, device)).rowcount
        shortened = self.connection.execute(
            "UPDATE spans SET end_utc = ? WHERE start_utc >= ? AND start_utc < ? AND end_utc > ? "
            "AND device = ? AND source = 'daemon' AND watching = 0",
            (last_input, last_input - _LONGEST_SPAN_S, last_input, last_input, device)).rowcount
        return int(emptied) + int(shortened)


@dataclass(frozen=True)
class ItemTotal:
    """Time on one item (a site, an app or a window) during a period."""

    name: str
    app: str
    category: str
    seconds: float
    watching_seconds: float = 0.0
    """The part of ``seconds`` counted while watching."""


def _largest_first(totals: Iterable[tuple[str, float]]) -> dict[str, float]:
    return dict(sorted(totals, key=lambda kv: (-kv[1], kv[0])))


def category_totals(store: Store, start_utc: float, end_utc: float, *,
                    count_watching: bool = True) -> dict[str, float]:
    """Seconds per category for spans starting in ``[start_utc, end_utc)``, largest first.

    ``count_watching`` False leaves out the time counted while watching (``budgets.count_watching``).
    With other devices' spans stored, each category's time is counted once (monitor.store.device_totals).
    """
    if device_totals.counts_devices_once(store):
        variant = device_totals.ALL if count_watching else device_totals.NOT_WATCHING
        per_category, _ = device_totals.union_totals(store, start_utc, end_utc, variant=variant)
        return _largest_first(per_category.items())
    if end_utc - start_utc > rollups.LONG_RANGE_S and rollups.usable(store):  # longer than a day
        return _largest_first(rollups.category_seconds(store, start_utc, end_utc,
                                                       watching=0 if count_watching else 1).items())
    rows = store.connection.execute(
        "SELECT category, SUM(end_utc - start_utc) FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? AND (? OR watching = 0) GROUP BY category",
        (start_utc, end_utc, int(count_watching)),
    ).fetchall()
    return _largest_first((str(category), float(seconds)) for category, seconds in rows)


def category_totals_per_period(store: Store, periods: Sequence[tuple[float, float]], *,
                               only_watching: bool = False) -> list[dict[str, float]]:
    """For each ``[start_utc, end_utc)`` of ``periods`` (in the order given), seconds per category.

    What category_totals gives for one period, for many at once: one indexed query per
    few hundred periods, summed in SQLite (a year of days takes one query, not 365).
    ``only_watching``: the seconds counted while watching only. With other devices' spans
    stored, each category's time is counted once (monitor.store.device_totals).
    """
    if device_totals.counts_devices_once(store):
        variant = device_totals.ONLY_WATCHING if only_watching else device_totals.ALL
        return [_largest_first(totals.items()) for totals, _ in
                device_totals.union_totals_per_period(store, periods, variant=variant)]
    sums: list[dict[str, float]] = [{} for _ in periods]
    short = [index for index, (start, end) in enumerate(periods) if end - start <= rollups.LONG_RANGE_S]
    if len(short) < len(periods) and rollups.usable(store):  # the periods longer than a day: rollups
        for index in sorted(set(range(len(periods))) - set(short)):
            sums[index] = rollups.category_seconds(store, *periods[index], watching=2 if only_watching else 0)
    else:
        short = list(range(len(periods)))
    for first in range(0, len(short), _PERIODS_PER_QUERY):
        chunk = short[first:first + _PERIODS_PER_QUERY]
        values = ", ".join("(?, ?, ?)" for _ in chunk)
        params: list[float] = []
        for index in chunk:
            params.extend((index, *periods[index]))
        rows = store.connection.execute(
            f"WITH bounds (i, s, e) AS (VALUES {values}) "  # noqa: S608 - only placeholders
            "SELECT bounds.i, spans.category, SUM(spans.end_utc - spans.start_utc) "
            "FROM bounds JOIN spans ON spans.start_utc >= bounds.s AND spans.start_utc < bounds.e "
            "WHERE (? = 0 OR spans.watching = 1) GROUP BY bounds.i, spans.category",
            [*params, int(only_watching)],
        ).fetchall()
        for index, category, seconds in rows:
            sums[int(index)][str(category)] = float(seconds)
    return [_largest_first(totals.items()) for totals in sums]


def item_totals(store: Store, start_utc: float, end_utc: float) -> list[ItemTotal]:
    """Time per item (name, app and category) of spans starting in ``[start_utc, end_utc)``, largest first."""
    rows = store.connection.execute(
        "SELECT name, app, category, SUM(end_utc - start_utc), "
        "SUM(CASE WHEN watching THEN end_utc - start_utc ELSE 0 END) FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? GROUP BY name, app, category",
        (start_utc, end_utc),
    ).fetchall()
    return sorted(
        (ItemTotal(str(name), str(app), str(category), float(seconds), float(watching))
         for name, app, category, seconds, watching in rows),
        key=lambda item: (-item.seconds, item.name),
    )


def top_items(store: Store, start_utc: float, end_utc: float, *, limit: int = 10) -> list[ItemTotal]:
    """The ``limit`` largest items of spans starting in ``[start_utc, end_utc)``.

    An item is a display name within a category ("YouTube" in video); its ``app`` is the
    app in which most of that time was spent.
    """
    rows = store.connection.execute(
        "SELECT name, category, SUM(seconds) AS total, app, MAX(seconds) FROM ("
        "  SELECT name, category, app, SUM(end_utc - start_utc) AS seconds FROM spans"
        "  WHERE start_utc >= ? AND start_utc < ? GROUP BY name, category, app"
        ") GROUP BY name, category ORDER BY total DESC, name LIMIT ?",
        (start_utc, end_utc, limit),
    ).fetchall()
    return [ItemTotal(str(name), str(app), str(category), float(total))
            for name, category, total, app, _ in rows]


def last_focus_of(store: Store, category: str, *, since: float, before: float) -> float | None:
    """When ``category`` last had focus in ``[since, before)`` (UTC seconds); None if not then.

    Spans are found by their start (the indexed column): one that started a day before
    ``since`` and ran into it is not seen, which no caller's window is long enough to mind.
    """
    row = store.connection.execute(
        "SELECT MAX(MIN(end_utc, ?)) FROM spans WHERE start_utc >= ? AND start_utc < ? "
        "AND category = ? AND end_utc >= ?",
        (before, since - 86400.0, before, category, since)).fetchone()
    return None if row is None or row[0] is None else float(row[0])


@dataclass(frozen=True)
class LatestSpan:
    """The span that ended last: the window in focus now, while the daemon counts it."""

    name: str
    app: str
    category: str
    start_utc: float
    end_utc: float


def latest_span(store: Store, start_utc: float, end_utc: float) -> LatestSpan | None:
    """Of the spans starting in ``[start_utc, end_utc)`` (today's), the one that ended last; None if none."""
    row = store.connection.execute(
        "SELECT name, app, category, start_utc, end_utc FROM spans WHERE start_utc >= ? AND start_utc < ? "
        "ORDER BY end_utc DESC LIMIT 1", (start_utc, end_utc)).fetchone()
    return None if row is None else LatestSpan(str(row[0]), str(row[1]), str(row[2]), float(row[3]),
                                               float(row[4]))
