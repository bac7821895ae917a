"""The people model: who the user keeps in touch with, their interactions, and how they are ordered.

Pure: no store and no clock; ``now`` is always an argument.

- *Last talked* is a person's latest interaction (any source: typed, logged from a
  notification, imported from HubSpot's "Last Contacted").
- *Due* is last talked + ``every_days``. A person never talked to counts from when
  they were added (as ``reports.people_stats`` does), so adding someone with
  ``--every 2w`` makes them due two weeks later unless ``--last-talked`` says otherwise.
  People without ``every`` are never due.
- Names are matched case-folded, with accents dropped (``fold``). Two names *agree*
  (``names_agree``) when they have the same words in any order: ``Lee, Sam`` is ``Sam Lee``.
  A person's ``aliases`` (the names of people merged into them, and their former names)
  agree too, so a card merged by hand keeps merging on the next import.
- A person marked ``new`` is someone the user wants to get to know; a ``birthday`` is a
  local-day fact (``people.birthdays``).
- Times are UTC Unix seconds.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import time, tzinfo

from monitor.core.days import day_of
from monitor.core.errors import InputError

DAY_S = 86400.0
VIA_CHOICES = ("call", "text", "email", "video", "in person", "other")
SOURCE_MANUAL = "manual"
MAX_EVERY_DAYS = 3650.0
MAX_NAME_LENGTH = 200
AMBIGUOUS_LISTED = 10


class Keep(enum.Enum):
    """The type of ``KEEP``, for signatures that accept it."""

    KEEP = "keep"


KEEP = Keep.KEEP
"""Passed to ``directory.edit`` for a field that must stay as it is."""


@dataclass(frozen=True)
class Interaction:
    """One time the user was in touch with a person."""

    id: int
    person_id: int
    at: float
    """When, as UTC Unix seconds."""
    via: str
    note: str
    source: str
    """Where the record came from: ``manual``, ``notification``, ``hubspot`` …"""


@dataclass(frozen=True)
class Person:
    """Someone the user wants to keep in touch with, with their latest interaction."""

    id: int
    name: str
    every_days: float | None
    tags: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    links: tuple[str, ...]
    notes: str
    last_talked: float | None
    """The latest interaction (UTC Unix seconds), or None if there is none."""
    created: float
    uid: str | None = None
    aliases: tuple[str, ...] = ()
    """Other names this person had: people merged into them, former names."""
    new: bool = False
    """Someone the user wants to get to know: suggested at least one time in three."""
    birthday: str | None = None
    """``MM-DD``, or ``YYYY-MM-DD`` when the year is known (see ``people.birthdays``)."""
    anniversary: str | None = None
    """The same forms as ``birthday``; noted from imports and shown, nothing more."""

    @property
    def since(self) -> float:
        """The instant the current gap is counted from: last talked, else when added."""
        return self.created if self.last_talked is None else self.last_talked

    @property
    def due(self) -> float | None:
        """When the next contact is due (UTC Unix seconds); None without ``every``."""
        if self.every_days is None:
            return None
        return self.since + self.every_days * DAY_S

    def days_since(self, now: float) -> float:
        """Days from ``since`` to ``now`` (never negative)."""
        return max(now - self.since, 0.0) / DAY_S

    def overdue_ratio(self, now: float) -> float | None:
        """Days since last talked ÷ ``every_days`` (1.0 = due now); None without ``every``."""
        if self.every_days is None or self.every_days <= 0:
            return None
        return self.days_since(now) / self.every_days

    def is_due(self, now: float) -> bool:
        """True when the person has an ``every`` and it has run out at ``now``."""
        due = self.due
        return due is not None and due <= now

    def days_until_due(self, now: float, zone: tzinfo, starts_at: time = time(0)) -> int | None:
        """Local days from today to the due day (negative when overdue); None without ``every``.

        Counted in calendar days (with the configured day start), so someone due on
        7 December is "due in 7 days" all through 30 November, not 6.99 rounded down.
        """
        due = self.due
        if due is None:
            return None
        return (day_of(due, starts_at, zone) - day_of(now, starts_at, zone)).days

    @property
    def has_name(self) -> bool:
        """False for someone imported without a name, who is called by their email or phone."""
        return self.name not in self.emails and self.name not in self.phones


@dataclass(frozen=True)
class SuggestionHistory:
    """What ``suggest.rank`` needs to know about past prompts."""

    suggested_at: dict[int, float]
    """Person id → the latest time they were named in a prompt."""
    skipped: frozenset[int]
    """People the user answered "Someone else" to today."""


def fold(text: str) -> str:
    """A name for matching: case-folded, spaces collapsed, accents dropped from Latin/Greek/Cyrillic."""
    if text.isascii():
        return " ".join(text.casefold().split())  # no accents to drop: the common case, fast
    kept: list[str] = []
    base = 0
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            if base < 0x0590:
                continue
        else:
            base = ord(char)
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def name_key(name: str) -> tuple[str, ...]:
    """A name's words, folded (``fold``) and sorted: names with the same key agree."""
    return tuple(sorted(re.findall(r"\w+", fold(name))))


def names_agree(person: Person, name: str) -> bool:
    """True when ``name`` is the person's name or one of their aliases, in any word order."""
    wanted = name_key(name)
    return any(name_key(known) == wanted for known in (person.name, *person.aliases))


def union(existing: Iterable[str], extra: Iterable[str],
          key: Callable[[str], str] = str.casefold) -> tuple[str, ...]:
    """The items of ``existing`` then the new ones of ``extra``, stripped, each once (by ``key``)."""
    seen: set[str] = set()
    result: list[str] = []
    for item in (*existing, *extra):
        cleaned = item.strip()
        if cleaned and key(cleaned) not in seen:
            seen.add(key(cleaned))
            result.append(cleaned)
    return tuple(result)


def described(person: Person) -> str:
    """A person as error messages name them: ``Sam Lee (#3, sam@example.com)``."""
    extra = person.emails[:1] or person.phones[:1]
    return f"{person.name} (#{person.id}{', ' + extra[0] if extra else ''})"


def match_people(people: Sequence[Person], query: str) -> Person:
    """The one person ``query`` names (see ``directory.find_by_query``); InputError otherwise."""
    text = " ".join(query.split())
    if not text:
        raise InputError("name: give a name, or part of one")
    if not people:
        raise InputError(f"no one matches {query!r}: your list is empty; add someone with "
                         'unscroll people add "Name" --every 2w')
    if re.fullmatch(r"#\d+", text):
        wanted = int(text[1:])
        for person in people:
            if person.id == wanted:
                return person
        raise InputError(f"no one has the number {text}; `unscroll people list` shows everyone")
    folded = fold(text)
    exact = [person for person in people if fold(person.name) == folded]
    if len(exact) == 1:
        return exact[0]
    words = folded.split()
    matches = exact or [person for person in people
                        if all(word in fold(person.name) for word in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        by_number = [person for person in people if text.isdigit() and person.id == int(text)]
        if by_number:  # the "#" column of `people list`, typed without its "#"
            return by_number[0]
        raise InputError(f"no one matches {query!r}; `unscroll people list` shows everyone")
    matches = sorted(matches, key=lambda person: (fold(person.name), person.id))
    listed = ", ".join(described(person) for person in matches[:AMBIGUOUS_LISTED])
    more = f" and {len(matches) - AMBIGUOUS_LISTED} more" if len(matches) > AMBIGUOUS_LISTED else ""
    raise InputError(f"{query!r} matches {len(matches)} people: {listed}{more}; "
                     "use more of the name, or #number")


def overdue_order(people: Iterable[Person], now: float) -> list[Person]:
    """People with ``every`` first, most overdue (highest ratio) first; then the rest by name."""
    def key(person: Person) -> tuple[int, float, str, int]:
        """Sort key: scheduled before unscheduled, then the highest ratio, then name and id."""
        ratio = person.overdue_ratio(now)
        if ratio is None:
            return (1, 0.0, fold(person.name), person.id)
        return (0, -ratio, fold(person.name), person.id)
    return sorted(people, key=key)
