"""Per local day, per category totals for any run of days (summed in SQLite by monitor.store.spans).

A span belongs to the day its start falls in. A day containing a daylight-saving change
is 23 or 25 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, tzinfo

from monitor.core.days import day_bounds
from monitor.store.database import Store
from monitor.store.spans import category_totals_per_period


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
    sums = category_totals_per_period(store, bounds)
    return [
        DayTotals(day, start, end, totals)
        for day, (start, end), totals in zip(days, bounds, sums, strict=True)
    ]
