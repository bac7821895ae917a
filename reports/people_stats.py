"""The people side of a period: who was reached, and who is most overdue for a word.

Last talked is a person's latest interaction; due is last talked + ``every_days``. A
person never talked to counts from when they were added.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.store.database import Store

DAY_SECONDS = 86400.0


@dataclass(frozen=True)
class PersonReached:
    """Someone the user was in touch with during the period."""

    person_id: int
    name: str
    interactions: int
    last_at_utc: float
    via: tuple[str, ...]


@dataclass(frozen=True)
class PersonOverdue:
    """Someone whose wished-for gap between contacts has run out."""

    person_id: int
    name: str
    every_days: float
    last_talked_utc: float | None
    due_utc: float
    overdue_days: float


def people_reached(store: Store, start_utc: float, end_utc: float) -> list[PersonReached]:
    """People with an interaction in ``[start_utc, end_utc)``, most contacts first."""
    rows = store.connection.execute(
        "SELECT people.id, people.name, COUNT(*), MAX(interactions.at_utc), "
        "GROUP_CONCAT(DISTINCT interactions.via) "
        "FROM interactions JOIN people ON people.id = interactions.person_id "
        "WHERE interactions.at_utc >= ? AND interactions.at_utc < ? "
        "GROUP BY people.id ORDER BY COUNT(*) DESC, MAX(interactions.at_utc) DESC, people.name",
        (start_utc, end_utc),
    ).fetchall()
    return [
        PersonReached(int(pid), str(name), int(count), float(last),
                      tuple(sorted(str(via).split(","))) if via else ())
        for pid, name, count, last, via in rows
    ]


def most_overdue(store: Store, as_of: float, *, limit: int | None = 5) -> list[PersonOverdue]:
    """People past their due date at ``as_of``, most overdue first (``limit``: at most that many)."""
    rows = store.connection.execute(
        "SELECT people.id, people.name, people.every_days, people.created_utc, "
        "MAX(interactions.at_utc) FROM people "
        "LEFT JOIN interactions ON interactions.person_id = people.id AND interactions.at_utc <= ? "
        "WHERE people.every_days IS NOT NULL AND people.every_days > 0 AND people.created_utc <= ? "
        "GROUP BY people.id",
        (as_of, as_of),
    ).fetchall()
    overdue = []
    for pid, name, every_days, created, last in rows:
        base = float(created) if last is None else float(last)
        due = base + float(every_days) * DAY_SECONDS
        if due < as_of:
            overdue.append(PersonOverdue(int(pid), str(name), float(every_days),
                                         None if last is None else float(last), due,
                                         (as_of - due) / DAY_SECONDS))
    overdue.sort(key=lambda person: (-person.overdue_days, person.name))
    return overdue if limit is None else overdue[:limit]
