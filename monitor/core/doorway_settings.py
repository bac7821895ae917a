"""The ``[doorway]`` settings: when the doorway opens, for which categories, and its timings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from monitor.core.durations import parse_duration
from monitor.core.errors import ConfigError

DOORWAY_MODES = ("always", "over-budget", "off")
DOORWAY_KEYS = ("when", "categories", "after_away", "seconds", "continue_for", "timeout")
MAX_BREATH = timedelta(minutes=1)
"""A breath longer than this would be a lock, not a pause."""


@dataclass(frozen=True)
class DoorwaySettings:
    """The ``[doorway]`` table."""

    when: str
    categories: tuple[str, ...]
    after_away: timedelta
    seconds: timedelta
    continue_for: tuple[timedelta, ...]
    timeout: timedelta


def default_doorway() -> DoorwaySettings:
    """The shipped ``[doorway]`` values, for settings built in code (tests, tools)."""
    return DoorwaySettings(when="always", categories=("social",), after_away=timedelta(minutes=10),
                           seconds=timedelta(seconds=4),
                           continue_for=(timedelta(minutes=5), timedelta(minutes=15)),
                           timeout=timedelta(seconds=60))


def _mode(value: object, where: str) -> str:
    if value not in DOORWAY_MODES:
        raise ConfigError(f"{where}: {value!r} is not one of " + ", ".join(f'"{m}"' for m in DOORWAY_MODES))
    return str(value)


def _breath(value: object, where: str) -> timedelta:
    breath = parse_duration(value, where=where)
    if not timedelta(0) <= breath <= MAX_BREATH:
        raise ConfigError(f"{where}: {value!r} must be between \"0s\" and \"1m\", like \"4s\"")
    return breath


def _positive(value: object, where: str) -> timedelta:
    duration = parse_duration(value, where=where)
    if duration <= timedelta(0):
        raise ConfigError(f"{where}: must be longer than zero, like \"10m\"")
    return duration


def _periods(value: object, where: str) -> tuple[timedelta, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: must be a list of one or more durations, like [\"5m\", \"15m\"]")
    return tuple(_positive(item, f"{where}[{index}]") for index, item in enumerate(value))


def _categories(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{where}: must be a list of category names, like [\"social\"]")
    return tuple(value)


def read_doorway(get: Callable[[str, Callable[[object, str], Any]], Any]) -> DoorwaySettings:
    """The ``[doorway]`` table, each key read through ``get(key, convert)`` (which names the file)."""
    return DoorwaySettings(
        when=get("when", _mode),
        categories=get("categories", _categories),
        after_away=get("after_away", _positive),
        seconds=get("seconds", _breath),
        continue_for=get("continue_for", _periods),
        timeout=get("timeout", _positive),
    )
