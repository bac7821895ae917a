"""The store's schema, as the list of migrations that build it, and how a file is brought up to date.

The schema version is kept in ``PRAGMA user_version``: migration N (from 1) takes a file
from version N - 1 to N. Each runs in one transaction, so a crash mid-upgrade leaves
the previous version intact. A new migration is appended; one already shipped never changes.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from monitor.core.errors import StoreError

log = logging.getLogger(__name__)

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
    # forgotten: what `unscroll forget` removed, so an import or a synced device leaves it out:
    # the UTC range, and the --app and --title (a regular expression) it was limited to (NULL: any)
    """
    CREATE TABLE forgotten (
        id            INTEGER PRIMARY KEY,
        start_utc     REAL NOT NULL,
        end_utc       REAL NOT NULL,
        app           TEXT,
        title_pattern TEXT,
        forgotten_utc REAL NOT NULL,
        CHECK (end_utc >= start_utc)
    );
    CREATE INDEX forgotten_when ON forgotten (forgotten_utc);
    """,
    # day_budgets: the budgets in force on each local day (seconds NULL: no budget on that key),
    # kept by the daemon so that a week gone by is judged against its own budgets
    """
    CREATE TABLE day_budgets (
        day      TEXT NOT NULL,
        category TEXT NOT NULL,
        seconds  REAL,
        PRIMARY KEY (day, category)
    );
    """,
    # how each notice reached the person ('desktop', 'plain'; 'log': no notification service
    # took it, a missed notice; NULL before this column), and when a missed one was shown in
    # the "While notifications were off" summary
    """
    ALTER TABLE prompts ADD COLUMN delivery TEXT;
    ALTER TABLE prompts ADD COLUMN caught_up_at REAL;
    """,
    # people.aliases: other names of a person (people merged into them), so imports keep merging
    """
    ALTER TABLE people ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
    """,
    # people.new (someone the user wants to get to know: 1), people.birthday and
    # people.anniversary ("MM-DD", or "YYYY-MM-DD" when the year is known; NULL: none)
    """
    ALTER TABLE people ADD COLUMN new INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE people ADD COLUMN birthday TEXT;
    ALTER TABLE people ADD COLUMN anniversary TEXT;
    """,
    # spans.watching: 1 when the span was counted while media played in the focused window
    # with no input (watching, not away); its seconds are the day's "watching_seconds"
    """
    ALTER TABLE spans ADD COLUMN watching INTEGER NOT NULL DEFAULT 0;
    """,
    # prompts.held_back: 1 for a decision the hold-back experiment kept from the screen
    # (recorded as if shown, nothing shown); unscroll effect compares the two arms
    """
    ALTER TABLE prompts ADD COLUMN held_back INTEGER NOT NULL DEFAULT 0;
    """,
    # sync (monitor.sync, issue 17): the devices this computer has read (kind 'self': this one,
    # 'peer': another computer, 'phone': an ActivityWatch export from the inbox; their clocks,
    # how far their segments are applied, a problem to show, `devices forget`), the rows this
    # computer still has to write for the others (sync_dirty: filled by triggers that
    # monitor.store.sync_capture creates while sync is on), people's ids across devices and
    # each field's latest change, files set aside or imported, where prompts and interactions
    # came from (device NULL: this computer), and past days' totals counted once across devices
    """
    CREATE TABLE sync_devices (
        id               TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        kind             TEXT NOT NULL,
        applied_through  INTEGER NOT NULL DEFAULT 0,
        last_segment_utc REAL,
        read_utc         REAL,
        first_utc        REAL,
        last_utc         REAL,
        clock_low        REAL,
        clock_low_at     REAL,
        clock_high       REAL,
        offset_s         REAL NOT NULL DEFAULT 0,
        problem          TEXT,
        forgotten_utc    REAL
    );
    CREATE TABLE sync_dirty (
        kind        TEXT NOT NULL,
        row_id      INTEGER NOT NULL,
        start_utc   REAL NOT NULL DEFAULT 0,
        version     INTEGER NOT NULL DEFAULT 1,
        touched_utc REAL NOT NULL,
        PRIMARY KEY (kind, row_id, start_utc)
    ) WITHOUT ROWID;
    CREATE TABLE sync_people (
        gid       TEXT PRIMARY KEY,
        person_id INTEGER NOT NULL
    );
    CREATE INDEX sync_people_person ON sync_people (person_id);
    CREATE TABLE sync_people_gone (
        gid      TEXT PRIMARY KEY,
        gone_utc REAL NOT NULL,
        sent     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sync_fields (
        person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        field     TEXT NOT NULL,
        value     TEXT,
        stamp     REAL NOT NULL,
        device    TEXT NOT NULL,
        PRIMARY KEY (person_id, field)
    ) WITHOUT ROWID;
    CREATE TABLE sync_files (
        device  TEXT NOT NULL,
        file    TEXT NOT NULL,
        size    INTEGER NOT NULL,
        mtime   REAL NOT NULL,
        outcome TEXT NOT NULL,
        at_utc  REAL NOT NULL,
        PRIMARY KEY (device, file)
    ) WITHOUT ROWID;
    ALTER TABLE prompts ADD COLUMN device TEXT;
    ALTER TABLE prompts ADD COLUMN origin TEXT;
    CREATE UNIQUE INDEX prompts_origin ON prompts (origin);
    ALTER TABLE interactions ADD COLUMN device TEXT;
    CREATE INDEX spans_device ON spans (device, start_utc);
    CREATE TABLE combined_days (
        start_utc REAL NOT NULL,
        end_utc   REAL NOT NULL,
        variant   INTEGER NOT NULL,
        category  TEXT NOT NULL,
        seconds   REAL NOT NULL,
        PRIMARY KEY (start_utc, end_utc, variant, category)
    ) WITHOUT ROWID;
    """,
    # rollups (issue 22, monitor.store.rollups): per UTC hour in which spans start (start // 3600),
    # and per UTC day (that hour // 24), category and device, their seconds as whole microseconds,
    # the part counted while watching, and how many spans (and watching spans), built here from
    # the spans and kept by triggers made when a store is opened; union_hours and union_days: per
    # UTC hour and day the kept shares of the union across devices (monitor.store.union_hours,
    # filled on use); span_longest: an upper bound of any span's length
    """
    CREATE TABLE span_rollups (
        hour            INTEGER NOT NULL,
        category        TEXT NOT NULL,
        device          TEXT NOT NULL,
        micros          INTEGER NOT NULL,
        watching_micros INTEGER NOT NULL,
        spans           INTEGER NOT NULL,
        watching_spans  INTEGER NOT NULL,
        PRIMARY KEY (hour, category, device)
    ) WITHOUT ROWID;
    CREATE TABLE span_rollups_daily (
        day             INTEGER NOT NULL,
        category        TEXT NOT NULL,
        device          TEXT NOT NULL,
        micros          INTEGER NOT NULL,
        watching_micros INTEGER NOT NULL,
        spans           INTEGER NOT NULL,
        watching_spans  INTEGER NOT NULL,
        PRIMARY KEY (day, category, device)
    ) WITHOUT ROWID;
    CREATE TABLE union_hours (
        variant  INTEGER NOT NULL,
        hour     INTEGER NOT NULL,
        category TEXT NOT NULL,
        seconds  REAL NOT NULL,
        PRIMARY KEY (variant, hour, category)
    ) WITHOUT ROWID;
    CREATE TABLE union_days (
        variant  INTEGER NOT NULL,
        day      INTEGER NOT NULL,
        category TEXT NOT NULL,
        seconds  REAL NOT NULL,
        PRIMARY KEY (variant, day, category)
    ) WITHOUT ROWID;
    CREATE TABLE span_longest (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        seconds REAL NOT NULL
    );
    INSERT INTO span_longest (id, seconds) SELECT 1, COALESCE(MAX(end_utc - start_utc), 0) FROM spans;
    INSERT INTO span_rollups (hour, category, device, micros, watching_micros, spans, watching_spans)
    SELECT CAST(start_utc / 3600 AS INTEGER), category, device,
           SUM(CAST(ROUND((end_utc - start_utc) * 1000000) AS INTEGER)),
           SUM(CASE WHEN watching THEN CAST(ROUND((end_utc - start_utc) * 1000000) AS INTEGER) ELSE 0 END),
           COUNT(*), SUM(watching != 0)
    FROM spans GROUP BY 1, 2, 3;
    INSERT INTO span_rollups_daily (day, category, device, micros, watching_micros, spans, watching_spans)
    SELECT hour / 24, category, device, SUM(micros), SUM(watching_micros), SUM(spans), SUM(watching_spans)
    FROM span_rollups GROUP BY 1, 2, 3;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the database at ``path`` up to SCHEMA_VERSION; StoreError if it is newer than that."""
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
