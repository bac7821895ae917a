"""Reclassify stored spans after the category rules change, in bulk and in one transaction.

Spans are grouped by (app, title, category, name): each distinct window is classified
once, and the changed groups are written with a single ``UPDATE … FROM`` join.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from monitor.store.database import Store
from monitor.tracking.categories import Rules

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecheckResult:
    """What a recheck looked at and changed."""

    spans: int
    """Spans looked at."""
    windows: int
    """Distinct (app, title) windows among them."""
    changed_spans: int
    changed_windows: int


def recheck_spans(store: Store, rules: Rules, since_utc: float | None = None) -> RecheckResult:
    """Reclassify the spans starting at or after ``since_utc`` (all if None); count changes."""
    since = float("-inf") if since_utc is None else since_utc
    with store.transaction() as connection:
        groups = connection.execute(
            "SELECT app, title, category, name, COUNT(*) FROM spans WHERE start_utc >= ? "
            "GROUP BY app, title, category, name",
            (since,),
        ).fetchall()
        changes = []
        windows: set[tuple[str, str | None]] = set()
        total = 0
        for app, title, category, name, count in groups:
            total += int(count)
            windows.add((app, title))
            now = rules.classify(app, title)
            if (now.category, now.name) != (category, name):
                changes.append((app, title, category, name, now.category, now.name))
        changed_spans = 0
        if changes:
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
                (since,),
            )
            changed_spans = cursor.rowcount
            connection.execute("DROP TABLE temp.recheck")
    changed_windows = len({(change[0], change[1]) for change in changes})
    log.info("recheck: %d of %d spans changed (%d windows)", changed_spans, total, changed_windows)
    return RecheckResult(total, len(windows), changed_spans, changed_windows)
