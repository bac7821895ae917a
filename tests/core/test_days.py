"""Local days with a day start, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from monitor.core.days import day_bounds, day_of, iso_week_days

BERLIN = ZoneInfo("Europe/Berlin")


def ts(*args: int, zone=BERLIN) -> float:
    return datetime(*args, tzinfo=zone).timestamp()


def test_early_morning_counts_towards_the_previous_day():
    assert day_of(ts(2026, 6, 2, 3, 59), time(4, 0), BERLIN) == date(2026, 6, 1)
    assert day_of(ts(2026, 6, 2, 4, 0), time(4, 0), BERLIN) == date(2026, 6, 2)


def test_spring_forward_day_is_23_hours_and_fall_back_is_25():
    start, end = day_bounds(date(2026, 3, 28), time(4, 0), BERLIN)
    assert end - start == 23 * 3600
    start, end = day_bounds(date(2026, 10, 24), time(4, 0), BERLIN)
    assert end - start == 25 * 3600


def test_bounds_are_utc_instants_of_local_day_start():
    start, _ = day_bounds(date(2026, 1, 15), time(4, 0), BERLIN)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


def test_iso_week_days_start_on_monday():
    days = iso_week_days(2026, 13)
    assert days[0] == date(2026, 3, 23)
    assert days[-1] == date(2026, 3, 29)
