"""The SQL about people: the ``people`` and ``interactions`` tables, and who prompts named.

Every function takes the connection to use: ``Store.connection`` for a single read,
or the connection ``Store.transaction()`` yields when several reads and writes must
happen atomically. Lists (tags, emails, phones, links, aliases) are stored as JSON arrays;
``new`` as 0 or 1, ``birthday`` and ``anniversary`` as ``MM-DD`` or ``YYYY-MM-DD`` (or NULL);
a person's ``last_talked`` is read as the latest of their interactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TypeAlias

import orjson

from monitor.people.model import Interaction, Person

Connection: TypeAlias = sqlite3.Connection
"""An open connection to the store (``Store.connection``, or what a transaction yields)."""

_SELECT_PERSON = (
    "SELECT p.id, p.name, p.every_days, p.tags, p.emails, p.phones, p.links, p.notes, "
    "p.created_utc, p.uid, p.aliases, p.new, p.birthday, p.anniversary, "
    "(SELECT MAX(i.at_utc) FROM interactions i WHERE i.person_id = p.id) FROM people p"
)
_SELECT_INTERACTION = "SELECT id, person_id, at_utc, via, note, source FROM interactions"


def _list(text: object) -> tuple[str, ...]:
    if text == "[]":
        return ()
    try:
        value = orjson.loads(str(text))
    except orjson.JSONDecodeError:
        return ()
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _json(items: Sequence[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _person(row: Sequence[object]) -> Person:
    (pid, name, every, tags, emails, phones, links, notes, created, uid, aliases, new, birthday,
     anniversary, last) = row
    return Person(
        id=int(str(pid)), name=str(name),
        every_days=None if every is None else float(str(every)),
        tags=_list(tags), emails=_list(emails), phones=_list(phones), links=_list(links),
        notes=str(notes or ""), last_talked=None if last is None else float(str(last)),
        created=float(str(created)), uid=None if uid is None else str(uid), aliases=_list(aliases),
        new=bool(new), birthday=None if birthday is None else str(birthday),
        anniversary=None if anniversary is None else str(anniversary),
    )


def _interaction(row: Sequence[object]) -> Interaction:
    iid, pid, at, via, note, source = row
    return Interaction(int(str(iid)), int(str(pid)), float(str(at)), str(via), str(note), str(source))


# --- people -------------------------------------------------------------------------------

def load_all(connection: Connection) -> list[Person]:
    """Every person, by id."""
    rows = connection.execute(_SELECT_PERSON + " ORDER BY p.id").fetchall()
    return [_person(row) for row in rows]


def load(connection: Connection, person_id: int) -> Person | None:
    """The person with ``person_id``, or None."""
    row = connection.execute(_SELECT_PERSON + " WHERE p.id = ?", (person_id,)).fetchone()
    return None if row is None else _person(row)


def count_people(connection: Connection) -> int:
    """How many people are stored."""
    return int(connection.execute("SELECT COUNT(*) FROM people").fetchone()[0])


def insert_person(connection: Connection, person: Person) -> int:
    """Store a new person (``person.id`` and ``last_talked`` are ignored); return the new id."""
    cursor = connection.execute(
        "INSERT INTO people (name, every_days, tags, emails, phones, links, notes, uid, created_utc, "
        "aliases, new, birthday, anniversary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (person.name, person.every_days, _json(person.tags), _json(person.emails),
         _json(person.phones), _json(person.links), person.notes, person.uid, person.created,
         _json(person.aliases), int(person.new), person.birthday, person.anniversary),
    )
    return int(cursor.lastrowid or 0)


def update_person(connection: Connection, person: Person) -> None:
    """Write every field of ``person`` (but ``created``) to its row."""
    connection.execute(
        "UPDATE people SET name = ?, every_days = ?, tags = ?, emails = ?, phones = ?, links = ?, "
        "notes = ?, uid = ?, aliases = ?, new = ?, birthday = ?, anniversary = ? WHERE id = ?",
        (person.name, person.every_days, _json(person.tags), _json(person.emails),
         _json(person.phones), _json(person.links), person.notes, person.uid, _json(person.aliases),
         int(person.new), person.birthday, person.anniversary, person.id),
    )


def delete_person(connection: Connection, person_id: int) -> bool:
    """Delete a person (their interactions go with them); False if there was no such person."""
    return connection.execute("DELETE FROM people WHERE id = ?", (person_id,)).rowcount > 0


def move_records(connection: Connection, from_id: int, to_id: int) -> tuple[int, int]:
    """Give ``to_id`` the interactions and prompts of ``from_id``: (interactions, prompts) moved.

    An interaction ``to_id`` already has (same instant and source) stays with ``from_id``
    (and goes when ``from_id`` is deleted).
    """
    interactions = connection.execute(
        "UPDATE OR IGNORE interactions SET person_id = ? WHERE person_id = ?", (to_id, from_id)).rowcount
    prompts = connection.execute(
        "UPDATE prompts SET person_id = ? WHERE person_id = ?", (to_id, from_id)).rowcount
    return int(interactions), int(prompts)


# --- interactions -------------------------------------------------------------------------

def insert_interaction(connection: Connection, person_id: int, at: float, via: str,
                       note: str, source: str) -> bool:
    """Store an interaction unless the same (person, instant, source) is stored; True if added."""
    cursor = connection.execute(
        "INSERT INTO interactions (person_id, at_utc, via, note, source) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (person_id, at_utc, source) DO NOTHING",
        (person_id, at, via, note, source),
    )
    return cursor.rowcount > 0


def interaction_at(connection: Connection, person_id: int, at: float, source: str) -> Interaction:
    """The stored interaction of ``person_id`` at ``at`` from ``source`` (it must exist)."""
    row = connection.execute(
        _SELECT_INTERACTION + " WHERE person_id = ? AND at_utc = ? AND source = ?",
        (person_id, at, source)).fetchone()
    return _interaction(row)


def interactions_of(connection: Connection, person_id: int,
                    limit: int | None = None) -> list[Interaction]:
    """A person's interactions, latest first (at most ``limit``)."""
    rows = connection.execute(
        _SELECT_INTERACTION + " WHERE person_id = ? ORDER BY at_utc DESC, id DESC LIMIT ?",
        (person_id, -1 if limit is None else limit),
    ).fetchall()
    return [_interaction(row) for row in rows]


def count_interactions(connection: Connection, person_id: int) -> int:
    """How many interactions are stored for ``person_id``."""
    return int(connection.execute("SELECT COUNT(*) FROM interactions WHERE person_id = ?",
                                  (person_id,)).fetchone()[0])


# --- prompts that named a person ----------------------------------------------------------

def last_suggested(connection: Connection, since: float) -> dict[int, float]:
    """Person id → the latest time a prompt at or after ``since`` named them."""
    rows = connection.execute(
        "SELECT person_id, MAX(at_utc) FROM prompts WHERE person_id IS NOT NULL AND at_utc >= ? "
        "GROUP BY person_id", (since,)).fetchall()
    return {int(pid): float(at) for pid, at in rows}


def count_named(connection: Connection, since: float, *, excluding_kind: str) -> int:
    """How many prompts at or after ``since`` named a person, leaving out those of ``excluding_kind``."""
    return int(connection.execute(
        "SELECT COUNT(*) FROM prompts WHERE person_id IS NOT NULL AND at_utc >= ? AND kind != ?",
        (since, excluding_kind)).fetchone()[0])


def answered_since(connection: Connection, actions: Iterable[str], since: float) -> frozenset[int]:
    """The people named in prompts answered with one of ``actions`` at or after ``since``."""
    wanted = list(actions)
    marks = ", ".join("?" for _ in wanted) or "NULL"
    rows = connection.execute(
        f"SELECT DISTINCT person_id FROM prompts WHERE person_id IS NOT NULL "  # noqa: S608
        f"AND action IN ({marks}) AND action_at >= ?", (*wanted, since)).fetchall()
    return frozenset(int(row[0]) for row in rows)
