"""Per local day, per category totals for any run of days (summed in SQLite by monitor.store.spans).

A span belongs to the day its start falls in. A day containing a daylight-saving change
is 23 or 25 hours. ``watching`` holds the part of each category's time counted while
watching (media playing with no input). With other computers' spans stored, ``screen``
is the day's screen time with each moment counted once (monitor.store.device_totals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, tzinfo

from monitor.core.days import day_bounds
from monitor.store.database import Store
from monitor.store.device_totals import screen_seconds_per_period
from monitor.store.spans import category_totals_per_period


@dataclass(frozen=True)
class DayTotals:
    """One local day: its bounds and the seconds spent per category, largest first."""

    day: date
    start_utc: float
    end_utc: float
    categories: dict[str, float] = field(default_factory=dict)
    watching: dict[str, float] = field(default_factory=dict)
    """Of ``categories``, the seconds counted while watching (a category with none is absent)."""
    screen: float | None = None
    """All screen time, each moment once across devices; None: the sum of ``categories``."""

    @property
    def total_seconds(self) -> float:
        """All screen time that day."""
        return sum(self.categories.values()) if self.screen is None else self.screen

    @property
    def length_hours(self) -> float:
        """How long the day is: 24, or 23/25 across a daylight-saving change."""
        return (self.end_utc - self.start_utc) / 3600

    def seconds(self, category: str) -> float:
        """Time in ``category`` that day (0 when none)."""
        return self.categories.get(category, 0.0)

    def watching_seconds(self, category: str) -> float:
        """The part of ``seconds(category)`` counted while watching."""
        return self.watching.get(category, 0.0)


def daily_totals(store: Store, days: Sequence[date], *, starts_at: time, zone: tzinfo) -> list[DayTotals]:
    """Totals per category for each of ``days`` (in the order given)."""
    bounds = [day_bounds(day, starts_at, zone) for day in days]
    sums = category_totals_per_period(store, bounds)
    watched = category_totals_per_period(store, bounds, only_watching=True)
    screens: Sequence[float | None] = screen_seconds_per_period(store, bounds) or [None] * len(bounds)
    return [
        DayTotals(day, start, end, totals, watching, screen)
        for day, (start, end), totals, watching, screen
        in zip(days, bounds, sums, watched, screens, strict=True)
    ]
