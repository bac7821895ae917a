"""The items (sites, apps, windows) that took the most time in a period, summed in SQL."""

from __future__ import annotations

from monitor.store.database import Store
from reports.aggregate import ItemTotal


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
