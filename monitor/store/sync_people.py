"""People across devices: their sync ids, each field's latest change, and the writes that apply another's.

A person has one or more sync ids (``sync_people.gid``): the one this computer gave them,
and those of the same person on other computers (matched by uid or name on first sight).
``sync_fields`` keeps, per person and column, the value last written to or read from the
folder (as JSON), when it changed and on which device: "the later change wins, ties by
device id" is decided against it. Columns are read from the table itself, so a column
added by a later migration travels without a change here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from monitor.store.sync_capture import PERSON

Connection = sqlite3.Connection
FieldRecord = tuple[str, float, str]
"""A field's value as JSON, when it changed, and the device it changed on."""
NOT_SYNCED = ("id",)
"""Columns that are this computer's own (the row id)."""


def columns(connection: Connection) -> list[str]:
    """The people table's columns that travel between devices."""
    return [str(row[1]) for row in connection.execute("PRAGMA table_info(people)")
            if row[1] not in NOT_SYNCED]


def as_json(value: object) -> str:
    """A column value as the JSON kept in ``sync_fields.value``."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def give_ids(connection: Connection, make_gid: Callable[[], str]) -> int:
    """Give every person without a sync id one (``make_gid()``); return how many got one."""
    missing = [int(row[0]) for row in connection.execute(
        "SELECT id FROM people WHERE id NOT IN (SELECT person_id FROM sync_people)")]
    connection.executemany("INSERT INTO sync_people (gid, person_id) VALUES (?, ?)",
                           [(make_gid(), person_id) for person_id in missing])
    return len(missing)


def gid_of(connection: Connection, person_id: int) -> str | None:
    """The sync id this computer writes for ``person_id`` (its first), or None."""
    row = connection.execute("SELECT gid FROM sync_people WHERE person_id = ? ORDER BY rowid LIMIT 1",
                             (person_id,)).fetchone()
    return None if row is None else str(row[0])


def person_of(connection: Connection, gid: str) -> int | None:
    """The person known here under sync id ``gid``, or None."""
    row = connection.execute("SELECT person_id FROM sync_people WHERE gid = ?", (gid,)).fetchone()
    return None if row is None else int(row[0])


def link(connection: Connection, gid: str, person_id: int) -> None:
    """Know ``person_id`` under ``gid`` too."""
    connection.execute("INSERT OR REPLACE INTO sync_people (gid, person_id) VALUES (?, ?)", (gid, person_id))


def is_gone(connection: Connection, gid: str) -> bool:
    """True when the person with sync id ``gid`` was deleted here."""
    return connection.execute("SELECT 1 FROM sync_people_gone WHERE gid = ?", (gid,)).fetchone() is not None


def candidates(connection: Connection) -> list[tuple[int, str, str | None]]:
    """(id, name, uid) of every person, to match a newcomer from another device against."""
    return [(int(pid), str(name), None if uid is None else str(uid))
            for pid, name, uid in connection.execute("SELECT id, name, uid FROM people")]


def row_of(connection: Connection, person_id: int) -> dict[str, Any] | None:
    """Every travelling column of ``person_id`` as stored, or None."""
    cursor = connection.execute("SELECT * FROM people WHERE id = ?", (person_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    names = [str(column[0]) for column in cursor.description]
    return {name: value for name, value in zip(names, row, strict=True) if name not in NOT_SYNCED}


def field_records(connection: Connection, person_id: int) -> dict[str, FieldRecord]:
    """Field → (value as JSON, when it changed, on which device), as last written or read."""
    return {str(field): (str(value), float(stamp), str(device)) for field, value, stamp, device in
            connection.execute("SELECT field, value, stamp, device FROM sync_fields WHERE person_id = ?",
                               (person_id,))}


def save_field_records(connection: Connection, person_id: int, records: dict[str, FieldRecord]) -> None:
    """Keep ``records`` (field → value as JSON, stamp, device) for ``person_id``."""
    connection.executemany(
        "INSERT OR REPLACE INTO sync_fields (person_id, field, value, stamp, device) VALUES (?, ?, ?, ?, ?)",
        [(person_id, field, value, stamp, device) for field, (value, stamp, device) in records.items()])


def insert_person(connection: Connection, values: dict[str, Any]) -> int:
    """Store a person from another device (only the columns this table has); return the new id."""
    known = set(columns(connection))
    names = [name for name in values if name in known]
    cursor = connection.execute(
        f"INSERT INTO people ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",  # noqa: S608
        [values[name] for name in names])
    return int(cursor.lastrowid or 0)


def update_person(connection: Connection, person_id: int, values: dict[str, Any]) -> None:
    """Write ``values`` (column → value; columns this table lacks are left out) to ``person_id``."""
    known = set(columns(connection))
    names = [name for name in values if name in known]
    if names:
        connection.execute(f"UPDATE people SET {', '.join(f'{name} = ?' for name in names)} "  # noqa: S608
                           "WHERE id = ?", [*(values[name] for name in names), person_id])


def delete_person(connection: Connection, person_id: int) -> None:
    """Delete ``person_id`` as another device did: their interactions go, nothing is written back."""
    gids = [str(row[0]) for row in connection.execute("SELECT gid FROM sync_people WHERE person_id = ?",
                                                           (person_id,))]
    connection.execute("DELETE FROM people WHERE id = ?", (person_id,))
    mark_gone_sent(connection, gids)


def gone(connection: Connection, *, unsent_only: bool) -> list[tuple[str, float]]:
    """(sync id, when) of the people deleted here (only those not written yet with ``unsent_only``)."""
    where = "WHERE sent = 0" if unsent_only else ""
    return [(str(gid), float(at)) for gid, at in
            connection.execute(f"SELECT gid, gone_utc FROM sync_people_gone {where} ORDER BY gid")]  # noqa: S608


def mark_gone_sent(connection: Connection, gids: Iterable[str]) -> None:
    """Note that the deletions of ``gids`` were written to the folder."""
    connection.executemany("UPDATE sync_people_gone SET sent = 1 WHERE gid = ?", [(gid,) for gid in gids])


def insert_talk(connection: Connection, person_id: int, talk: dict[str, Any], device: str) -> bool:
    """Store an interaction another device logged (unless the same one is stored); True if added."""
    cursor = connection.execute(
        "INSERT INTO interactions (person_id, at_utc, via, note, source, device) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (person_id, at_utc, source) DO NOTHING",
        (person_id, talk["at"], talk["via"], talk["note"], talk["source"], device))
    return cursor.rowcount > 0


def local_touch(connection: sqlite3.Connection, person_id: int) -> float | None:
    """When this computer last changed the person (their sync_dirty mark), or None."""
    row = connection.execute("SELECT touched_utc FROM sync_dirty WHERE kind = ? AND row_id = ? "
                             "AND start_utc = 0", (PERSON, person_id)).fetchone()
    return None if row is None else float(row[0])


def not_dirty(connection: sqlite3.Connection, person_id: int) -> None:
    """Clear the person's sync_dirty mark: what was written came from elsewhere, not to send back."""
    connection.execute("DELETE FROM sync_dirty WHERE kind = ? AND row_id = ?", (PERSON, person_id))
