"""The sync_files table: which files of a synced folder were read (or set aside), by size and time.

A file read before and unchanged since (same size and modification time) is not read again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from monitor.store.database import Store


def file_seen(store: Store, device: str, file: str) -> tuple[int, float] | None:
    """(size, mtime) of ``file`` of ``device`` when it was last read or set aside; None if never."""
    row = store.connection.execute("SELECT size, mtime FROM sync_files WHERE device = ? AND file = ?",
                                   (device, file)).fetchone()
    return None if row is None else (int(row[0]), float(row[1]))


def note_files(connection: sqlite3.Connection, device: str, files: Iterable[str], size: int, mtime: float,
               outcome: str, now: float) -> None:
    """Record ``files`` of ``device`` as read (or set aside: ``outcome`` says) at ``now``."""
    connection.executemany(
        "INSERT OR REPLACE INTO sync_files (device, file, size, mtime, outcome, at_utc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(device, file, size, mtime, outcome, now) for file in files])


def forget_files(connection: sqlite3.Connection, device: str) -> None:
    """Forget which files of ``device`` were read, so its folder is read afresh."""
    connection.execute("DELETE FROM sync_files WHERE device = ?", (device,))
