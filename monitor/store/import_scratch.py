"""A private scratch database of imported events, so a big export never sits in memory whole.

The streaming ActivityWatch import writes each checked event here as it reads the file,
then asks for the events of a few days at a time, a batch of events to a row (one row per
event cost more than reading the file). The file is a temporary SQLite file inside the data
folder (``import-*.tmp.sqlite3``, mode 0600, made by ``mkstemp``), written without a journal
(nothing in it outlives the import) and deleted when the block ends, whatever happens.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

EventRow = tuple[float, float, str, str, str | None, str, bool, bool, bool]
"""start, end, key, app, title, url, afk, incognito, audible: an ActivityWatch event's fields."""
BLOB_EVENTS = 2_000
"""Events stored in one row: a few days of focus changes, so a week reads little more than itself."""
_START = itemgetter(0)
_END = itemgetter(1)


class ScratchEvents:
    """Events by bucket number, stored as they are read and read back by time range.

    Events are stored a batch to a row (``BLOB_EVENTS``, marshalled: the scratch file is this
    process's own, mode 0600, deleted afterwards), with the batch's first start and last end;
    a time range reads back the batches that overlap it and keeps the events that do.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    def share(self) -> Path:
        """Commit what has been written, so that another connection may read it; the file's path."""
        self.connection.execute("COMMIT")
        return self.path

    def add(self, bucket: int, events: list[EventRow]) -> None:
        """Store ``events`` (plain tuples: marshal writes no other) of bucket number ``bucket``."""
        self.connection.executemany(
            "INSERT INTO batches (bucket, first_start, last_end, events) VALUES (?, ?, ?, ?)",
            [(bucket, min(map(_START, batch)), max(map(_END, batch)), marshal.dumps(batch))
             for batch in (events[at:at + BLOB_EVENTS] for at in range(0, len(events), BLOB_EVENTS))])

    def clear(self) -> None:
        """Forget every event stored so far (the file is read again)."""
        self.connection.execute("DELETE FROM batches")

    def finish(self) -> None:
        """Index the batches by bucket and start, once all are in."""
        self.connection.execute("CREATE INDEX batches_by_start ON batches (bucket, first_start)")

    def extent(self, buckets: Iterable[int]) -> tuple[float, float, set[int]] | None:
        """The first start and last end among ``buckets``, and those with events (None: no events)."""
        first, last, found = float("inf"), float("-inf"), set()
        for bucket in buckets:
            low, high = self.connection.execute(
                "SELECT MIN(first_start), MAX(last_end) FROM batches WHERE bucket = ?", (bucket,)).fetchone()
            if low is not None:
                first, last = min(first, low), max(last, high)
                found.add(bucket)
        return (first, last, found) if found else None

    def overlapping(self, bucket: int, low: float, high: float) -> list[EventRow]:
        """The events of ``bucket`` overlapping ``[low, high)``, by start (in file order for equal starts)."""
        found: list[EventRow] = []
        for (blob,) in self.connection.execute(
                "SELECT events FROM batches WHERE bucket = ? AND first_start < ? AND last_end > ? "
                "ORDER BY rowid", (bucket, high, low)):
            # written by this import a moment ago, into its own private file (0600)
            events = marshal.loads(blob)  # noqa: S302
            found += [event for event in events if event[0] < high and event[1] > low]
        found.sort(key=_START)
        return found


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
            connection.execute("PRAGMA cache_size = -2048")  # appended to, then read a week at a time
            connection.execute("CREATE TABLE batches (bucket INTEGER NOT NULL, first_start REAL NOT NULL, "
                               "last_end REAL NOT NULL, events BLOB NOT NULL)")
            connection.execute("BEGIN")
            yield ScratchEvents(connection, path)
        finally:
            connection.close()
    finally:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def shared_scratch(path: Path) -> Iterator[ScratchEvents]:
    """The scratch database at ``path``, read only: another process's, once it has shared it."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        yield ScratchEvents(connection, path)
    finally:
        connection.close()
