"""Stored history read out whole (for export) and reclassified in bulk (for recheck).

The export reads are streamed from SQLite: each is a generator, so a year of spans
never sits in memory and a query runs only when its rows are first asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from monitor.store.database import Store

SpanExport = tuple[float, float, str, str | None, str, str, str, str, int]
"""start_utc, end_utc, app, title, category, name, device, source, watching (0 or 1)."""
WindowGroup = tuple[str, str | None, str, str, int]
"""app, title, category, name and how many spans share them."""
Reclassified = tuple[str, str | None, str, str, str, str]
"""app, title, old category, old name, new category, new name."""


def _since(since_utc: float | None) -> float:
    return since_utc if since_utc is not None else float("-inf")


def _records(store: Store, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    cursor = store.connection.execute(sql, params)
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


# --- export --------------------------------------------------------------------------------
def span_tuples(store: Store, since_utc: float | None) -> Iterator[SpanExport]:
    """Every span starting at or after ``since_utc`` (all if None), oldest first."""
    yield from store.connection.execute(
        "SELECT start_utc, end_utc, app, title, category, name, device, source, watching FROM spans "
        "WHERE start_utc >= ? ORDER BY start_utc", (_since(since_utc),))


def span_records(store: Store, since_utc: float | None) -> Iterator[dict[str, Any]]:
    """``span_tuples`` as dicts keyed by column name."""
    yield from _records(store, "SELECT start_utc, end_utc, app, title, category, name, device, source, "
                               "watching FROM spans WHERE start_utc >= ? ORDER BY start_utc",
                        (_since(since_utc),))


def people_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every person as stored (list columns still JSON text), by id."""
    yield from _records(store, "SELECT id, name, every_days, tags, emails, phones, links, notes, uid, "
                               "created_utc FROM people ORDER BY id")


def interaction_records(store: Store, since_utc: float | None) -> Iterator[dict[str, Any]]:
    """Every interaction at or after ``since_utc`` (all if None), oldest first."""
    yield from _records(store, "SELECT id, person_id, at_utc, via, note, source FROM interactions "
                               "WHERE at_utc >= ? ORDER BY at_utc", (_since(since_utc),))


def prompt_records(store: Store, since_utc: float | None) -> Iterator[dict[str, Any]]:
    """Every notification record (all columns) at or after ``since_utc`` (all if None), oldest first."""
    yield from _records(store, "SELECT * FROM prompts WHERE at_utc >= ? ORDER BY at_utc",
                        (_since(since_utc),))


def devices(store: Store) -> list[str]:
    """Every device name that has spans, sorted."""
    return [str(row[0]) for row in store.connection.execute("SELECT DISTINCT device FROM spans ORDER BY 1")]


def device_windows(store: Store, device: str,
                   since_utc: float | None) -> Iterator[tuple[float, float, str, str | None]]:
    """(start, end, app, title) of ``device``'s spans from ``since_utc`` on (all if None), oldest first."""
    cursor: Iterator[tuple[float, float, str, str | None]] = store.connection.execute(
        "SELECT start_utc, end_utc, app, title FROM spans WHERE device = ? AND start_utc >= ? "
        "ORDER BY start_utc", (device, _since(since_utc)))
    return cursor


# --- recheck -------------------------------------------------------------------------------
def window_groups(store: Store, since_utc: float | None) -> list[WindowGroup]:
    """The distinct (app, title, category, name) of the spans from ``since_utc`` on, with counts."""
    return store.connection.execute(
        "SELECT app, title, category, name, COUNT(*) FROM spans WHERE start_utc >= ? "
        "GROUP BY app, title, category, name",
        (_since(since_utc),),
    ).fetchall()


def reclassify(store: Store, since_utc: float | None, changes: list[Reclassified]) -> int:
    """Give the spans from ``since_utc`` on their new category and name; returns how many changed.

    The changes go into a temporary table and every span is updated by one ``UPDATE … FROM``
    join. Call it inside ``store.transaction()``.
    """
    connection = store.connection
    connection.execute(
        "CREATE TEMP TABLE IF NOT EXISTS recheck (app TEXT, title TEXT, "
        "old_category TEXT, old_name TEXT, category TEXT, name TEXT)")
    connection.execute("DELETE FROM temp.recheck")
    connection.executemany("INSERT INTO temp.recheck VALUES (?, ?, ?, ?, ?, ?)", changes)
    connection.execute(
        "CREATE INDEX IF NOT EXISTS temp.recheck_key "
        "ON recheck (app, title, old_category, old_name)")
    cursor = connection.execute(
        "UPDATE spans SET category = r.category, name = r.name FROM temp.recheck AS r "
        "WHERE spans.start_utc >= ? AND spans.app = r.app AND spans.title IS r.title "
        "AND spans.category = r.old_category AND spans.name = r.old_name",
        (_since(since_utc),),
    )
    changed = cursor.rowcount
    connection.execute("DROP TABLE temp.recheck")
    return changed
