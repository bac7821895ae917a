"""Today's usage per category, read from the spans: what budgets are held against."""

from __future__ import annotations

from monitor.store import Store

TOTAL = "total"


def category_totals(store: Store, start_utc: float, end_utc: float) -> dict[str, float]:
    """Seconds per category of spans starting in ``[start_utc, end_utc)``, plus ``total``."""
    rows = store.connection.execute(
        "SELECT category, SUM(end_utc - start_utc) FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? GROUP BY category",
        (start_utc, end_utc),
    ).fetchall()
    totals = {str(category): float(seconds) for category, seconds in rows}
    totals[TOTAL] = sum(totals.values())
    return totals
