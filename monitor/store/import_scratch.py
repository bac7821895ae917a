"""A private scratch database of imported events, so a big export never sits in memory whole.

The streaming ActivityWatch import writes each checked event here as it reads the file,
then asks for the events of a few days at a time. The file is a temporary SQLite file
inside the data folder (``import-*.tmp.sqlite3``, mode 0600, made by ``mkstemp``), written
without a journal (nothing in it outlives the import) and deleted when the block ends,
whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

EventRow = tuple[float, float, str, str, str | None, str, bool, bool, bool]
"""start, end, key, app, title, url, afk, incognito, audible: an ActivityWatch event's fields."""


class ScratchEvents:
    """Events by bucket number, stored as they are read and read back by time range."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def add(self, bucket: int, events: Iterable[EventRow]) -> None:
        """Store ``events`` of bucket number ``bucket``."""
        self.connection.executemany(  # the bucket number is written in: no new tuple per event
            "INSERT INTO events (bucket, start_utc, end_utc, key, app, title, url, afk, incognito, audible) "  # noqa: S608
            f"VALUES ({int(bucket)}, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)

    def finish(self) -> None:
        """Index the events by bucket and start, once all are in."""
        self.connection.execute("CREATE INDEX events_by_start ON events (bucket, start_utc)")

    def extent(self, buckets: Iterable[int]) -> tuple[float, float, dict[int, float]] | None:
        """The first start and last end among ``buckets``, and each one's longest event (None: no events)."""
        first, last, longest = float("inf"), float("-inf"), {}
        for bucket in buckets:
            low, high, length = self.connection.execute(
                "SELECT MIN(start_utc), MAX(end_utc), MAX(end_utc - start_utc) FROM events WHERE bucket = ?",
                (bucket,)).fetchone()
            if low is not None:
                first, last, longest[bucket] = min(first, low), max(last, high), length
        return (first, last, longest) if longest else None

    def overlapping(self, bucket: int, low: float, high: float, longest: float) -> list[EventRow]:
        """The events of ``bucket`` overlapping ``[low, high)``, by start (none lasts over ``longest``)."""
        rows: list[EventRow] = self.connection.execute(  # flags come back as 0 and 1: true and false enough
            "SELECT start_utc, end_utc, key, app, title, url, afk, incognito, audible FROM events "
            "WHERE bucket = ? AND start_utc >= ? AND start_utc < ? AND end_utc > ? "
            "ORDER BY start_utc, rowid", (bucket, low - longest, high, low)).fetchall()
        return rows


@contextlib.contextmanager
def scratch_events(folder: Path) -> Iterator[ScratchEvents]:
    """A new scratch database in ``folder``, deleted when the block ends."""
    handle, name = tempfile.mkstemp(prefix="import-", suffix=".tmp.sqlite3", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA cache_size = -16384")
            connection.execute("CREATE TABLE events (bucket INTEGER NOT NULL, start_utc REAL NOT NULL, "
                               "end_utc REAL NOT NULL, key TEXT NOT NULL, app TEXT NOT NULL, title TEXT, "
                               "url TEXT NOT NULL, afk INTEGER NOT NULL, incognito INTEGER NOT NULL, "
                               "audible INTEGER NOT NULL)")
            connection.execute("BEGIN")
            yield ScratchEvents(connection)
        finally:
            connection.close()
    finally:
        path.unlink(missing_ok=True)
