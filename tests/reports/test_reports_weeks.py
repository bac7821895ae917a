"""ISO weeks as typed on the command line, and which week an instant belongs to."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.errors import InputError
from reports.weeks import IsoWeek, days_between, parse_week, period_bounds, week_containing, week_of

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-W13", IsoWeek(2026, 13)),
    ("2026w13", IsoWeek(2026, 13)),
    (" 2026-W01 ", IsoWeek(2026, 1)),
    ("2026-W53", IsoWeek(2026, 53)),  # 2026 has 53 ISO weeks
])
def test_parse_week_reads_iso_weeks(text, expected):
    assert parse_week(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "W13", "2026-W", "2026-W1x", "13/2026", "", "2026-W00",
                                  "2025-W53", "2026-W54"])
def test_parse_week_refuses_bad_strings_naming_what_is_accepted(text):
    with pytest.raises(InputError) as caught:
        parse_week(text, where="--week")
    message = str(caught.value)
    assert message.startswith("--week: ")
    assert "2026-W13" in message  # an example of what is accepted


def test_a_year_with_52_weeks_says_so():
    with pytest.raises(InputError, match="2025 has weeks 01 to 52"):
        parse_week("2025-W53")


def test_week_days_run_monday_to_sunday_and_cross_years():
    week = parse_week("2026-W01")
    days = week.days()
    assert days[0] == date(2025, 12, 29)
    assert days[-1] == date(2026, 1, 4)
    assert all(day.isocalendar()[:2] == (2026, 1) for day in days)
    assert week.previous() == IsoWeek(2025, 52)
    assert IsoWeek(2025, 52).following() == week
    assert week.label == "2026-W01"


def test_week_of_uses_the_day_start():
    # Monday 23 March 2026, 02:30 local: before a 04:00 day start, so still Sunday of week 12
    early_monday = datetime(2026, 3, 23, 2, 30, tzinfo=BERLIN).timestamp()
    assert week_of(early_monday, time(4, 0), BERLIN) == IsoWeek(2026, 12)
    assert week_of(early_monday, time(0, 0), BERLIN) == IsoWeek(2026, 13)
    assert week_containing(date(2026, 3, 29)) == IsoWeek(2026, 13)


def test_period_bounds_of_a_dst_week_is_167_hours():
    start, end = period_bounds(parse_week("2026-W13").days(), time(4, 0), BERLIN)
    assert (end - start) / 3600 == 167  # clocks go forward on Sunday 29 March
    assert start == datetime(2026, 3, 23, 4, 0, tzinfo=BERLIN).timestamp()


def test_days_between_includes_both_ends():
    assert days_between(date(2026, 2, 27), date(2026, 3, 2)) == [
        date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)]
