"""Durations as people write them in config files and commands: ``2s``, ``30m``, ``1h30m``, ``2w``."""

from __future__ import annotations

import re
from datetime import timedelta

from monitor.core.errors import DurationError

_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])")
_WHOLE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*[wdhms]\s*)+")

ACCEPTED = "a duration like 90s, 30m, 1h30m, 2d or 2w (units w, d, h, m, s)"


def parse_duration(text: object, *, where: str = "duration") -> timedelta:
    """Read a duration written like ``1h30m``; raise DurationError naming ``where`` otherwise.

    Zero is allowed (``0s``); negative values and bare numbers are not, because a
    bare ``30`` could mean seconds or minutes and guessing would count wrongly.
    """
    if not isinstance(text, str):
        raise DurationError(f"{where}: expected {ACCEPTED} in quotes, got {text!r}")
    cleaned = text.strip().lower()
    if not cleaned or not _WHOLE.fullmatch(cleaned):
        raise DurationError(f"{where}: {text!r} is not {ACCEPTED}")
    seen: set[str] = set()
    seconds = 0.0
    for number, unit in _PART.findall(cleaned):
        if unit in seen:
            raise DurationError(f"{where}: {text!r} names the unit {unit!r} twice; expected {ACCEPTED}")
        seen.add(unit)
        seconds += float(number) * _UNIT_SECONDS[unit]
    if seconds > 366 * 86400:
        raise DurationError(f"{where}: {text!r} is longer than a year; expected {ACCEPTED}")
    return timedelta(seconds=seconds)


def format_duration(seconds: float) -> str:
    """Write seconds the way a person reads them: ``1 h 05 m``, ``12 m``, ``45 s``."""
    whole = round(max(seconds, 0.0))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} m"
    if minutes:
        return f"{minutes} m" if not secs or minutes >= 10 else f"{minutes} m {secs:02d} s"
    return f"{secs} s"


def to_config_text(value: timedelta) -> str:
    """Write a duration back in the config syntax, e.g. ``1h30m``."""
    whole = round(value.total_seconds())
    parts = []
    for unit in ("h", "m", "s"):
        size = _UNIT_SECONDS[unit]
        amount, whole = divmod(whole, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"
