"""The store when a write fails at COMMIT (disk full, I/O error): the transaction never stays open."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from monitor.core.errors import StoreWriteError
from monitor.store.database import Store
from monitor.tracking.recorder import Recorder
from monitor.tracking.spans import Observation

A = Observation("editor", "notes", "uncategorized", "notes")


def failing_commit(store: Store) -> None:
    """Make the next COMMIT fail: a deferred foreign key is only checked then."""
    store.connection.execute("CREATE TEMP TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY)")
    store.connection.execute("CREATE TEMP TABLE IF NOT EXISTS child (p INTEGER REFERENCES parent (id) "
                             "DEFERRABLE INITIALLY DEFERRED)")


def test_a_failed_commit_is_rolled_back_and_the_next_transaction_works(tmp_path):
    with Store(tmp_path / "u.sqlite3") as store:
        failing_commit(store)
        with pytest.raises(StoreWriteError, match="FOREIGN KEY") as caught, store.transaction() as connection:
            connection.execute("INSERT INTO child VALUES (42)")
        assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
        assert not store.connection.in_transaction
        with store.transaction() as connection:
            connection.execute("INSERT INTO state (key, value) VALUES ('after', 'ok')")
        assert store.get_state("after") == "ok"
        assert store.connection.execute("SELECT COUNT(*) FROM temp.child").fetchone()[0] == 0


def test_the_recorder_keeps_the_span_through_a_failed_commit_and_writes_it_later(tmp_path):
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=lambda _t: 1e12)
        recorder.record(100.0, A, idle_seconds=0.0, idle_after=60.0, pulse=1.5)
        failing_commit(store)
        store.connection.execute("CREATE TEMP TRIGGER sabotage AFTER UPDATE ON main.spans "
                                 "BEGIN INSERT INTO child VALUES (7); END")
        for at in (101.0, 102.0, 103.0):
            recorder.record(at, A, idle_seconds=0.0, idle_after=60.0, pulse=1.5)
            assert recorder.failing
        assert store.connection.execute("SELECT end_utc FROM spans").fetchone()[0] == 100.0
        store.connection.execute("DROP TRIGGER sabotage")
        recorder.record(104.0, A, idle_seconds=0.0, idle_after=60.0, pulse=1.5)
        assert not recorder.failing
        assert [tuple(row) for row in store.connection.execute("SELECT start_utc, end_utc FROM spans")] == [
            (100.0, 104.0)]


OPENER = """
import sys
from pathlib import Path
from monitor.core.errors import StoreWriteError
from monitor.store.database import Store
base, count = Path(sys.argv[1]), int(sys.argv[2])
for number in range(count):
    Store(base / str(number) / "unscroll.sqlite3").close()
"""


def test_two_programs_creating_the_database_at_once_both_succeed(tmp_path):
    """The daemon's first start and a command at the same moment: switching a new file to WAL
    can fail at once with "locked" (no busy wait there); the store tries again."""
    count = 200
    for number in range(count):
        (tmp_path / str(number)).mkdir()
    racers = [subprocess.Popen([sys.executable, "-c", OPENER, str(tmp_path), str(count)],
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(racer.wait(timeout=120), racer.stderr.read()) for racer in racers]
    assert results == [(0, ""), (0, "")]
