"""Fuzzing the birthday parser: as typed (--birthday), as contacts files write it, and inside a vCard.

Whatever the text, ``parse_birthday`` returns a stored form (``MM-DD`` or ``YYYY-MM-DD``)
that reads back as itself and falls on a real day every year, or raises an InputError of
one line naming the argument; a card's BDAY never costs the card.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.people.birthdays import celebrated_on, days_until, month_day, parse_birthday
from monitor.people.importers.records import Contact
from monitor.people.importers.vcard import read_vcards
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors

STORED = re.compile(r"(\d{4}-)?\d{2}-\d{2}")
TODAY = date(2025, 6, 1)

digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
birthday_like = st.lists(st.one_of(
    digits, st.sampled_from(["-", "--", " ", "T", "Z", ":", "+01:00", "02-29", "1604", "0000", "12-31",
                             "\u00a0", "/", ".", "٣", "１"])), max_size=8).map("".join)


def _written(parts: tuple[str, int | None, int, int, str, str]) -> str:
    prefix, year, month, day, separator, suffix = parts
    head = "" if year is None else f"{year:04d}{separator}"
    return f"{prefix}{head}{month:02d}{separator}{day:02d}{suffix}"


shaped = st.tuples(st.sampled_from(["", "", "--", " --", "  "]),
                   st.one_of(st.none(), st.integers(1840, 2030), st.integers(0, 9999)),
                   st.integers(0, 13), st.integers(0, 32), st.sampled_from(["-", ""]),
                   st.sampled_from(["", "", "T00:00:00Z", "T1230", " 08:30", "x", "-01"])).map(_written)
real_days = st.tuples(st.dates(min_value=date(1700, 1, 1), max_value=date(2100, 12, 31)),
                      st.sampled_from(["%Y-%m-%d", "%Y%m%d", "--%m%d", "--%m-%d", " --%m-%d", "%m-%d",
                                       "%Y-%m-%dT%H:%M:%SZ", "%Y%m%dT%H%M%S"])).map(
    lambda parts: parts[0].strftime(parts[1]))
anything = st.one_of(real_days, shaped, birthday_like, st.text(max_size=30))


def check_stored(stored: str, *, years: range = range(1899, 2102, 29)) -> None:
    assert STORED.fullmatch(stored), stored
    assert parse_birthday(stored) == stored                          # reads back as itself
    assert month_day(stored) is not None
    for year in years:
        day = celebrated_on(stored, year)
        assert day is not None
        assert (day.month, day.day) == month_day(stored) or (month_day(stored), day) == (
            (2, 29), date(year, 2, 28))
    until = days_until(stored, TODAY)
    assert until is not None
    assert 0 <= until <= 365


@fuzz_settings
@given(anything)
def test_fuzz_birthday_as_typed(text):
    stored = only_our_errors(lambda: parse_birthday(text, where="--birthday", today=TODAY),
                             names="--birthday", expected=InputError)
    if stored is None:
        event("refused")
        assert parse_error(text).startswith("--birthday: ")
        return
    event("year known" if len(stored) == 10 else "no year")
    check_stored(stored)
    if len(stored) == 10:
        assert date.fromisoformat(stored) <= TODAY


def parse_error(text: str) -> str:
    with pytest.raises(InputError) as refused:
        parse_birthday(text, where="--birthday", today=TODAY)
    message = str(refused.value)
    assert len(message.splitlines()) == 1
    return message


@fuzz_settings
@given(anything)
def test_fuzz_birthday_from_a_contacts_file(text):
    stored = only_our_errors(lambda: parse_birthday(text, where="BDAY", placeholder_years=True),
                             names="BDAY", expected=InputError)
    if stored is None:
        event("dropped")
        return
    event("kept")
    check_stored(stored)
    if len(stored) == 10:
        assert int(stored[:4]) >= 1850                            # stand-in years are left out


@fuzz_settings
@given(anything)
def test_fuzz_a_cards_bday_never_costs_the_card(text):
    value = " ".join(text.split())                                   # one line, as a card holds it
    card = f"BEGIN:VCARD\nVERSION:3.0\nFN:Sam Lee\nEMAIL:sam@example.com\nBDAY:{value}\nEND:VCARD\n"
    total, records = read_vcards(card, "fuzz.vcf")
    [record] = list(records)
    assert total == 1
    assert isinstance(record, Contact), record
    assert record.name == "Sam Lee"
    if record.birthday is None:
        event("BDAY dropped" if value.strip() else "no BDAY")
        assert not value.strip() or any(w.startswith("BDAY: ") and w.endswith("; dropped")
                                        for w in record.warnings)
    else:
        event("BDAY kept")
        check_stored(record.birthday, years=range(2023, 2026))
