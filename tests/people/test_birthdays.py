"""Birthdays: what is read as one, the days they fall on (29 February too), and how they are said."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.core.errors import InputError
from monitor.people.birthdays import (
    age_on,
    birth_year,
    celebrated_on,
    days_until,
    describe_when,
    is_birthday,
    is_birthday_eve,
    month_day,
    month_day_text,
    parse_birthday,
)


@pytest.mark.parametrize(("text", "stored"), [
    ("05-17", "05-17"),
    ("1990-05-17", "1990-05-17"),
    ("19900517", "1990-05-17"),
    ("--0517", "05-17"),            # vCard 4.0 without a year
    ("--05-17", "05-17"),           # vCard 3.0 / Google without a year
    (" --12-25", "12-25"),          # what Google's CSV export writes: a leading space
    ("0517", "05-17"),
    ("1990-05-17T00:00:00Z", "1990-05-17"),   # a date-time: its date
    ("19900517T000000", "1990-05-17"),
    ("1990-05-17 08:30", "1990-05-17"),
    ("02-29", "02-29"),             # 29 February without a year is allowed
    ("2000-02-29", "2000-02-29"),
    ("  1850-01-01  ", "1850-01-01"),
])
def test_parse_birthday_reads_what_people_type_and_files_hold(text, stored):
    assert parse_birthday(text) == stored
    assert parse_birthday(stored) == stored          # the stored form reads back as itself


@pytest.mark.parametrize(("text", "says"), [
    ("May 17", "is not a birthday like 05-17 or 1990-05-17"),
    ("17/05/1990", "is not a birthday like"),
    ("", "is not a birthday like"),
    ("13-01", "is not a day of the calendar"),
    ("1990-02-30", "is not a day of the calendar"),
    ("1990-02-29", "1990 had no 29 February"),
    ("1604-05-17", "the year must be 1850 or later; leave it out (05-17)"),
    ("---17", "is not a birthday like"),
    ("1990-05-17T", "is not a birthday like"),
    ("٠٥-١٧", "is not a birthday like"),              # digits of another script are not read
])
def test_parse_birthday_refuses_in_one_line_naming_the_argument(text, says):
    with pytest.raises(InputError) as caught:
        parse_birthday(text, where="--birthday")
    message = str(caught.value)
    assert message.startswith("--birthday: ")
    assert says in message
    assert "\n" not in message


def test_a_date_after_today_is_refused_and_a_stand_in_year_dropped_from_files():
    with pytest.raises(InputError, match=r"is in the future \(today is 2025-06-01\)"):
        parse_birthday("2025-06-02", today=date(2025, 6, 1))
    assert parse_birthday("2025-06-01", today=date(2025, 6, 1)) == "2025-06-01"
    assert parse_birthday("06-02", today=date(2025, 6, 1)) == "06-02"
    assert parse_birthday("1604-12-24", placeholder_years=True) == "12-24"   # Apple's "no year"
    assert parse_birthday("0000-12-24", placeholder_years=True) == "12-24"
    assert parse_birthday("1900-12-24", placeholder_years=True) == "1900-12-24"


def test_the_parts_of_a_stored_birthday():
    assert month_day("1990-05-17") == (5, 17)
    assert month_day("05-17") == (5, 17)
    assert birth_year("1990-05-17") == 1990
    assert birth_year("05-17") is None
    assert month_day_text("1990-05-17") == "05-17"
    for junk in (None, "", "17.5.", "1990-13-01", "02-30", "sometime"):
        assert month_day(junk) is None           # a hand-edited database never raises
        assert celebrated_on(junk, 2025) is None
        assert days_until(junk, date(2025, 1, 1)) is None
        assert describe_when(junk, date(2025, 1, 1)) == ""


def test_29_february_is_kept_on_28_february_in_other_years():
    assert celebrated_on("02-29", 2024) == date(2024, 2, 29)
    assert celebrated_on("2000-02-29", 2025) == date(2025, 2, 28)
    assert is_birthday("02-29", date(2025, 2, 28))
    assert not is_birthday("02-29", date(2024, 2, 28))
    assert is_birthday_eve("02-29", date(2024, 2, 28))
    assert is_birthday_eve("02-29", date(2025, 2, 27))
    assert not is_birthday_eve("02-29", date(2025, 2, 28))


def test_days_until_and_words_across_the_new_year():
    assert days_until("12-31", date(2025, 12, 31)) == 0
    assert days_until("01-01", date(2025, 12, 31)) == 1
    assert days_until("12-30", date(2025, 12, 31)) == 364
    assert is_birthday_eve("01-01", date(2025, 12, 31))
    assert describe_when("01-01", date(2025, 12, 31)) == "tomorrow"
    assert describe_when("1990-12-31", date(2025, 12, 31)) == "today"
    assert describe_when("01-10", date(2025, 12, 31)) == "in 10 days"
    assert age_on("1990-05-17", date(2025, 5, 17)) == 35
    assert age_on("05-17", date(2025, 5, 17)) is None
