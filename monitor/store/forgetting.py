"""The deletes behind ``unscroll forget``, the record of what was forgotten, and the rebuild.

Deletes run with SQLite's ``secure_delete`` on, so the freed bytes are zeroed; ``purge``
then rebuilds the file without its free pages (``VACUUM``) and empties the write-ahead
log with a ``TRUNCATE`` checkpoint.

Each forget also leaves a row in ``forgotten``: the UTC range it covered, the ``--app``
and ``--title`` pattern it was limited to, and when it ran. Imports leave that time out
(a re-import does not bring it back), the daemon resumes a span forgotten under it from
the moment of the forget, and a synced device can honour it the same way.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitor.core.errors import StoreError
from monitor.store.database import Store

CHUNK = 500
"""Span ids deleted by one statement."""
CHECKPOINT_TRIES = 20
CHECKPOINT_PAUSE = 0.25
EVERY_TABLE = ("spans", "prompts", "interactions", "people", "state", "forgotten")
"""Emptied, in this order, by ``wipe``."""


def _period(since_utc: float | None, until_utc: float | None) -> tuple[float, float]:
    return (float("-inf") if since_utc is None else since_utc,
            float("inf") if until_utc is None else until_utc)


@dataclass(frozen=True)
class Forgotten:
    """One forget: time in ``[start_utc, end_utc)``, of one app and titles matching a pattern (None: any)."""

    start_utc: float
    end_utc: float
    app: str | None
    title_pattern: str | None
    forgotten_utc: float
    """When the forget ran (the range never reaches past it)."""

    def applies_to(self, app: str, title: str | None) -> bool:
        """True when a window of ``app`` titled ``title`` (as stored) is among what was forgotten.

        The same test as ``unscroll forget``: the app ignoring case, the pattern searched in
        the title ignoring case (a window without a title never matches a pattern).
        """
        if self.app is not None and app.casefold() != self.app.strip().casefold():
            return False
        if self.title_pattern is None:
            return True
        return title is not None and _compiled(self.title_pattern).search(title) is not None


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    """The pattern compiled once (ignoring case); one that no longer compiles matches nothing."""
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = re.compile(pattern, re.IGNORECASE)
        except re.error:
            _PATTERNS[pattern] = re.compile(r"(?!)")
    return _PATTERNS[pattern]


def record_forgotten(store: Store, forgotten: Forgotten) -> None:
    """Keep the record of one forget (call it in the transaction that deletes)."""
    store.connection.execute(
        "INSERT INTO forgotten (start_utc, end_utc, app, title_pattern, forgotten_utc) "
        "VALUES (?, ?, ?, ?, ?)",
        (forgotten.start_utc, forgotten.end_utc, forgotten.app, forgotten.title_pattern,
         forgotten.forgotten_utc))


def forgotten_since(store: Store, since_utc: float | None = None) -> list[Forgotten]:
    """Every forget that ran after ``since_utc`` (all of them if None), oldest first."""
    rows = store.connection.execute(
        "SELECT start_utc, end_utc, app, title_pattern, forgotten_utc FROM forgotten "
        "WHERE forgotten_utc > ? ORDER BY forgotten_utc",
        (float("-inf") if since_utc is None else since_utc,))
    return [Forgotten(float(start), float(end), app, pattern, float(at))
            for start, end, app, pattern, at in rows]


def secure_delete(store: Store) -> None:
    """Zero the bytes of whatever this connection deletes from now on."""
    store.connection.execute("PRAGMA secure_delete = ON")


def spans_starting(store: Store, since_utc: float | None,
                   until_utc: float | None) -> Iterator[tuple[int, float, str, str | None]]:
    """(id, seconds, app, title) of every span starting in ``[since_utc, until_utc)`` (None: open)."""
    rows = store.connection.execute(
        "SELECT id, end_utc - start_utc, app, title FROM spans WHERE start_utc >= ? AND start_utc < ?",
        _period(since_utc, until_utc))
    for span_id, seconds, app, title in rows:
        yield int(span_id), float(seconds), str(app), title


def delete_spans(store: Store, span_ids: list[int]) -> None:
    """Delete the spans with these ids, CHUNK to a statement."""
    for first in range(0, len(span_ids), CHUNK):
        chunk = span_ids[first:first + CHUNK]
        marks = ",".join("?" * len(chunk))
        store.connection.execute(f"DELETE FROM spans WHERE id IN ({marks})", chunk)  # noqa: S608


def delete_prompts(store: Store, since_utc: float | None, until_utc: float | None) -> int:
    """Delete the notification records of ``[since_utc, until_utc)`` (None: open); how many went."""
    cursor = store.connection.execute("DELETE FROM prompts WHERE at_utc >= ? AND at_utc < ?",
                                      _period(since_utc, until_utc))
    return cursor.rowcount


def purge(store: Store) -> None:
    """Rebuild the database without free pages and empty its write-ahead log.

    Raises StoreError when another program kept the log busy for several seconds
    (the deletion itself is done; running forget again finishes the purge).
    """
    connection = store.connection
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("VACUUM")
    for _ in range(CHECKPOINT_TRIES):
        busy, _log_frames, _copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        time.sleep(CHECKPOINT_PAUSE)
    raise StoreError(f"{store.path}: deleted, but another program kept the database busy, so older "
                     "copies may remain in its -wal file; run the same forget command again")


def wipe(database: Path) -> None:
    """Empty every table of the database at ``database`` and purge it (before its files are deleted).

    Raises StoreError for any database failure.
    """
    try:
        with Store(database) as store:
            secure_delete(store)
            for table in EVERY_TABLE:
                store.connection.execute(f"DELETE FROM {table}")  # noqa: S608 - names from EVERY_TABLE
            purge(store)
    except sqlite3.Error as exc:
        raise StoreError(f"{database}: cannot empty the database: {exc}") from None
