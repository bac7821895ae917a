"""The SQLite store: one private file in WAL mode, its schema versioned by ``PRAGMA user_version``.

The daemon and the commands share only this file. Store opens it (creating and migrating
it as needed, monitor.store.migrations) and runs blocks of writes as one transaction.
The writes the daemon and the commands share are its methods, inherited from the
module of their table (monitor.store.spans, monitor.store.state); every other query is
a function of the module of its table, taking a Store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from monitor.core.errors import StoreError, StoreWriteError
from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir, make_private_file
from monitor.core.settings import Settings, load_settings
from monitor.store import DATABASE_FILE
from monitor.store.migrations import migrate
from monitor.store.rollups import ensure_rollups
from monitor.store.spans import SpanWrites
from monitor.store.state import StateTable

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
OPEN_TRIES = 5


READ_ONLY_WORDS = ("readonly", "read-only", "unable to open database file")
"""What SQLite says when the folder or the file cannot be written."""


def _writable(path: Path) -> bool | None:
    """Whether this user may write ``path``; None when it does not exist (False: cannot even look)."""
    try:
        path.stat()
    except FileNotFoundError:
        return None
    except OSError:
        return False
    return os.access(path, os.W_OK)


def read_only_problem(path: Path) -> StoreError | None:
    """The one-line error for a database at ``path`` whose folder or file this user cannot write.

    None when both can be written (as far as the system says: root passes any mode, but
    not an immutable folder).
    """
    folder = path.parent
    if _writable(folder) is False:
        return StoreError(f"{folder}: the data folder is read-only for you, so the database cannot be "
                          "kept there; make it yours and writable (e.g. `sudo chown -R $USER "
                          f"{folder}`), or set UNSCROLL_DATA_DIR to a folder you can write")
    if _writable(path) is False:
        return StoreError(f"{path}: the database file is read-only for you; make it yours and "
                          f"writable (e.g. `sudo chown -R $USER {folder}`), or set UNSCROLL_DATA_DIR "
                          "to a folder you can write")
    return None


def _open_error(path: Path, exc: Exception, doing: str) -> StoreError:
    """The StoreError for ``exc``, raised while ``doing`` (e.g. "open"): read-only named as such."""
    if isinstance(exc, OSError) or any(word in str(exc).lower() for word in READ_ONLY_WORDS):
        problem = read_only_problem(path)
        if problem is not None:
            return problem
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if _writable(path.parent) is None:
        return StoreError(f"{path.parent}: the data folder cannot be created ({reason}); create it "
                          "yourself, or set UNSCROLL_DATA_DIR to a folder you can write")
    return StoreError(f"{path}: cannot {doing} the database: {reason}")


def ensure_data_folder(folder: Path, *, for_writing: bool = False) -> None:
    """Create the private data folder if needed; StoreError saying what to do if it cannot be.

    With ``for_writing`` (the daemon, before it starts) a folder that exists but cannot
    be written is refused at once; otherwise SQLite is left to find out, so that reading
    still works where it can.
    """
    database = folder / DATABASE_FILE
    try:
        ensure_private_dir(folder)
    except OSError as exc:
        raise _open_error(database, exc, "keep") from None
    problem = read_only_problem(database) if for_writing else None
    if problem is not None:
        raise problem


def _connect(path: Path) -> sqlite3.Connection:
    ensure_data_folder(path.parent)
    problem = read_only_problem(path) if path.exists() else None
    if problem is not None:
        raise problem
    created = not path.exists()
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)
        if created:
            path.touch(mode=PRIVATE_FILE_MODE, exist_ok=True)
        make_private_file(path)
    except (sqlite3.Error, OSError) as exc:
        if connection is not None:
            connection.close()
        raise _open_error(path, exc, "open") from None
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def write_error(path: Path, exc: sqlite3.Error) -> StoreWriteError:
    """The StoreWriteError for ``exc``, a failed write to the database at ``path``."""
    reason = str(exc)
    if any(word in reason.lower() for word in READ_ONLY_WORDS):
        problem = read_only_problem(path)
        if problem is not None:
            reason = f"{reason} ({problem.message})"
    return StoreWriteError(path, reason)


class Store(SpanWrites, StateTable):
    """A connection to the store, with the few writes the daemon and commands share."""

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
                migrate(self.connection, path)
                ensure_rollups(self.connection)
                break
            except sqlite3.OperationalError as exc:
                # two programs creating the file at once: switching it to WAL can fail at
                # once with "locked" (SQLite does not wait there, to avoid a deadlock)
                if "locked" in str(exc) and attempt < OPEN_TRIES:
                    time.sleep(0.05 * attempt)
                    continue
                self.connection.close()
                raise _open_error(path, exc, "use") from None
            except sqlite3.DatabaseError as exc:
                self.connection.close()
                raise _open_error(path, exc, "use") from None
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
        """Run a block of writes atomically (``BEGIN IMMEDIATE`` … ``COMMIT``).

        A database error in the block or at its ends (locked, disk full, read-only, a
        constraint) rolls it back and is raised as StoreWriteError naming the file.
        """
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from exc
        try:
            yield self.connection
            self.connection.execute("COMMIT")
        except BaseException as exc:
            # also when COMMIT itself failed (disk full, I/O error): SQLite may leave the
            # transaction open, and every later BEGIN would then fail
            if self.connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise write_error(self.path, exc) from exc
            raise

    def set_busy_timeout(self, seconds: float) -> None:
        """Wait at most ``seconds`` for another program's lock (the store's own default: 10 s)."""
        self.connection.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")

    def integrity_ok(self) -> bool:
        """True when ``PRAGMA integrity_check`` reports ``ok``."""
        return bool(self.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def open_store(settings: Settings | None = None) -> Store:
    """Open the user's store (of ``settings``, else of the settings on disk), creating it on first use."""
    return Store((settings or load_settings()).paths.database)
