"""ISO weeks as people type them (``2026-W13``) and the local days and instants they cover."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta, tzinfo

from monitor.core.days import day_bounds, day_of, iso_week_days
from monitor.core.errors import InputError

_WEEK = re.compile(r"\s*(\d{4})-?[wW](\d{1,2})\s*")
ACCEPTED = 'an ISO week like "2026-W13" (year, "-W", week number 01-53)'


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week: Monday to Sunday, numbered as ISO 8601 does."""

    year: int
    week: int

    @property
    def label(self) -> str:
        """The week written ``YYYY-Www``."""
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The first day of the week."""
        return date.fromisocalendar(self.year, self.week, 1)

    def days(self) -> list[date]:
        """The seven dates, Monday first."""
        return iso_week_days(self.year, self.week)

    def previous(self) -> IsoWeek:
        """The week before."""
        return week_containing(self.monday - timedelta(days=7))

    def following(self) -> IsoWeek:
        """The week after."""
        return week_containing(self.monday + timedelta(days=7))

    def __str__(self) -> str:
        return self.label


def week_containing(day: date) -> IsoWeek:
    """The ISO week that ``day`` belongs to."""
    year, week, _ = day.isocalendar()
    return IsoWeek(year, week)


def week_of(instant: float, starts_at: time, zone: tzinfo) -> IsoWeek:
    """The week of the local day (with the configured day start) that ``instant`` counts towards."""
    return week_containing(day_of(instant, starts_at, zone))


def parse_week(text: str, *, where: str = "--week") -> IsoWeek:
    """Read ``YYYY-Www``; raise InputError naming ``where`` and what is accepted otherwise."""
    match = _WEEK.fullmatch(text)
    if match is None:
        raise InputError(f"{where}: {text!r} is not {ACCEPTED}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = date(year, 12, 28).isocalendar()[1] if 1 <= year <= 9999 else 52
        raise InputError(f"{where}: {text!r}: {year} has weeks 01 to {weeks}; expected {ACCEPTED}") from None
    return IsoWeek(year, week)


def period_bounds(days: Sequence[date], starts_at: time, zone: tzinfo) -> tuple[float, float]:
    """The Unix times ``[start, end)`` from the start of the first day to the end of the last."""
    if not days:
        raise ValueError("a period needs at least one day")
    return day_bounds(min(days), starts_at, zone)[0], day_bounds(max(days), starts_at, zone)[1]


def days_between(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, both included."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
