"""Birthdays (and anniversaries): reading them as typed or exported, and the days they fall on.

Pure: no store and no clock; ``today`` (a local day) is an argument.

- A birthday is stored as ``MM-DD`` (the year unknown) or ``YYYY-MM-DD``.
- ``parse_birthday`` reads what people type and what contacts files hold: ``05-17``,
  ``1990-05-17``, ``19900517``, vCard's year-less ``--0517`` and ``--05-17``, Google's
  `` --05-17`` (with its leading space), and a date-time (``1990-05-17T00:00:00Z``: the date
  is taken). Anything else is an InputError naming ``where`` and what is accepted.
- A year before ``FIRST_YEAR`` is refused as typed; in a contacts file it is a stand-in
  for "no year" (Apple writes 1604, others 0000) and is dropped (``placeholder_years``).
  A date after ``today`` is refused.
- 29 February is a birthday like any other; in a year without one it is kept on 28 February.
- A stored value that is not one of the two forms (written by hand into the database) is
  treated as no birthday: nothing here raises on it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from monitor.core.errors import InputError

BIRTHDAY_ACCEPTED = "a birthday like 05-17 or 1990-05-17 (MM-DD, or YYYY-MM-DD when you know the year)"
ANNIVERSARY_ACCEPTED = "a date like 06-01 or 2015-06-01 (MM-DD, or YYYY-MM-DD)"
FIRST_YEAR = 1850
"""The earliest birth year accepted; an earlier one in a contacts file means "year unknown"."""
LEAP_YEAR = 2000
"""A leap year, to check a month and day whose year is not known (29 February is allowed)."""

_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII),
    re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})", re.ASCII),
    re.compile(r"(?:--)?(?P<month>\d{2})-?(?P<day>\d{2})", re.ASCII),
)
_TIME_PART = re.compile(r"[Tt ]\d{2}(?::?\d{2}){0,2}(?:[.,]\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?", re.ASCII)
_STORED = re.compile(r"(?:(?P<year>\d{4})-)?(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_SHOWN = 60


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…")


def _split(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first form ``text`` has, or None."""
    cleaned = text.strip()
    for form in _FORMS:
        whole = form.match(cleaned)
        if whole is None:
            continue
        rest = cleaned[whole.end():]
        if rest and (form is _FORMS[2] or not _TIME_PART.fullmatch(rest)):
            continue
        year = whole.groupdict().get("year")
        return (None if year is None else int(year)), int(whole["month"]), int(whole["day"])
    return None


def parse_birthday(text: str, *, where: str = "--birthday", today: date | None = None,
                   placeholder_years: bool = False, accepted: str = BIRTHDAY_ACCEPTED) -> str:
    """``text`` as a stored birthday, ``MM-DD`` or ``YYYY-MM-DD`` (see the module doc).

    ``placeholder_years`` (contacts files): a year before FIRST_YEAR is dropped, not refused.
    ``accepted`` says what is accepted in the error (an anniversary reads the same way).
    """
    parts = _split(text)
    if parts is None:
        raise InputError(f"{where}: {_shown(text.strip())} is not {accepted}")
    year, month, day = parts
    if year is not None and year < FIRST_YEAR and placeholder_years:
        year = None
    if year is not None and (month, day) == (2, 29) and not calendar.isleap(year):
        raise InputError(f"{where}: {_shown(text.strip())}: {year} had no 29 February; check the year, "
                         "or write 02-29 without it")
    try:
        born = date(LEAP_YEAR if year is None else year, month, day)
    except ValueError:
        raise InputError(f"{where}: {_shown(text.strip())} is not a day of the calendar; expected "
                         f"{accepted}") from None
    if year is None:
        return f"{month:02d}-{day:02d}"
    if year < FIRST_YEAR:
        raise InputError(f"{where}: {_shown(text.strip())}: the year must be {FIRST_YEAR} or later; "
                         f"leave it out ({month:02d}-{day:02d}) if you do not know it")
    if today is not None and born > today:
        raise InputError(f"{where}: {_shown(text.strip())} is in the future (today is {today.isoformat()})")
    return born.isoformat()


def month_day(birthday: str | None) -> tuple[int, int] | None:
    """(month, day) of a stored birthday; None for none, or for a value of another shape."""
    found = _STORED.fullmatch(birthday or "")
    if found is None:
        return None
    month, day = int(found["month"]), int(found["day"])
    try:
        date(LEAP_YEAR, month, day)
    except ValueError:
        return None
    return month, day


def birth_year(birthday: str | None) -> int | None:
    """The year of a stored ``YYYY-MM-DD`` birthday; None when it has none."""
    found = _STORED.fullmatch(birthday or "")
    year = found["year"] if found is not None else None
    return None if year is None else int(year)


def month_day_text(birthday: str | None) -> str | None:
    """A stored birthday as ``MM-DD`` (the year left out), None when there is none."""
    found = month_day(birthday)
    return None if found is None else f"{found[0]:02d}-{found[1]:02d}"


def celebrated_on(birthday: str | None, year: int) -> date | None:
    """The day of ``year`` the birthday falls on (29 February: 28 February in other years)."""
    found = month_day(birthday)
    if found is None:
        return None
    month, day = found
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a year without one
        return date(year, 2, 28)


def days_until(birthday: str | None, today: date) -> int | None:
    """Days from ``today`` to the next birthday (0 on the day itself); None without one."""
    this_year = celebrated_on(birthday, today.year)
    if this_year is None:
        return None
    if this_year < today:
        next_year = celebrated_on(birthday, today.year + 1)
        assert next_year is not None
        return (next_year - today).days
    return (this_year - today).days


def is_birthday(birthday: str | None, day: date) -> bool:
    """True when the birthday is celebrated on ``day``."""
    return celebrated_on(birthday, day.year) == day


def is_birthday_eve(birthday: str | None, day: date) -> bool:
    """True when the birthday is celebrated the day after ``day``."""
    return is_birthday(birthday, day + timedelta(days=1))


def age_on(birthday: str | None, day: date) -> int | None:
    """How old someone born on ``birthday`` turns in the year of ``day``; None without a year."""
    year = birth_year(birthday)
    return None if year is None else day.year - year


def describe_when(birthday: str | None, today: date) -> str:
    """``today``, ``tomorrow``, ``in 12 days``; empty without a birthday."""
    days = days_until(birthday, today)
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"
