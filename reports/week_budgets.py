"""Days and categories measured against the budgets in force on each day (pure, no store)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from monitor.core.settings import Budgets
from monitor.core.vocabulary import TOTAL
from reports.daily import DayTotals


@dataclass(frozen=True)
class DayCheck:
    """One day against its budgets: the budgets in seconds and which of them were exceeded."""

    day: date
    budgets: dict[str, float]
    over: tuple[str, ...]
    """Budget keys exceeded that day (``total`` for the total budget), in budget order."""
    counted: bool
    """False for a day that has not begun yet (it counts neither as within nor as over)."""

    @property
    def within(self) -> bool:
        """True when the day has begun and no budget was exceeded."""
        return self.counted and not self.over


@dataclass(frozen=True)
class CategoryWeek:
    """One category over a run of days, against the sum of its daily budgets."""

    name: str
    seconds: float
    budget_seconds: float | None
    """Sum of the category's budget over the days that have one; None when no day has one."""
    days_over: int


def budgets_in_seconds(budgets: Budgets, day: date) -> dict[str, float]:
    """The budgets in force on ``day`` in seconds (``total`` included when set)."""
    return {name: value.total_seconds() for name, value in budgets.for_day(day).items()}


def check_days(days: Sequence[DayTotals], budgets: Budgets, *, now: float) -> list[DayCheck]:
    """Each day against its own budgets; days starting after ``now`` are not counted."""
    checks = []
    for totals in days:
        limits = budgets_in_seconds(budgets, totals.day)
        over = tuple(
            name for name, limit in limits.items()
            if (totals.total_seconds if name == TOTAL else totals.seconds(name)) > limit
        )
        checks.append(DayCheck(totals.day, limits, over, counted=totals.start_utc <= now))
    return checks


def category_weeks(days: Sequence[DayTotals], checks: Sequence[DayCheck]) -> list[CategoryWeek]:
    """Per category totals over ``days`` with summed budgets, largest first.

    Categories with a budget appear even when no time was spent in them.
    """
    seconds: dict[str, float] = {}
    budget: dict[str, float] = {}
    over: dict[str, int] = {}
    for totals, check in zip(days, checks, strict=True):
        for name, value in totals.categories.items():
            seconds[name] = seconds.get(name, 0.0) + value
        for name, limit in check.budgets.items():
            if name != TOTAL:
                budget[name] = budget.get(name, 0.0) + limit
                seconds.setdefault(name, 0.0)
        for name in check.over:
            over[name] = over.get(name, 0) + 1
    weeks = [CategoryWeek(name, value, budget.get(name), over.get(name, 0))
             for name, value in seconds.items()]
    return sorted(weeks, key=lambda week: (-week.seconds, week.name))
