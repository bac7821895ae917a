"""Reclassify stored spans after the category rules change, in bulk and in one transaction.

Spans are grouped by (app, title, category, name): each distinct window is classified
once, and the changed groups are written with a single ``UPDATE … FROM`` join.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from monitor.store import history_rows
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
    with store.transaction():
        groups = history_rows.window_groups(store, since_utc)
        changes: list[history_rows.Reclassified] = []
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
            changed_spans = history_rows.reclassify(store, since_utc, changes)
    changed_windows = len({(change[0], change[1]) for change in changes})
    log.info("recheck: %d of %d spans changed (%d windows)", changed_spans, total, changed_windows)
    return RecheckResult(total, len(windows), changed_spans, changed_windows)
