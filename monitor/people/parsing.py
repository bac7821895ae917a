"""Reading what people type about people: frequencies, dates, ways of talking, emails and phones.

- Frequencies (``parse_every``) are written ``10d``, ``2w``, ``3mo`` or ``1y``: in this
  context ``3m`` would read as three *minutes* everywhere else in unscroll, so it is
  refused with a hint to write ``3mo`` or ``90d``. A month is 30 days, a year 365.
- Dates (``parse_date``) are ``YYYY-MM-DD``, ``today``, ``yesterday`` or ``3d ago`` /
  ``2w ago``. A date is a local day (counted with the configured day start) and is
  stored as noon of that day, or as ``now`` when noon is still to come; dates in the
  future are refused.
- Emails are stored lowercased; phones as E.164 with the extension apart, or as written
  when they cannot be checked (``monitor.people.phones``); both are the keys by which
  imports recognise a person.
- Times are UTC Unix seconds; these helpers take ``now`` and the zone as arguments.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from monitor.core.days import day_of
from monitor.core.errors import InputError
from monitor.people import phones
from monitor.people.model import MAX_EVERY_DAYS, VIA_CHOICES

EVERY_ACCEPTED = "a frequency like 10d, 2w, 3mo or 1y (days, weeks, months of 30 days, years)"
DATE_ACCEPTED = "a date like 2024-03-15, today, yesterday, 3d ago or 2w ago"
NO_EVERY_WORDS = ("off", "none", "never", "-")

_EVERY_UNITS: dict[str, float] = {
    "d": 1, "day": 1, "days": 1,
    "w": 7, "wk": 7, "week": 7, "weeks": 7,
    "mo": 30, "mon": 30, "month": 30, "months": 30,
    "y": 365, "yr": 365, "year": 365, "years": 365,
}
_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_AGO = re.compile(r"(\d+)\s*(d|days?|w|weeks?)\s+ago")
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+")


def parse_every(text: str, *, where: str = "--every") -> float | None:
    """Read a frequency like ``2w`` or ``3mo`` as days; ``off``/``none`` mean no frequency.

    ``3m`` is refused: elsewhere in unscroll ``m`` means minutes.
    """
    cleaned = text.strip().lower()
    if cleaned in NO_EVERY_WORDS:
        return None
    match = _EVERY.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
            raise InputError(f"{where}: {text!r} has no unit; write {cleaned}d for days, "
                             f"{cleaned}w for weeks or {cleaned}mo for months")
        raise InputError(f"{where}: {text!r} is not {EVERY_ACCEPTED}")
    number, unit = float(match.group(1)), match.group(2)
    if unit in ("m", "min", "mins", "minute", "minutes"):
        raise InputError(f"{where}: {text!r} is ambiguous (m means minutes elsewhere in unscroll); "
                         f"write {match.group(1)}mo for months or {round(number * 30)}d for days")
    if unit not in _EVERY_UNITS:
        raise InputError(f"{where}: {text!r} has an unknown unit {unit!r}; expected {EVERY_ACCEPTED}")
    days = number * _EVERY_UNITS[unit]
    if days <= 0 or days > MAX_EVERY_DAYS:
        raise InputError(f"{where}: {text!r} must be more than 0 days and at most 10 years")
    return days


def format_every(days: float | None) -> str:
    """Write a frequency back the way it is typed: ``2w``, ``3mo``, ``1y``, ``10d``; ``-`` for none."""
    if days is None:
        return "-"
    for unit, size in (("y", 365.0), ("mo", 30.0), ("w", 7.0)):
        count = days / size
        if days >= size and abs(count - round(count)) < 1e-9:
            return f"{round(count)}{unit}"
    return f"{days:g}d"


def local_date(instant: float, zone: tzinfo, starts_at: time = time(0)) -> date:
    """The local day an instant belongs to (with the configured day start)."""
    return day_of(instant, starts_at, zone)


def parse_date(text: str, *, now: float, zone: tzinfo, starts_at: time = time(0),
               where: str = "date") -> float:
    """Read ``YYYY-MM-DD``, ``today``, ``yesterday`` or ``3d ago`` as an instant (see module doc)."""
    cleaned = " ".join(text.strip().lower().split())
    today = local_date(now, zone, starts_at)
    day: date
    if cleaned == "today":
        day = today
    elif cleaned == "yesterday":
        day = today - timedelta(days=1)
    elif (ago := _AGO.fullmatch(cleaned)) is not None:
        count = int(ago.group(1))
        day = today - timedelta(days=count * (7 if ago.group(2).startswith("w") else 1))
    else:
        try:
            day = date.fromisoformat(cleaned)
        except ValueError:
            raise InputError(f"{where}: {text!r} is not {DATE_ACCEPTED}") from None
    if day > today:
        raise InputError(f"{where}: {text!r} is in the future (today is {today.isoformat()})")
    noon = datetime.combine(day, time(12), tzinfo=zone).timestamp()
    return min(noon, now)


def normalize_via(text: str) -> str:
    """``Call`` → ``call``, ``in-person`` → ``in person``; InputError for anything else."""
    cleaned = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if cleaned == "inperson":
        cleaned = "in person"
    if cleaned not in VIA_CHOICES:
        raise InputError(f"--via: {text!r} is not one of {', '.join(VIA_CHOICES)}")
    return cleaned


def normalize_email(text: str) -> str | None:
    """An email lowercased and stripped of ``mailto:``; None when it is not an address."""
    cleaned = text.strip()
    if cleaned.lower().startswith("mailto:"):
        cleaned = cleaned[7:]
    cleaned = cleaned.strip().strip("<>").lower()
    return cleaned if _EMAIL.fullmatch(cleaned) else None


def normalize_phone(text: str, region: str | None = None) -> str | None:
    """A phone number in its stored form (``phones.normalize_phone``); None with fewer than 3 digits."""
    return phones.normalize_phone(text, region)
