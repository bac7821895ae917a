"""Bulk span inserts for importers: many rows per ``INSERT OR IGNORE``, all in one transaction.

A row whose ``origin`` is already stored is skipped on its own (``OR IGNORE`` works per
row, also inside a statement of many rows), so importing the same file again adds nothing.

``scratch_copy`` gives an importer's dry run a private copy of the store to import into:
it sees exactly what a real import would do, file after file, and the store is untouched.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from monitor.store import rollups
from monitor.store.database import Store
from monitor.store.rollup_rows import RollupRow

SpanInsert = tuple[float, float, str, str | None, str, str, str, str, str, int]
"""One row to insert: start, end, app, title, category, name, device, source, origin, watching (0/1)."""
COLUMNS = 10
"""Values in a SpanInsert."""
ROWS_PER_STATEMENT = 90
"""Rows in one INSERT: 900 parameters, within the 999 that SQLite before 3.32 allows."""
CHUNK = 20_000
"""Rows between two progress reports."""

Stored = Callable[[int, int], None]
"""Called as ``stored(done, total)`` after each chunk of rows."""


@contextlib.contextmanager
def page_cache(store: Store, kib: int) -> Iterator[None]:
    """Give SQLite a page cache of ``kib`` KiB while the block runs, then restore the old size."""
    cache_size = store.connection.execute("PRAGMA cache_size").fetchone()[0]
    store.connection.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        store.connection.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextlib.contextmanager
def scratch_copy(store: Store) -> Iterator[Store]:
    """A copy of ``store`` in a private temporary folder, deleted when the block ends."""
    with tempfile.TemporaryDirectory(prefix="unscroll-dry-run-") as folder:
        copy = Store(Path(folder) / store.path.name)
        try:
            store.connection.backup(copy.connection)
            yield copy
        finally:
            copy.close()


def _insert_statement(row_count: int) -> str:
    """An ``INSERT OR IGNORE`` of ``row_count`` span rows in one statement."""
    return ("INSERT OR IGNORE INTO spans (start_utc, end_utc, app, title, category, name, device, source, "  # noqa: S608
            "origin, watching) VALUES "
            + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * row_count))  # only placeholders


class Statements(NamedTuple):
    """Span rows as the parameters of the statements that insert them (``as_statements``)."""

    full: list[tuple[Any, ...]]
    """The values of ``per_statement`` rows to a tuple, a statement each."""
    rest: tuple[Any, ...]
    """The values of the rows left over (fewer than ``per_statement``), for one more statement."""
    per_statement: int

    @property
    def rows(self) -> int:
        """How many rows these are."""
        return len(self.full) * self.per_statement + len(self.rest) // COLUMNS


def as_statements(rows: list[SpanInsert], per_statement: int = ROWS_PER_STATEMENT) -> Statements:
    """``rows`` as the parameters of their statements (a big import's planner makes them: it has the time)."""
    whole = len(rows) - len(rows) % per_statement
    flat = chain.from_iterable
    full = [tuple(flat(rows[first:first + per_statement])) for first in range(0, whole, per_statement)]
    return Statements(full, tuple(flat(rows[whole:])), per_statement)


def _insert(connection: sqlite3.Connection, statements: Statements) -> None:
    """Insert the rows of ``statements``, many to a statement: SQLite's cost per statement is paid once."""
    if statements.full:
        connection.executemany(_insert_statement(statements.per_statement), statements.full)
    if statements.rest:
        connection.execute(_insert_statement(len(statements.rest) // COLUMNS), statements.rest)


def insert_spans(store: Store, rows: list[SpanInsert], *, chunk: int = CHUNK,
                 per_statement: int = ROWS_PER_STATEMENT, stored: Stored | None = None) -> tuple[int, float]:
    """Insert every row in one transaction, skipping origins already stored.

    Returns the number of spans added and the seconds they hold. ``stored`` is called
    after every ``chunk`` rows; an exception from it rolls everything back.
    """
    with store.transaction() as connection, rollups.bulk_inserts(connection) as rolling:  # rolled up at once
        for first in range(0, len(rows), chunk):
            _insert(connection, as_statements(rows[first:first + chunk], per_statement))
            if stored:
                stored(min(first + chunk, len(rows)), len(rows))
        added, seconds = rolling.added()
    return added, seconds


Batch = tuple[list[SpanInsert] | Statements, list[RollupRow] | None]
"""A batch of rows to insert (maybe as their statements' parameters), maybe with its rollup."""


def insert_span_batches(store: Store, batches: Iterable[Batch], *,
                        per_statement: int = ROWS_PER_STATEMENT) -> tuple[int, int, float]:
    """Insert every batch of rows in one transaction, skipping origins already stored.

    ``batches`` may be made while this runs (a streaming import plans a few days at a
    time); an exception from it rolls everything back. Each batch's rows may come as the
    parameters of their statements (``as_statements``), and with their rollup
    (``rollup_rows``), used when all of them are added. Returns the rows offered, the
    spans added and the seconds they hold.
    """
    offered = 0
    with store.transaction() as connection, rollups.bulk_inserts(connection) as rolling:
        for rows, rollup in batches:
            statements = rows if isinstance(rows, Statements) else as_statements(rows, per_statement)
            offered += statements.rows
            _insert(connection, statements)
            # while the next batch is made (by another process, for a big import)
            rolling.gather(None if rollup is None else (statements.rows, rollup))
        added, seconds = rolling.added()
    return offered, added, seconds
