"""Days and categories measured against the budgets in force on each day (pure, no store).

A day is judged by the budgets the daemon kept for it (monitor.store.day_budgets: those in
force at the end of that day). A day with no kept budgets (recorded before they were kept,
or imported) falls back to the current settings, and the report says so in a footnote. Only
days with data count as within or over budget: an empty day tells nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    """False for a day that has not begun yet."""
    has_data: bool = True
    """False for a day without any recorded time: it counts neither as within nor as over."""
    budgets_recorded: bool = True
    """True when ``budgets`` are those kept for the day; False when they are the current settings'."""

    @property
    def within(self) -> bool:
        """True when the day has data and no budget was exceeded."""
        return self.has_data and not self.over


@dataclass(frozen=True)
class CategoryWeek:
    """One category over a run of days, against the sum of its daily budgets."""

    name: str
    seconds: float
    budget_seconds: float | None
    """Sum of the category's budget over the days with data; None when none of them has one."""
    days_over: int


def budgets_in_seconds(budgets: Budgets, day: date) -> dict[str, float]:
    """The budgets in force on ``day`` in seconds (``total`` included when set)."""
    return {name: value.total_seconds() for name, value in budgets.for_day(day).items()}


def check_days(days: Sequence[DayTotals], budgets: Budgets, *, now: float,
               kept: Mapping[date, Mapping[str, float]] | None = None) -> list[DayCheck]:
    """Each day against its own budgets: those ``kept`` for it, else the current ``budgets``.

    Days starting after ``now`` are not counted; days without data are neither within nor over.
    """
    checks = []
    for totals in days:
        day_kept = None if kept is None else kept.get(totals.day)
        recorded = day_kept is not None
        limits = dict(day_kept) if day_kept is not None else budgets_in_seconds(budgets, totals.day)
        over = tuple(
            name for name, limit in limits.items()
            if (totals.total_seconds if name == TOTAL else totals.seconds(name)) > limit
        )
        checks.append(DayCheck(totals.day, limits, over, counted=totals.start_utc <= now,
                               has_data=totals.total_seconds > 0, budgets_recorded=recorded))
    return checks


def unrecorded_days(checks: Sequence[DayCheck]) -> list[date]:
    """Days with data judged against the current budgets, because none were kept for them."""
    return [check.day for check in checks if check.has_data and not check.budgets_recorded]


def unrecorded_note(checks: Sequence[DayCheck]) -> str | None:
    """The footnote naming the days judged against the current budgets; None when there are none."""
    days = unrecorded_days(checks)
    if not days:
        return None
    if len(days) == len([check for check in checks if check.has_data]) and len(days) > 1:
        names = "Every day with data"
    else:
        names = ", ".join(f"{day:%a %d %b}" for day in days)
    return (f"{names}: judged against your current budgets, as none were kept then "
            "(recorded before unscroll kept them, or imported)")


def category_weeks(days: Sequence[DayTotals], checks: Sequence[DayCheck]) -> list[CategoryWeek]:
    """Per category totals over ``days`` with summed budgets, largest first.

    Categories with a budget on a day with data appear even when no time was spent in them.
    """
    seconds: dict[str, float] = {}
    budget: dict[str, float] = {}
    over: dict[str, int] = {}
    for totals, check in zip(days, checks, strict=True):
        for name, value in totals.categories.items():
            seconds[name] = seconds.get(name, 0.0) + value
        if not check.has_data:
            continue  # an empty day adds no budget: the week's time is compared with the days it has
        for name, limit in check.budgets.items():
            if name != TOTAL:
                budget[name] = budget.get(name, 0.0) + limit
                seconds.setdefault(name, 0.0)
        for name in check.over:
            over[name] = over.get(name, 0) + 1
    weeks = [CategoryWeek(name, value, budget.get(name), over.get(name, 0))
             for name, value in seconds.items()]
    return sorted(weeks, key=lambda week: (-week.seconds, week.name))
