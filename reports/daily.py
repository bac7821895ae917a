"""Per local day, per category totals for any run of days: one indexed SQL query, summed in SQLite.

Spans never cross a day boundary (the recorder and the importers split them), so a
span belongs to the day its start falls in, and a day's total is an index range scan
on ``spans.start_utc``. A day containing a daylight-saving change is 23 or 25 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, tzinfo

from monitor.core.days import day_bounds
from monitor.store.database import Store

_DAYS_PER_QUERY = 300  # three bound parameters per day; well under SQLite's variable limit


@dataclass(frozen=True)
class DayTotals:
    """One local day: its bounds and the seconds spent per category, largest first."""

    day: date
    start_utc: float
    end_utc: float
    categories: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        """All screen time that day."""
        return sum(self.categories.values())

    @property
    def length_hours(self) -> float:
        """How long the day is: 24, or 23/25 across a daylight-saving change."""
        return (self.end_utc - self.start_utc) / 3600

    def seconds(self, category: str) -> float:
        """Time in ``category`` that day (0 when none)."""
        return self.categories.get(category, 0.0)


def daily_totals(store: Store, days: Sequence[date], *, starts_at: time, zone: tzinfo) -> list[DayTotals]:
    """Totals per category for each of ``days`` (in the order given)."""
    bounds = [day_bounds(day, starts_at, zone) for day in days]
    sums: list[dict[str, float]] = [{} for _ in days]
    for first in range(0, len(days), _DAYS_PER_QUERY):
        chunk = range(first, min(first + _DAYS_PER_QUERY, len(days)))
        values = ", ".join("(?, ?, ?)" for _ in chunk)
        params: list[float] = []
        for index in chunk:
            params.extend((index, *bounds[index]))
        rows = store.connection.execute(
            f"WITH bounds (i, s, e) AS (VALUES {values}) "  # noqa: S608 - only placeholders
            "SELECT bounds.i, spans.category, SUM(spans.end_utc - spans.start_utc) "
            "FROM bounds JOIN spans ON spans.start_utc >= bounds.s AND spans.start_utc < bounds.e "
            "GROUP BY bounds.i, spans.category",
            params,
        ).fetchall()
        for index, category, seconds in rows:
            sums[int(index)][str(category)] = float(seconds)
    return [
        DayTotals(day, start, end, dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))))
        for day, (start, end), totals in zip(days, bounds, sums, strict=True)
    ]
