"""Usage per category over a period, read from the spans: what budgets are held against."""

from __future__ import annotations

from monitor.store.database import Store


def category_totals(store: Store, start_utc: float, end_utc: float) -> dict[str, float]:
    """Seconds per category for spans starting in ``[start_utc, end_utc)``, largest first."""
    rows = store.connection.execute(
        "SELECT category, SUM(end_utc - start_utc) FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? GROUP BY category",
        (start_utc, end_utc),
    ).fetchall()
    return dict(sorted(((str(c), float(s)) for c, s in rows), key=lambda kv: (-kv[1], kv[0])))
