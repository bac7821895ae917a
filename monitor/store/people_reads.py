"""Reads of the people and interactions tables that the reports make: who was reached, when each was last.

The tables and their writes belong to monitor.store.people; these are the period sums the
weekly report shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.store.database import Store


@dataclass(frozen=True)
class PersonReached:
    """Someone the user was in touch with during the period."""

    person_id: int
    name: str
    interactions: int
    last_at_utc: float
    via: tuple[str, ...]


@dataclass(frozen=True)
class LastContact:
    """Someone with a wished-for gap between contacts, and when the user last talked to them."""

    person_id: int
    name: str
    every_days: float
    created_utc: float
    last_talked_utc: float | None
    """The latest interaction, None when there was none."""


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


def last_contacts(store: Store, as_of: float) -> list[LastContact]:
    """Everyone added by ``as_of`` with a gap between contacts set, and their last contact by then."""
    rows = store.connection.execute(
        "SELECT people.id, people.name, people.every_days, people.created_utc, "
        "MAX(interactions.at_utc) FROM people "
        "LEFT JOIN interactions ON interactions.person_id = people.id AND interactions.at_utc <= ? "
        "WHERE people.every_days IS NOT NULL AND people.every_days > 0 AND people.created_utc <= ? "
        "GROUP BY people.id",
        (as_of, as_of),
    ).fetchall()
    return [
        LastContact(int(pid), str(name), float(every_days), float(created),
                    None if last is None else float(last))
        for pid, name, every_days, created, last in rows
    ]
