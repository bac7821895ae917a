"""Local days with a day start, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import clock_text, day_bounds, day_of, iso_week_days, parse_day_argument, zone_key
from monitor.core.errors import InputError

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


# --- days typed in commands, moments shown --------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("today", date(2026, 12, 2)),
    ("yesterday", date(2026, 12, 1)),
    (" Yesterday ", date(2026, 12, 1)),
    ("3d ago", date(2026, 11, 29)),
    ("1 day ago", date(2026, 12, 1)),
    ("2w ago", date(2026, 11, 18)),
    ("2 weeks  ago", date(2026, 11, 18)),
    ("2026-02-28", date(2026, 2, 28)),
])
def test_parse_day_argument(text, expected):
    assert parse_day_argument(text, date(2026, 12, 2), "export: --since") == expected


@pytest.mark.parametrize("text", ["last week", "2026-02-30", "3 ago", "tomorrow", ""])
def test_parse_day_argument_refuses_naming_the_argument_and_what_is_accepted(text):
    with pytest.raises(InputError) as caught:
        parse_day_argument(text, date(2026, 12, 2), "export: --since")
    assert caught.value.message == (f"export: --since {text!r} is not a date like 2026-03-01, today, "
                                    "yesterday, 3d ago or 2w ago")


def test_clock_text_adds_the_date_when_the_moment_is_not_today():
    now = ts(2026, 11, 30, 21, 30)
    assert clock_text(ts(2026, 11, 30, 23, 59), now, BERLIN) == "23:59"
    assert clock_text(ts(2026, 12, 2, 21, 30), now, BERLIN) == "Wed 2 Dec 21:30"
    assert clock_text(ts(2026, 12, 1, 0, 5), now, BERLIN) == "Tue 1 Dec 00:05"
    assert clock_text(ts(2026, 11, 29, 22, 0), now, BERLIN) == "Sun 29 Nov 22:00"
    assert clock_text(ts(2027, 1, 3, 9, 0), now, BERLIN) == "Sun 3 Jan 2027 09:00"
    # the calendar date where the clock is, not the day the UTC instant falls on
    assert clock_text(ts(2026, 12, 1, 0, 30, zone=UTC), ts(2026, 11, 30, 23, 0, zone=UTC), UTC) == \
        "Tue 1 Dec 00:30"
    assert clock_text(ts(2026, 12, 1, 0, 30, zone=UTC), ts(2026, 11, 30, 23, 0, zone=UTC), BERLIN) == \
        "01:30"


def test_a_zone_file_in_a_zone_database_is_known_by_its_name():
    assert zone_key(Path("/usr/share/zoneinfo/Europe/Berlin")) == "Europe/Berlin"
    assert zone_key(Path("/usr/share/zoneinfo/posix/America/Argentina/Buenos_Aires")) == \
        "posix/America/Argentina/Buenos_Aires"
    assert zone_key(Path("/var/db/timezone/zoneinfo/Etc/UTC")) == "Etc/UTC"  # macOS
    assert zone_key(Path("/etc/localtime")) is None  # a file of its own: read as it is
    assert zone_key(Path("/usr/share/zoneinfo")) is None

