"""Writing another device's spans and prompts into this store, keyed so that a later copy replaces an earlier.

A span from device D, known there as row ``id`` starting at ``start``, is stored with the
origin ``sync:D:id:start#n`` (``n``: its pieces, when forgotten time cut holes in it), so
the next segment's copy of the same span (grown longer, cut back, deleted) replaces all
of it. A prompt's origin is ``sync:D:id``. Rows from another device carry its id in
``device`` and ``source = 'sync'``, and are never written back to the folder.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from monitor.store.sync_capture import SYNC_SOURCE

Connection = sqlite3.Connection


@dataclass(frozen=True)
class RemoteSpan:
    """A span of another device, times already on this computer's clock."""

    key: str
    """``sync:D:id:start``: the same span on D keeps it."""
    pieces: Sequence[tuple[float, float]]
    """Its time less what was forgotten here (often one piece: the whole span)."""
    app: str
    title: str | None
    category: str
    name: str
    watching: bool


@dataclass(frozen=True)
class RemotePrompt:
    """A prompt (a notice or the doorway) another device showed, its time on this computer's clock."""

    origin: str
    at_utc: float
    day: str
    kind: str
    category: str | None
    person_id: int | None
    message: str
    action: str | None
    action_at: float | None
    used_s: float
    held_back: bool


def span_key(device: str, row_id: int, start_utc: float) -> str:
    """The origin prefix of a span of ``device`` (its row id and start there)."""
    return f"sync:{device}:{row_id}:{start_utc!r}"


def _drop(connection: Connection, keys: Iterable[str]) -> None:
    connection.executemany("DELETE FROM spans WHERE origin >= ? AND origin < ?",
                           [(f"{key}#", f"{key}$") for key in keys])


def store_spans(connection: Connection, device: str, spans: Sequence[RemoteSpan]) -> None:
    """Store (or replace) ``device``'s ``spans``, each in one or more pieces."""
    _drop(connection, (span.key for span in spans))
    connection.executemany(
        "INSERT INTO spans (start_utc, end_utc, app, title, category, name, device, source, origin, "
        "watching) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(start, end, span.app, span.title, span.category, span.name, device, SYNC_SOURCE,
          f"{span.key}#{number}", int(span.watching))
         for span in spans for number, (start, end) in enumerate(span.pieces) if end > start])


def drop_spans(connection: Connection, keys: Iterable[str]) -> None:
    """Delete the spans stored under these origin prefixes (the other device deleted them)."""
    _drop(connection, keys)


def store_prompts(connection: Connection, device: str, prompts: Sequence[RemotePrompt]) -> None:
    """Store (or update) prompts ``device`` showed; they count toward this computer's daily caps."""
    connection.executemany(
        "INSERT INTO prompts (at_utc, day, kind, category, person_id, message, action, action_at, used_s, "
        "held_back, device, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (origin) DO UPDATE SET at_utc = excluded.at_utc, day = excluded.day, "
        "kind = excluded.kind, category = excluded.category, "
        "person_id = excluded.person_id, message = excluded.message, action = excluded.action, "
        "action_at = excluded.action_at, used_s = excluded.used_s, held_back = excluded.held_back",
        [(p.at_utc, p.day, p.kind, p.category, p.person_id, p.message, p.action, p.action_at, p.used_s,
          int(p.held_back), device, p.origin) for p in prompts])


def drop_prompts(connection: Connection, origins: Iterable[str]) -> None:
    """Delete the prompts stored under these origins (forgotten on their device)."""
    connection.executemany("DELETE FROM prompts WHERE origin = ?", [(origin,) for origin in origins])


def wipe_device(connection: Connection, device: str) -> tuple[int, float]:
    """Delete every span and prompt read from ``device``; return the spans and seconds removed."""
    count, seconds = connection.execute(
        "SELECT COUNT(*), COALESCE(SUM(end_utc - start_utc), 0) FROM spans WHERE device = ? AND source = ?",
        (device, SYNC_SOURCE)).fetchone()
    connection.execute("DELETE FROM spans WHERE device = ? AND source = ?", (device, SYNC_SOURCE))
    connection.execute("DELETE FROM prompts WHERE device = ?", (device,))
    return int(count), float(seconds)


def has_forgotten(connection: Connection, start: float, end: float, app: str | None,
                  pattern: str | None, at: float) -> bool:
    """True when exactly this forget is recorded here already."""
    return connection.execute(
        "SELECT 1 FROM forgotten WHERE start_utc = ? AND end_utc = ? AND app IS ? AND title_pattern IS ? "
        "AND forgotten_utc = ?", (start, end, app, pattern, at)).fetchone() is not None
