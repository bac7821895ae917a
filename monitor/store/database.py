"""The SQLite store: one private file in WAL mode, its schema versioned by ``PRAGMA user_version``.

The daemon and the commands share only this file. Each migration runs in one
transaction, so a crash mid-upgrade leaves the previous version intact.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from monitor.core.errors import StoreError
from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir, make_private_file

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
OPEN_TRIES = 5

MIGRATIONS: tuple[str, ...] = (
    # 1: usage spans and key/value state
    """
    CREATE TABLE spans (
        id        INTEGER PRIMARY KEY,
        start_utc REAL NOT NULL,
        end_utc   REAL NOT NULL,
        app       TEXT NOT NULL,
        title     TEXT,
        category  TEXT NOT NULL DEFAULT 'uncategorized',
        name      TEXT NOT NULL,
        device    TEXT NOT NULL,
        source    TEXT NOT NULL DEFAULT 'daemon',
        origin    TEXT UNIQUE,
        CHECK (end_utc >= start_utc)
    );
    CREATE INDEX spans_start ON spans (start_utc);
    CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: every notification sent and what the user did with it
    """
    CREATE TABLE prompts (
        id        INTEGER PRIMARY KEY,
        at_utc    REAL NOT NULL,
        day       TEXT NOT NULL,
        kind      TEXT NOT NULL,
        category  TEXT,
        person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
        message   TEXT NOT NULL DEFAULT '',
        action    TEXT,
        action_at REAL
    );
    CREATE INDEX prompts_day ON prompts (day, category);
    """,
    # 3: people and the interactions that say when the user last talked to them
    """
    CREATE TABLE people (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        every_days  REAL,
        tags        TEXT NOT NULL DEFAULT '[]',
        emails      TEXT NOT NULL DEFAULT '[]',
        phones      TEXT NOT NULL DEFAULT '[]',
        links       TEXT NOT NULL DEFAULT '[]',
        notes       TEXT NOT NULL DEFAULT '',
        uid         TEXT UNIQUE,
        created_utc REAL NOT NULL
    );
    CREATE TABLE interactions (
        id        INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        at_utc    REAL NOT NULL,
        via       TEXT NOT NULL DEFAULT 'other',
        note      TEXT NOT NULL DEFAULT '',
        source    TEXT NOT NULL DEFAULT 'manual',
        UNIQUE (person_id, at_utc, source)
    );
    CREATE INDEX interactions_person ON interactions (person_id, at_utc);
    """,
    # 4: the category's usage when a budget notice was sent (repeats count use, not time)
    """
    ALTER TABLE prompts ADD COLUMN used_s REAL NOT NULL DEFAULT 0;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class SpanRow:
    """One stored span of attention on one window."""

    id: int
    start_utc: float
    end_utc: float
    app: str
    title: str | None
    category: str
    name: str
    device: str


def _connect(path: Path) -> sqlite3.Connection:
    ensure_private_dir(path.parent)
    created = not path.exists()
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from None
    if created:
        path.touch(mode=PRIVATE_FILE_MODE, exist_ok=True)
    make_private_file(path)
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: the database was written by a newer unscroll (schema "
                         f"{version}, this version knows {SCHEMA_VERSION}); upgrade unscroll")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        log.info("migrating %s to schema version %d", path, number)
        connection.execute("BEGIN IMMEDIATE")
        try:
            # re-read inside the write lock: another process may have migrated meanwhile
            if connection.execute("PRAGMA user_version").fetchone()[0] >= number:
                connection.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[number - 1].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


class Store:
    """A connection to the store with the few writes the daemon and commands share."""

    def __init__(self, path: Path) -> None:
        """Open (creating and migrating if needed) the store at ``path``."""
        self.path = path
        self.connection = _connect(path)
        for attempt in range(1, OPEN_TRIES + 1):
            try:
                mode = self.connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    log.warning("%s: WAL mode unavailable, using %s", path, mode)
                self.connection.execute("PRAGMA synchronous = NORMAL")
                _migrate(self.connection, path)
                break
            except sqlite3.OperationalError as exc:
                # two programs creating the file at once: switching it to WAL can fail at
                # once with "locked" (SQLite does not wait there, to avoid a deadlock)
                if "locked" in str(exc) and attempt < OPEN_TRIES:
                    time.sleep(0.05 * attempt)
                    continue
                self.connection.close()
                raise StoreError(f"{path}: cannot use the database: {exc}") from None
            except sqlite3.DatabaseError as exc:
                self.connection.close()
                raise StoreError(f"{path}: cannot use the database: {exc}") from None
        for suffix in ("-wal", "-shm"):
            make_private_file(path.with_name(path.name + suffix))

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block of writes atomically (``BEGIN IMMEDIATE`` … ``COMMIT``)."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
            self.connection.execute("COMMIT")
        except BaseException:
            # also when COMMIT itself failed (disk full, I/O error): SQLite may leave the
            # transaction open, and every later BEGIN would then fail
            if self.connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.connection.execute("ROLLBACK")
            raise

    # --- state -------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        """The value stored under ``key``, or None."""
        row = self.connection.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self.connection.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def delete_state(self, key: str) -> None:
        """Forget ``key``."""
        self.connection.execute("DELETE FROM state WHERE key = ?", (key,))

    # --- spans -------------------------------------------------------------------------
    def insert_span(self, start_utc: float, end_utc: float, app: str, title: str | None,
                    category: str, name: str, device: str) -> int:
        """Store a new span and return its id."""
        cursor = self.connection.execute(
            "INSERT INTO spans (start_utc, end_utc, app, title, category, name, device) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (start_utc, end_utc, app, title, category, name, device),
        )
        return int(cursor.lastrowid or 0)

    def extend_span(self, span_id: int, end_utc: float) -> None:
        """Move the end of span ``span_id`` to ``end_utc``."""
        self.connection.execute("UPDATE spans SET end_utc = ? WHERE id = ?", (end_utc, span_id))

    def spans_between(self, start_utc: float, end_utc: float) -> list[SpanRow]:
        """Every span that starts in ``[start_utc, end_utc)``, oldest first."""
        rows = self.connection.execute(
            "SELECT id, start_utc, end_utc, app, title, category, name, device FROM spans "
            "WHERE start_utc >= ? AND start_utc < ? ORDER BY start_utc",
            (start_utc, end_utc),
        ).fetchall()
        return [SpanRow(*row) for row in rows]

    def integrity_ok(self) -> bool:
        """True when ``PRAGMA integrity_check`` reports ``ok``."""
        return bool(self.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
