"""The span writes of ``unscroll import unscroll``: inside the import's one transaction.

An export's spans come back with the origin ``unscroll:<device>:<start in ms>``, so a
second import of the same file adds nothing (``INSERT OR IGNORE``); ``span_starts`` lets
the importer also leave out spans this store recorded itself (their origin is empty).
"""

from __future__ import annotations

from monitor.store import rollups
from monitor.store.database import Store

RestoredSpan = tuple[float, float, str, str | None, str, str, str, str, str]
"""One span to add: start, end, app, title, category, name, device, source, origin."""


def span_starts(store: Store, first_utc: float, last_utc: float) -> set[tuple[str, int]]:
    """(device, start in ms) of every span starting in ``[first_utc, last_utc]``."""
    rows = store.connection.execute(
        "SELECT device, start_utc FROM spans WHERE start_utc >= ? AND start_utc <= ?",
        (first_utc - 0.001, last_utc + 0.001))
    return {(str(device), round(float(start) * 1000)) for device, start in rows}


def add_spans(store: Store, rows: list[RestoredSpan]) -> tuple[int, float]:
    """Insert ``rows`` (call it inside ``store.transaction()``); the spans added and their seconds."""
    connection = store.connection
    last_id = connection.execute("SELECT COALESCE(MAX(id), 0) FROM spans").fetchone()[0]
    with rollups.bulk_inserts(connection):  # rolled up at once, not row by row
        connection.executemany(
            "INSERT OR IGNORE INTO spans (start_utc, end_utc, app, title, category, name, device, source, "
            "origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    added, seconds = connection.execute(  # counted: total_changes would count the triggers' writes too
        "SELECT COUNT(*), COALESCE(SUM(end_utc - start_utc), 0) FROM spans WHERE id > ?",
        (last_id,)).fetchone()
    return int(added), float(seconds)
