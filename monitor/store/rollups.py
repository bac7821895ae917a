"""Hourly rollups of spans: per device and category, kept in step with ``spans`` by triggers.

``span_rollups`` holds, per UTC hour in which spans start (``hour`` = start // 3600), per
category and device, the spans' seconds (as whole microseconds, so that adding and
taking away never drifts: each span counts ``ROUND((end - start) * 1e6)``), the part
counted while watching, and how many spans. Triggers on ``spans`` update the row of a span
in the same statement that adds, moves, recategorises or deletes it, so every write path
(the recorder, imports, ``forget``, ``recheck``, sync, restore) keeps it exact in its own
transaction. A range longer than a day sums whole hours here and reads the spans of its
partial first and last hours.

UTC hours, not local days: the rollup does not depend on the day start or time zone (a
change of either needs no rebuild); a local day of any zone whose offset is whole hours is
a run of whole hours, and the hours a range only partly covers are read from the spans.

The triggers also keep ``span_longest`` (an upper bound of any span's length, never
lowered but by a rebuild) and drop the kept union hours a change reaches
(monitor.store.union_hours). Migrations run their text statement by statement, which a
trigger body cannot be, so the triggers are made by ``ensure_rollups`` when a store is
opened, in the same transaction as a rebuild of the rollups from the spans.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.store.database import Store
    from monitor.store.rollup_rows import RollupRow

log = logging.getLogger(__name__)

HOUR_S = 3600.0
LONG_RANGE_S = 26 * 3600.0
"""Ranges longer than this (a day, 25 h across a daylight-saving change) are summed from rollups."""
TRIGGER_NAMES = ("rollup_span_added", "rollup_span_changed", "rollup_span_deleted")
_TABLES = ("span_rollups", "span_rollups_daily", "union_hours", "union_days", "span_longest")


def micros(row: str) -> str:
    """SQL for the whole microseconds of span ``row`` (``NEW`` or ``OLD``)."""
    return f"CAST(ROUND(({row}.end_utc - {row}.start_utc) * 1000000) AS INTEGER)"


def hour_of(row: str) -> str:
    """SQL for the UTC hour in which span ``row`` starts."""
    return f"CAST({row}.start_utc / 3600 AS INTEGER)"


def day_of(row: str) -> str:
    """SQL for the UTC day in which span ``row`` starts (its hour // 24, so both always agree)."""
    return f"({hour_of(row)} / 24)"


LEVELS = (("span_rollups", "hour", hour_of), ("span_rollups_daily", "day", day_of))
"""The rollup tables: per UTC hour, and per UTC day (the same sums, 24 hours to a row)."""


def _add(row: str) -> str:
    watching = f"CASE WHEN {row}.watching THEN {micros(row)} ELSE 0 END"
    return " ".join(
        f"INSERT INTO {table} "  # noqa: S608 - no user text
        f"({key}, category, device, micros, watching_micros, spans, watching_spans) "
        f"VALUES ({bucket(row)}, {row}.category, {row}.device, {micros(row)}, {watching}, 1, "
        f"{row}.watching != 0) ON CONFLICT ({key}, category, device) DO UPDATE SET "
        "micros = micros + excluded.micros, watching_micros = watching_micros + excluded.watching_micros, "
        "spans = spans + 1, watching_spans = watching_spans + excluded.watching_spans;"
        for table, key, bucket in LEVELS)


def _take(row: str) -> str:
    watching = f"CASE WHEN {row}.watching THEN {micros(row)} ELSE 0 END"
    statements = []
    for table, key, bucket in LEVELS:
        where = f"{key} = {bucket(row)} AND category = {row}.category AND device = {row}.device"
        statements.append(
            f"UPDATE {table} SET micros = micros - {micros(row)}, "  # noqa: S608 - no user text
            f"watching_micros = watching_micros - {watching}, spans = spans - 1, "
            f"watching_spans = watching_spans - ({row}.watching != 0) WHERE {where}; "
            f"DELETE FROM {table} WHERE {where} AND spans <= 0;")
    return " ".join(statements)


def _drop_union(*rows: str) -> str:
    """Drop the kept union hours and days whose shares spans ``rows`` can change (from start to end).

    One statement a table (from the first start to the last end of ``rows``): SQLite runs
    a trigger with a pair of deletes on each table several times slower than with one.
    """
    first = f"MIN({', '.join(hour_of(row) for row in rows)}, {hour_of(rows[0])})"
    last = f"MAX({', '.join(f'CAST({row}.end_utc / 3600 AS INTEGER)' for row in rows)}, 0)"
    return (f"DELETE FROM union_hours WHERE variant IN (0, 1, 2) AND hour >= {first} "  # noqa: S608
            f"AND hour <= {last}; DELETE FROM union_days WHERE variant IN (0, 1, 2) "
            f"AND day >= {first} / 24 AND day <= {last} / 24;")


def _longest(row: str) -> str:
    """Keep the longest span's length."""
    length = f"({row}.end_utc - {row}.start_utc)"
    return f"UPDATE span_longest SET seconds = {length} WHERE seconds < {length};"  # noqa: S608


TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS rollup_span_added AFTER INSERT ON spans BEGIN {_add('NEW')} "
    f"{_longest('NEW')} {_drop_union('NEW')} END",
    "CREATE TRIGGER IF NOT EXISTS rollup_span_changed AFTER UPDATE OF start_utc, end_utc, category, "
    f"device, watching ON spans BEGIN {_take('OLD')} {_add('NEW')} {_longest('NEW')} "
    f"{_drop_union('OLD', 'NEW')} END",
    f"CREATE TRIGGER IF NOT EXISTS rollup_span_deleted AFTER DELETE ON spans BEGIN {_take('OLD')} "
    f"{_drop_union('OLD')} END",
)


def _build(table: str, key: str, bucket: str) -> str:
    return (f"INSERT INTO main.{table} "  # noqa: S608 - no user text
            f"({key}, category, device, micros, watching_micros, spans, watching_spans) "
            f"SELECT {bucket}, s.category, s.device, SUM({micros('s')}), "
            f"SUM(CASE WHEN s.watching THEN {micros('s')} ELSE 0 END), COUNT(*), SUM(s.watching != 0) "
            "FROM main.spans AS s GROUP BY 1, 2, 3")


REBUILD = (
    *(statement for table, key, bucket in LEVELS
      for statement in (f"DELETE FROM main.{table}", _build(table, key, bucket("s")))),  # noqa: S608
    "DELETE FROM main.union_hours",
    "DELETE FROM main.union_days",
    "INSERT OR REPLACE INTO main.span_longest (id, seconds) "
    "SELECT 1, COALESCE(MAX(end_utc - start_utc), 0) FROM main.spans",
)
"""The statements that build every rollup anew from the spans (the kept union shares are refilled on use)."""


_NEW_ROLLUPS = ("hour INTEGER, category TEXT, device TEXT, micros INTEGER, watching_micros INTEGER, "
                "spans INTEGER, watching_spans INTEGER, seconds REAL, last_hour INTEGER, longest REAL")
"""What a bulk insert has added, per rollup row; and per row its seconds, last end's hour and longest span."""
_SUMS = "SUM(micros), SUM(watching_micros), SUM(spans), SUM(watching_spans)"
_CATCH_UP_ROWS = 50_000


class BulkRollup:
    """The rollup of the spans a bulk insert adds (after row ``last_id``), set-based, gathered as they come.

    Without ``rolling`` (no triggers: the rollups are not kept in this database) there is
    nothing to roll up; ``added`` still counts what the insert added.
    """

    def __init__(self, connection: sqlite3.Connection, last_id: int, *, rolling: bool = True) -> None:
        self._connection = connection
        self._rolling = rolling
        self._last_id = self._gathered_to = last_id
        if rolling:
            connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS new_rollups ({_NEW_ROLLUPS})")
            connection.execute("DELETE FROM temp.new_rollups")

    def gather(self, offered: tuple[int, list[RollupRow]] | None = None) -> None:
        """Roll up the spans added since the last call (a bulk insert may call it between its batches).

        ``offered``: how many rows were offered since, and their rollup (``rollup_rows``), which
        is taken as it is when every one of them was added (row ids are given one after another).
        """
        connection = self._connection
        if not self._rolling:
            return
        newest = int(connection.execute("SELECT COALESCE(MAX(id), 0) FROM main.spans").fetchone()[0])
        if offered is not None and newest - self._gathered_to == offered[0]:
            connection.executemany("INSERT INTO temp.new_rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   offered[1])
            self._gathered_to = newest
            return
        for low in range(self._gathered_to, newest, _CATCH_UP_ROWS):  # a few rows at a time: a small sorter
            connection.execute(
                f"INSERT INTO temp.new_rollups SELECT {hour_of('s')}, s.category, s.device, "  # noqa: S608
                f"SUM({micros('s')}), "
                f"SUM(CASE WHEN s.watching THEN {micros('s')} ELSE 0 END), COUNT(*), SUM(s.watching != 0), "
                "SUM(s.end_utc - s.start_utc), MAX(CAST(s.end_utc / 3600 AS INTEGER)), "
                "MAX(s.end_utc - s.start_utc) "
                "FROM main.spans AS s WHERE s.id > ? AND s.id <= ? GROUP BY 1, 2, 3",
                (low, min(newest, low + _CATCH_UP_ROWS)))
        self._gathered_to = max(self._gathered_to, newest)

    def added(self) -> tuple[int, float]:
        """The spans added so far and the seconds they hold (not total_changes: triggers write too).

        Read from what was gathered when rolling up (so the new rows are read once), else from them.
        """
        if not self._rolling:
            count, seconds = self._connection.execute(
                "SELECT COUNT(*), COALESCE(SUM(end_utc - start_utc), 0) FROM main.spans WHERE id > ?",
                (self._last_id,)).fetchone()
            return int(count), float(seconds)
        self.gather()
        count, seconds = self._connection.execute(
            "SELECT COALESCE(SUM(spans), 0), COALESCE(SUM(seconds), 0) FROM temp.new_rollups").fetchone()
        return int(count), float(seconds)

    def finish(self) -> None:
        """Add what was gathered (and what was not yet) to the rollups."""
        connection = self._connection
        if not self._rolling:
            return
        self.gather()
        for table, key, _ in LEVELS:
            bucket = "hour" if key == "hour" else "hour / 24"
            connection.execute(
                f"INSERT INTO main.{table} ({key}, category, device, micros, watching_micros, spans, "  # noqa: S608
                f"watching_spans) SELECT {bucket}, category, device, {_SUMS} FROM temp.new_rollups "
                f"GROUP BY 1, 2, 3 ON CONFLICT ({key}, category, device) DO UPDATE SET "
                "micros = micros + excluded.micros, "
                "watching_micros = watching_micros + excluded.watching_micros, "
                "spans = spans + excluded.spans, watching_spans = watching_spans + excluded.watching_spans")
        first, last, longest = connection.execute(
            "SELECT MIN(hour), MAX(last_hour), MAX(longest) FROM temp.new_rollups").fetchone()
        connection.execute("DROP TABLE temp.new_rollups")
        if first is None:
            return
        connection.execute("UPDATE main.span_longest SET seconds = ? WHERE seconds < ?", (longest, longest))
        connection.execute("DELETE FROM main.union_hours WHERE variant IN (0, 1, 2) "
                           "AND hour >= ? AND hour <= ?", (first, last))
        connection.execute("DELETE FROM main.union_days WHERE variant IN (0, 1, 2) "
                           "AND day >= ? AND day <= ?", (first // 24, last // 24))


@contextlib.contextmanager
def bulk_inserts(connection: sqlite3.Connection) -> Iterator[BulkRollup]:
    """Inside a transaction: the spans the block inserts are rolled up set-based, not row by row.

    Only for blocks that insert spans and do nothing else to them (the importers'
    ``INSERT OR IGNORE``): the new rows are those after the largest id before the block.
    The insert trigger is dropped for the block and made again in the same transaction
    (a failure rolls both back), so no row pays for it. The block may ``gather()`` what it
    has inserted so far between batches; the rest is rolled up at its end.
    """
    last_id = int(connection.execute("SELECT COALESCE(MAX(id), 0) FROM main.spans").fetchone()[0])
    if not triggers_present(connection):
        yield BulkRollup(connection, last_id, rolling=False)
        return
    connection.execute(f"DROP TRIGGER main.{TRIGGER_NAMES[0]}")
    rolling = BulkRollup(connection, last_id)
    try:
        yield rolling
    finally:
        connection.execute(TRIGGERS[0])
    rolling.finish()


def triggers_present(connection: sqlite3.Connection) -> bool:
    """True when the three triggers that keep the rollups exact are in the database."""
    row = connection.execute(
        "SELECT COUNT(*) FROM main.sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)",
        TRIGGER_NAMES).fetchone()
    return int(row[0]) == len(TRIGGER_NAMES)


def _has_tables(connection: sqlite3.Connection) -> bool:
    marks = ", ".join("?" * len(_TABLES))
    row = connection.execute(f"SELECT COUNT(*) FROM main.sqlite_master WHERE type = 'table' "  # noqa: S608
                             f"AND name IN ({marks})", _TABLES).fetchone()
    return int(row[0]) == len(_TABLES)


def rebuild(connection: sqlite3.Connection) -> None:
    """Build every rollup anew from the spans (inside the caller's transaction)."""
    for statement in REBUILD:
        connection.execute(statement)


def install(connection: sqlite3.Connection) -> None:
    """Make the triggers and rebuild the rollups in one transaction (no write in between is missed)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if not triggers_present(connection):
            for statement in TRIGGERS:
                connection.execute(statement)
            rebuild(connection)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def ensure_rollups(connection: sqlite3.Connection) -> None:
    """Make the triggers (and build the rollups) if the database lacks them; a read-only one is left alone.

    Without the triggers the rollups are not used (``usable``): totals scan the spans.
    """
    if not _has_tables(connection) or triggers_present(connection):
        return
    try:
        install(connection)
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
            log.warning("the rollups cannot be made in a read-only database; totals scan the spans")
            return
        raise


def usable(store: Store) -> bool:
    """True when the rollups are kept by triggers in this database, so they may be summed."""
    return _has_tables(store.connection) and triggers_present(store.connection)


def whole_hours(start_utc: float, end_utc: float) -> tuple[int, int]:
    """The first and the one-past-last UTC hour lying wholly in ``[start_utc, end_utc)`` (may be empty)."""
    first = int(start_utc // HOUR_S)
    if first * HOUR_S < start_utc:
        first += 1
    return first, max(first, int(end_utc // HOUR_S))


@dataclass(frozen=True)
class Pieces:
    """A range cut into whole UTC days, the whole hours at either side, and the seconds at the ends."""

    days: tuple[int, int]
    hours: tuple[tuple[int, int], ...]
    seconds: tuple[tuple[float, float], ...]


def pieces(start_utc: float, end_utc: float) -> Pieces:
    """``[start_utc, end_utc)`` as whole UTC days, whole hours and partial hours (empty ones left out)."""
    first, last = whole_hours(start_utc, end_utc)
    first_day, last_day = -(-first // 24), last // 24
    if first_day >= last_day:
        first_day = last_day = first // 24
        hours: tuple[tuple[int, int], ...] = ((first, last),)
    else:
        hours = ((first, first_day * 24), (last_day * 24, last))
    seconds = ((start_utc, min(end_utc, first * HOUR_S)), (max(start_utc, last * HOUR_S), end_utc))
    return Pieces((first_day, last_day), tuple(run for run in hours if run[0] < run[1]),
                  tuple(edge for edge in seconds if edge[0] < edge[1]))


def _rolled_up(store: Store, table: str, key: str, run: tuple[int, int], watching: int) -> dict[str, int]:
    """Microseconds per category in ``table`` over ``run`` (of its ``key``), for the categories with spans."""
    column = ("micros", "micros - watching_micros", "watching_micros")[watching]
    counted = ("spans", "spans - watching_spans", "watching_spans")[watching]
    rows = store.connection.execute(
        f"SELECT category, SUM({column}) FROM {table} WHERE {key} >= ? AND {key} < ? "  # noqa: S608
        f"GROUP BY category HAVING SUM({counted}) > 0", run).fetchall()
    return {str(category): int(value) for category, value in rows}


def category_seconds(store: Store, start_utc: float, end_utc: float, *, watching: int) -> dict[str, float]:
    """Seconds per category of spans starting in ``[start_utc, end_utc)``, from the rollups and the edges.

    ``watching``: 0 every span, 1 those not counted while watching, 2 only those. Sums the
    daily rollups over the whole UTC days, the hourly ones over the whole hours left, and
    the spans of the partial hours at either end (a narrowed connection sees views of the
    rollups: monitor.store.devices).
    """
    cut = pieces(start_utc, end_utc)
    runs = [("span_rollups_daily", "day", cut.days)] + [("span_rollups", "hour", run) for run in cut.hours]
    microseconds: dict[str, int] = {}
    for table, key, run in runs:
        for category, value in _rolled_up(store, table, key, run, watching).items():
            microseconds[category] = microseconds.get(category, 0) + value
    totals = {category: value / 1e6 for category, value in microseconds.items()}
    condition = ("", " AND watching = 0", " AND watching = 1")[watching]
    for low, high in cut.seconds:
        for category, seconds in store.connection.execute(
                "SELECT category, SUM(end_utc - start_utc) FROM spans "  # noqa: S608 - only a fixed condition
                f"WHERE start_utc >= ? AND start_utc < ?{condition} GROUP BY category", (low, high)):
            totals[str(category)] = totals.get(str(category), 0.0) + float(seconds)
    return totals
