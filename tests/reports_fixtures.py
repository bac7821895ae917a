"""Helpers for the report tests: settings with chosen budgets, rows inserted directly, a sample week."""

from __future__ import annotations

import random
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.core.vocabulary import (
    CLICK,
    CONTINUED,
    DOORWAY,
    DOORWAY_NO_ANSWER,
    DOORWAY_UNAVAILABLE,
    LEFT,
    MORE,
    NOT_TODAY,
    OVER,
    REACHED_OUT,
    REPEAT,
    SOMEONE_ELSE,
    WARN,
)
from monitor.store.database import Store
from monitor.store.day_budgets import record_day_budgets
from reports.weeks import parse_week
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
               category: str | None = "social", *, held_back: bool = False) -> None:
    """Store a prompt that was sent (or held back by the experiment) and what the user did with it."""
    store.connection.execute(
        "INSERT INTO prompts (at_utc, day, kind, category, action, held_back) VALUES (?, ?, ?, ?, ?, ?)",
        (when, day.isoformat(), kind, category, action, int(held_back)))


# --- a realistic week, for the README's screenshot and the tests that draw it --------------------
SAMPLE_CONFIG = """
[day]
starts_at = "04:00"
[budgets]
total = "8h"
social = "45m"
[budgets.weekend]
social = "1h"
"""
SAMPLE_WEEK = "2026-W20"  # 11 – 17 May 2026
SAMPLE_ZONE = "Europe/Berlin"
SAMPLE_NOW = "2026-05-17T21:30:00+02:00"  # Sunday evening, as the weekly report is drawn
SAMPLE_ACTIVITIES = {  # category: (items, weekday minutes, weekend minutes)
    "work": (["VS Code", "Terminal", "GitHub"], 250, 20),
    "social": (["Reddit", "Instagram", "X"], 40, 75),
    "video": (["YouTube", "Netflix"], 35, 110),
    "messaging": (["Signal", "WhatsApp"], 18, 25),
    "email": (["Thunderbird"], 25, 5),
    "uncategorized": (["Files", "Settings"], 12, 10),
}
SAMPLE_PEOPLE = (("Anna Schmidt", 7), ("Dario Rossi", 14), ("Chloé Martin", 10), ("Emma Wilson", 7),
                 ("Ben Okafor", 14), ("Farah Haddad", 30))
SAMPLE_DOORWAY = {LEFT: 5, CONTINUED: 6, REACHED_OUT: 1, DOORWAY_NO_ANSWER: 2}  # weights per outcome
SAMPLE_NOTICES = {MORE: 4, NOT_TODAY: 2, REACHED_OUT: 2, SOMEONE_ELSE: 1, CLICK: 1, None: 2}


def _sample_day(store: Store, rng: random.Random, day: date, zone: tzinfo, scale: float) -> None:
    """One day's use: sessions of the activities from about 08:30, in a shuffled order."""
    weekend = day.weekday() >= 5
    clock = at(day, "08:30" if not weekend else "10:00", zone) + rng.uniform(0, 1800)
    pieces: list[tuple[str, str, float]] = []
    for category, (items, weekday_minutes, weekend_minutes) in SAMPLE_ACTIVITIES.items():
        minutes = (weekend_minutes if weekend else weekday_minutes) * scale * rng.uniform(0.6, 1.5)
        while minutes > 1:
            piece = min(minutes, rng.uniform(6, 45))
            pieces.append((category, rng.choice(items), piece * 60))
            minutes -= piece
    rng.shuffle(pieces)
    for category, name, seconds in pieces:
        add_span(store, clock, seconds, category=category, name=name,
                 app="code" if category == "work" else "firefox")
        clock += seconds + rng.uniform(60, 900)


def _sample_prompts(store: Store, rng: random.Random, day: date, zone: tzinfo, people: list[int]) -> None:
    """The day's doorways (one each time social was opened after a while away) and notices."""
    social_start = at(day, "09:00", zone)
    for _ in range(rng.randint(3, 8)):
        outcome = rng.choices(list(SAMPLE_DOORWAY), weights=list(SAMPLE_DOORWAY.values()))[0]
        when = social_start + rng.uniform(0, 14 * 3600)
        add_prompt(store, when, day, outcome, kind=DOORWAY)
        if outcome == REACHED_OUT:
            add_interaction(store, rng.choice(people), when, rng.choice(["call", "text"]))
    if day.weekday() == 2:  # Wednesday: on a train without a display for the doorway's window
        for _ in range(2):
            add_prompt(store, social_start + rng.uniform(0, 3600), day, DOORWAY_UNAVAILABLE, kind=DOORWAY)
    for _ in range(rng.randint(0, 3)):
        action = rng.choices(list(SAMPLE_NOTICES), weights=list(SAMPLE_NOTICES.values()))[0]
        when = social_start + rng.uniform(3 * 3600, 14 * 3600)
        add_prompt(store, when, day, action, kind=rng.choice([WARN, OVER, OVER, REPEAT]))
        if action == REACHED_OUT:
            add_interaction(store, rng.choice(people), when, "call")


def _sample_held_back(store: Store, rng: random.Random, day: date, zone: tzinfo) -> None:
    """The experiment's share of the day: doorways decided and held back (nothing was shown)."""
    for _ in range(rng.randint(0, 3)):
        add_prompt(store, at(day, "09:00", zone) + rng.uniform(0, 14 * 3600), day, None, kind=DOORWAY,
                   held_back=True)


def fill_sample_week(store: Store, seed: int = 20) -> None:
    """A realistic week of use: SAMPLE_WEEK and the week before, budgets kept, people, doorways, notices."""
    rng = random.Random(seed)
    zone = ZoneInfo(SAMPLE_ZONE)
    week = parse_week(SAMPLE_WEEK)
    first = week.days()[0]
    people = [add_person(store, name, every, at(first, "04:00", zone) - 90 * 86400)
              for name, every in SAMPLE_PEOPLE]
    for person, days_ago in zip(people, (9, 20, 4, 12, 17, 25), strict=True):
        add_interaction(store, person, at(first, "19:00", zone) - days_ago * 86400, "text")
    for day in week.previous().days():
        _sample_day(store, rng, day, zone, scale=1.2)
    for day in week.days():
        weekend = day.weekday() >= 5
        record_day_budgets(store, day, {"total": 8 * 3600.0, "social": (3600.0 if weekend else 2700.0)})
        _sample_day(store, rng, day, zone, scale=1.0)
        _sample_prompts(store, rng, day, zone, people)
    held_back = random.Random(seed + 1)  # its own generator: the shown prompts stay as they were
    for day in week.days():
        _sample_held_back(store, held_back, day, zone)
    add_interaction(store, people[1], at(week.days()[5], "16:00", zone), "in person")
    add_interaction(store, people[0], at(week.days()[3], "20:00", zone), "video")
