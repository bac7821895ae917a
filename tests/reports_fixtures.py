"""Helpers for the report tests: settings with chosen budgets, and rows inserted directly."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.store.database import Store
from tests.conftest import write_config

DEFAULT_CONFIG = """
[day]
starts_at = "04:00"
[budgets]
total = "2h"
social = "30m"
[budgets.weekend]
total = "3h"
social = "1h"
"""


def make_settings(paths: Paths, text: str = DEFAULT_CONFIG) -> Settings:
    """Settings read from a config.toml holding ``text``."""
    write_config(paths, text)
    return load_settings(paths)


def at(day: date, clock: str, zone: tzinfo) -> float:
    """The Unix time of local ``clock`` (HH:MM) on ``day`` in ``zone``."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).timestamp()


def add_span(store: Store, start: float, seconds: float, *, category: str = "social", name: str = "Reddit",
             app: str = "firefox", title: str | None = None) -> None:
    """Store one span (it must not cross a day boundary)."""
    store.insert_span(start, start + seconds, app, title if title is not None else name, category, name,
                      "test-device")


def add_person(store: Store, name: str, every_days: float | None, created: float) -> int:
    """Store a person and return their id."""
    cursor = store.connection.execute(
        "INSERT INTO people (name, every_days, created_utc) VALUES (?, ?, ?)", (name, every_days, created))
    return int(cursor.lastrowid or 0)


def add_interaction(store: Store, person_id: int, when: float, via: str = "call") -> None:
    """Store that the user was in touch with a person."""
    store.connection.execute("INSERT INTO interactions (person_id, at_utc, via) VALUES (?, ?, ?)",
                             (person_id, when, via))


def add_prompt(store: Store, when: float, day: date, action: str | None, kind: str = "over",
               category: str | None = "social") -> None:
    """Store a prompt that was sent and what the user did with it."""
    store.connection.execute(
        "INSERT INTO prompts (at_utc, day, kind, category, action) VALUES (?, ?, ?, ?, ?)",
        (when, day.isoformat(), kind, category, action))
