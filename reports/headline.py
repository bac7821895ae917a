"""The few numbers a week is summed up by, and the one line that announces them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from monitor.core.durations import format_duration
from reports.daily import DayTotals
from reports.week_budgets import DayCheck

SOCIAL = "social"


@dataclass(frozen=True)
class Headline:
    """Totals of a period compared with the period before it."""

    total_seconds: float
    social_seconds: float
    previous_total_seconds: float
    previous_social_seconds: float
    days_within_budget: int
    """Days with data on which no budget was exceeded."""
    days_counted: int
    """Days that have begun."""
    people_reached: int
    days_with_data: int = 0
    """Days with any recorded time: the only ones judged against the budgets."""

    @property
    def total_change_percent(self) -> float | None:
        """Change of the total against the period before, in %; None when that was empty."""
        return change_percent(self.total_seconds, self.previous_total_seconds)

    @property
    def social_change_percent(self) -> float | None:
        """Change of social time against the period before, in %; None when that had none."""
        return change_percent(self.social_seconds, self.previous_social_seconds)


def change_percent(now: float, before: float) -> float | None:
    """``now`` against ``before`` in percent (negative: less); None when ``before`` is zero."""
    if before <= 0:
        return None
    return (now - before) / before * 100


def make_headline(days: Sequence[DayTotals], previous: Mapping[str, float],
                  checks: Sequence[DayCheck], people_reached: int) -> Headline:
    """The headline numbers of ``days`` against the ``previous`` period's category totals."""
    return Headline(
        total_seconds=sum(day.total_seconds for day in days),
        social_seconds=sum(day.seconds(SOCIAL) for day in days),
        previous_total_seconds=sum(previous.values()),
        previous_social_seconds=previous.get(SOCIAL, 0.0),
        days_within_budget=sum(check.within for check in checks),
        days_counted=sum(check.counted for check in checks),
        people_reached=people_reached,
        days_with_data=sum(check.has_data for check in checks),
    )


def describe_change(percent: float | None, *, before: str = "last week") -> str:
    """``20 % less than last week``, ``5 % more than …``, ``about the same as …``."""
    if percent is None:
        return f"none {before}"
    rounded = round(percent)
    if rounded == 0:
        return f"about the same as {before}"
    return f"{abs(rounded)} % {'less' if rounded < 0 else 'more'} than {before}"


def headline_text(headline: Headline) -> str:
    """One line such as ``3 h 10 m on social, 20 % less than last week; you reached 3 people``."""
    amount = format_duration(headline.social_seconds) if headline.social_seconds > 0 else "no time"
    change = headline.social_change_percent
    if change is None:
        social = f"{amount} on social" + (" (none last week)" if headline.social_seconds > 0 else "")
    else:
        social = f"{amount} on social, {describe_change(change)}"
    count = headline.people_reached
    people = ("you reached no one" if count == 0
              else f"you reached {count} {'person' if count == 1 else 'people'}")
    return f"{social}; {people}"
