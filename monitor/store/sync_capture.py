"""What this computer still has to write to the synced folder: rows marked by triggers, and their reads.

While sync is on (the state key ``sync.capture``), triggers mark every change of this
computer's own rows in ``sync_dirty``: a span (by id and start: SQLite may give a deleted
span's id to a new one), a prompt, an interaction, a person. A row changed again before it
was written gets a higher ``version``, so ``clear`` only forgets the marks that were written.
Rows that came from other devices (spans with source ``sync``, prompts and interactions
with a ``device``) are never marked: nothing is echoed back. The triggers are made at run
time (``start_capture``), not in a migration: a computer that never syncs carries none,
and while sync is off they cost one lookup of the state key.

Deleting a person keeps their sync ids in ``sync_people_gone`` (always, sync on or off), so
the others hear of it and an id is never reused for someone else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.store.database import Store

CAPTURE_KEY = "sync.capture"
NOW_SQL = "((julianday('now') - 2440587.5) * 86400.0)"
"""The current time as Unix seconds, in SQL (the triggers' clock)."""
SYNC_SOURCE = "sync"
"""``spans.source`` of the spans read from another device's segments."""
SPAN, PROMPT, TALK, PERSON = "span", "prompt", "talk", "person"

_CAPTURING = f"EXISTS (SELECT 1 FROM state WHERE key = '{CAPTURE_KEY}')"  # noqa: S608


def _mark(kind: str, row: str, start: str = "0") -> str:
    """The statement a trigger runs to mark ``row`` (``NEW.id``) of ``kind`` as still to write."""
    return (f"INSERT INTO sync_dirty (kind, row_id, start_utc, touched_utc) SELECT '{kind}', {row}, {start}, "
            f"{NOW_SQL} WHERE 1 ON CONFLICT (kind, row_id, start_utc) DO UPDATE SET "
            "version = version + 1, touched_utc = excluded.touched_utc;")


def _trigger(name: str, event: str, table: str, when: str, *body: str) -> str:
    return (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} WHEN {when} "
            f"BEGIN {' '.join(body)} END")


_TRIGGERS = (
    _trigger("sync_span_added", "INSERT", "spans", f"NEW.source != '{SYNC_SOURCE}' AND {_CAPTURING}",
             _mark(SPAN, "NEW.id", "NEW.start_utc")),
    _trigger("sync_span_changed", "UPDATE", "spans", f"NEW.source != '{SYNC_SOURCE}' AND {_CAPTURING}",
             _mark(SPAN, "NEW.id", "NEW.start_utc"), _mark(SPAN, "OLD.id", "OLD.start_utc")),
    _trigger("sync_span_deleted", "DELETE", "spans", f"OLD.source != '{SYNC_SOURCE}' AND {_CAPTURING}",
             _mark(SPAN, "OLD.id", "OLD.start_utc")),
    _trigger("sync_prompt_added", "INSERT", "prompts", f"NEW.device IS NULL AND {_CAPTURING}",
             _mark(PROMPT, "NEW.id")),
    _trigger("sync_prompt_changed", "UPDATE", "prompts", f"NEW.device IS NULL AND {_CAPTURING}",
             _mark(PROMPT, "NEW.id")),
    _trigger("sync_prompt_deleted", "DELETE", "prompts", f"OLD.device IS NULL AND {_CAPTURING}",
             _mark(PROMPT, "OLD.id")),
    _trigger("sync_talk_added", "INSERT", "interactions", f"NEW.device IS NULL AND {_CAPTURING}",
             _mark(TALK, "NEW.id")),
    _trigger("sync_talk_changed", "UPDATE", "interactions", f"NEW.device IS NULL AND {_CAPTURING}",
             _mark(TALK, "NEW.id")),
    _trigger("sync_person_added", "INSERT", "people", _CAPTURING, _mark(PERSON, "NEW.id")),
    _trigger("sync_person_changed", "UPDATE", "people", _CAPTURING, _mark(PERSON, "NEW.id")),
    _trigger("sync_person_deleted", "DELETE", "people", "1",
             f"INSERT OR REPLACE INTO sync_people_gone (gid, gone_utc, sent) SELECT gid, {NOW_SQL}, 0 "  # noqa: S608
             "FROM sync_people WHERE person_id = OLD.id;",
             "DELETE FROM sync_people WHERE person_id = OLD.id;"),
)


@dataclass(frozen=True)
class Mark:
    """One row marked as still to write, as it was when read."""

    kind: str
    row_id: int
    start_utc: float
    version: int
    touched_utc: float


def capturing(store: Store) -> bool:
    """True when the triggers mark this computer's changes (sync is on)."""
    return store.get_state(CAPTURE_KEY) is not None


def start_capture(store: Store) -> bool:
    """Make the triggers (once) and turn marking on; True when it was off (a full write is due)."""
    with store.transaction() as connection:
        for statement in _TRIGGERS:
            connection.execute(statement)
        was_off = store.get_state(CAPTURE_KEY) is None
        store.set_state(CAPTURE_KEY, "on")
        # people deleted while it was off: their ids are gone too
        connection.execute(f"INSERT OR IGNORE INTO sync_people_gone (gid, gone_utc) SELECT gid, {NOW_SQL} "  # noqa: S608
                           "FROM sync_people WHERE person_id NOT IN (SELECT id FROM people)")
        connection.execute("DELETE FROM sync_people WHERE person_id NOT IN (SELECT id FROM people)")
    return was_off


def stop_capture(store: Store) -> None:
    """Turn marking off and forget the marks (turning it on again writes everything anew)."""
    with store.transaction() as connection:
        store.delete_state(CAPTURE_KEY)
        connection.execute("DELETE FROM sync_dirty")


def mark_everything(store: Store) -> None:
    """Mark every row of this computer's as still to write: the next segment holds all of it."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT OR IGNORE INTO sync_dirty (kind, row_id, start_utc, touched_utc) "  # noqa: S608
            f"SELECT '{SPAN}', id, start_utc, {NOW_SQL} FROM spans WHERE source != ? "
            "AND device NOT IN (SELECT id FROM sync_devices WHERE kind != 'self')", (SYNC_SOURCE,))
        for kind, table, where in ((PROMPT, "prompts", "device IS NULL"),
                                   (TALK, "interactions", "device IS NULL"), (PERSON, "people", "1")):
            connection.execute(f"INSERT OR IGNORE INTO sync_dirty (kind, row_id, start_utc, touched_utc) "  # noqa: S608
                               f"SELECT '{kind}', id, 0, {NOW_SQL} FROM {table} WHERE {where}")
        connection.execute("UPDATE sync_people_gone SET sent = 0")


def marks(store: Store, kind: str) -> list[Mark]:
    """Every row of ``kind`` marked as still to write."""
    rows = store.connection.execute(
        "SELECT row_id, start_utc, version, touched_utc FROM sync_dirty WHERE kind = ? ORDER BY row_id",
        (kind,)).fetchall()
    return [Mark(kind, int(row_id), float(start), int(version), float(touched))
            for row_id, start, version, touched in rows]


def clear(store: Store, written: Iterable[Mark]) -> None:
    """Forget the marks that were written (a mark changed since then stays)."""
    with store.transaction() as connection:
        connection.executemany(
            "DELETE FROM sync_dirty WHERE kind = ? AND row_id = ? AND start_utc = ? AND version = ?",
            [(mark.kind, mark.row_id, mark.start_utc, mark.version) for mark in written])


def _columns(cursor_description: Sequence[Sequence[Any]]) -> list[str]:
    return [str(column[0]) for column in cursor_description]


def marked_spans(store: Store) -> list[tuple[Mark, dict[str, Any] | None]]:
    """Each marked span with its row now (None: deleted), left out when it is another device's."""
    cursor = store.connection.execute(
        "SELECT d.row_id, d.start_utc, d.version, d.touched_utc, s.id, s.end_utc, s.app, s.title, "
        "s.category, s.name, s.watching, s.device IN (SELECT id FROM sync_devices WHERE kind != 'self') "
        "FROM sync_dirty d LEFT JOIN spans s ON s.id = d.row_id AND s.start_utc = d.start_utc "
        "WHERE d.kind = ? ORDER BY d.start_utc", (SPAN,))
    result: list[tuple[Mark, dict[str, Any] | None]] = []
    for row_id, start, version, touched, found, end, app, title, category, name, watching, other in cursor:
        mark = Mark(SPAN, int(row_id), float(start), int(version), float(touched))
        if found is None:
            result.append((mark, None))
        elif not other:
            result.append((mark, {"end": float(end), "app": app, "title": title, "category": category,
                                  "name": name, "watching": int(watching)}))
    return result


def marked_prompts(store: Store) -> list[tuple[Mark, dict[str, Any] | None]]:
    """Each marked prompt with its row now (None: deleted) and the sync id of the person it named."""
    cursor = store.connection.execute(
        "SELECT d.row_id, d.version, d.touched_utc, p.id, p.at_utc, p.kind, p.category, p.message, "
        "p.action, p.action_at, p.used_s, p.held_back, "
        "(SELECT MIN(gid) FROM sync_people g WHERE g.person_id = p.person_id) "
        "FROM sync_dirty d LEFT JOIN prompts p ON p.id = d.row_id WHERE d.kind = ? ORDER BY d.row_id",
        (PROMPT,))
    result: list[tuple[Mark, dict[str, Any] | None]] = []
    for row in cursor:
        row_id, version, touched, found, at, kind, category, message, action, action_at, used, held, gid = row
        mark = Mark(PROMPT, int(row_id), 0.0, int(version), float(touched))
        result.append((mark, None if found is None else {
            "at": float(at), "kind": kind, "category": category, "message": message, "action": action,
            "action_at": action_at, "used": float(used), "held": int(held), "gid": gid}))
    return result


def marked_talks(store: Store) -> list[tuple[Mark, dict[str, Any] | None]]:
    """Each marked interaction with its row now (None: gone with its person) and its person's sync id."""
    cursor = store.connection.execute(
        "SELECT d.row_id, d.version, d.touched_utc, i.id, i.at_utc, i.via, i.note, i.source, "
        "(SELECT MIN(gid) FROM sync_people g WHERE g.person_id = i.person_id) "
        "FROM sync_dirty d LEFT JOIN interactions i ON i.id = d.row_id WHERE d.kind = ? ORDER BY d.row_id",
        (TALK,))
    result: list[tuple[Mark, dict[str, Any] | None]] = []
    for row_id, version, touched, found, at, via, note, source, gid in cursor:
        mark = Mark(TALK, int(row_id), 0.0, int(version), float(touched))
        result.append((mark, None if found is None or gid is None else {
            "at": float(at), "via": via, "note": note, "source": source, "gid": gid}))
    return result


def forgotten_after(store: Store, last_id: int) -> list[tuple[int, dict[str, Any]]]:
    """The forgets recorded after row ``last_id`` (their id, and what they covered)."""
    rows = store.connection.execute(
        "SELECT id, start_utc, end_utc, app, title_pattern, forgotten_utc FROM forgotten WHERE id > ? "
        "ORDER BY id",
        (last_id,)).fetchall()
    return [(int(fid), {"start": float(start), "end": float(end), "app": app, "pattern": pattern,
                        "at": float(at)}) for fid, start, end, app, pattern, at in rows]

