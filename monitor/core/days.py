"""Local days with a configurable start: which day an instant belongs to, and its UTC bounds.

Also how commands read a typed day (``yesterday``) and show a moment (``Wed 2 Dec 21:30``).

All functions are pure: they take the instant and the zone as arguments. Instants are
Unix timestamps (seconds, UTC); days are decided in local time, so a day that contains
a daylight-saving change is 23 or 25 hours long.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.core.errors import InputError


def local_zone() -> tzinfo:
    """The machine's time zone, with its daylight-saving rules where they can be found."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    key = zone_key(localtime.resolve())
    if key is not None:
        try:
            return ZoneInfo(key)  # by name: the same rules, and a zone that can be handed to another process
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if localtime.exists():
        try:
            with localtime.open("rb") as handle:
                return ZoneInfo.from_file(handle, key="localtime")
        except (OSError, ValueError):
            pass
    fallback = datetime.now().astimezone().tzinfo
    return fallback if fallback is not None else UTC


def zone_key(zone_file: Path) -> str | None:
    """The zone's name when ``zone_file`` lies in a time zone database (``…/zoneinfo/Europe/Berlin``)."""
    parts = zone_file.parts
    if "zoneinfo" not in parts:
        return None
    key = "/".join(parts[len(parts) - parts[::-1].index("zoneinfo"):])
    return key or None


def day_of(instant: float, starts_at: time, zone: tzinfo) -> date:
    """The local day that ``instant`` counts towards, given the day's start time.

    Decided against ``day_start`` itself, so that ``day_start(day_of(t)) <= t`` always
    holds, also when the day starts in an hour that a daylight-saving change repeats
    or skips (comparing local clock times would put the repeated hour in two days), or
    when a zone skips a whole date (Samoa left out 30 December 2011).
    """
    day = datetime.fromtimestamp(instant, zone).date()
    for _ in range(3):
        if instant >= day_start(day, starts_at, zone):
            break
        day -= timedelta(days=1)
    return day


def day_start(day: date, starts_at: time, zone: tzinfo) -> float:
    """The Unix time at which ``day`` begins."""
    return datetime.combine(day, starts_at, tzinfo=zone).timestamp()


def day_bounds(day: date, starts_at: time, zone: tzinfo) -> tuple[float, float]:
    """The Unix times ``[start, end)`` of ``day``."""
    return day_start(day, starts_at, zone), day_start(day + timedelta(days=1), starts_at, zone)


def next_day_start(instant: float, starts_at: time, zone: tzinfo) -> float:
    """The Unix time at which the day containing ``instant`` ends."""
    return day_bounds(day_of(instant, starts_at, zone), starts_at, zone)[1]


def iso_week_days(year: int, week: int) -> list[date]:
    """The seven dates, Monday first, of ISO week ``week`` of ``year``."""
    monday = date.fromisocalendar(year, week, 1)
    return [monday + timedelta(days=offset) for offset in range(7)]


DATE_ACCEPTED = "a date like 2026-03-01, today, yesterday, 3d ago or 2w ago"
_AGO = re.compile(r"(\d+)\s*(d|days?|w|weeks?)\s+ago")


def parse_day_argument(text: str, today: date, where: str) -> date:
    """Read a day typed in a command: ``YYYY-MM-DD``, ``today``, ``yesterday``, ``3d ago``, ``2w ago``.

    ``today`` is the local day now (with the configured day start); ``where`` names the
    argument in the error, e.g. ``export: --since``.
    """
    cleaned = " ".join(text.strip().lower().split())
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    ago = _AGO.fullmatch(cleaned)
    if ago is not None:
        return today - timedelta(days=int(ago.group(1)) * (7 if ago.group(2).startswith("w") else 1))
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InputError(f"{where} {text!r} is not {DATE_ACCEPTED}") from None


def clock_text(instant: float, now: float, zone: tzinfo) -> str:
    """A moment as a person reads it: ``21:30`` on today's date, ``Wed 2 Dec 21:30`` on another.

    The date is the calendar date in ``zone`` (what a clock on the wall shows); the year
    is added when it is not this year's.
    """
    moment = datetime.fromtimestamp(instant, zone)
    today = datetime.fromtimestamp(now, zone).date()
    if moment.date() == today:
        return f"{moment:%H:%M}"
    year = "" if moment.year == today.year else f" {moment.year}"
    return f"{moment:%a} {moment.day} {moment:%b}{year} {moment:%H:%M}"


def next_weekly(after: float, weekday: int, at: time, zone: tzinfo) -> float:
    """The first moment after ``after`` (UTC seconds) on weekday ``weekday`` (0 = Monday) at ``at``.

    ``at`` is a local time in ``zone``, so a week with a clock change still fires at the
    wall-clock time.
    """
    local = datetime.fromtimestamp(after, zone)
    ahead = (weekday - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=ahead), at, tzinfo=zone)
    if candidate.timestamp() <= after:
        candidate = datetime.combine(local.date() + timedelta(days=ahead + 7), at, tzinfo=zone)
    return candidate.timestamp()
