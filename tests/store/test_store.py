"""The SQLite store: migrations, privacy of its files, state."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest

from monitor.core.errors import StoreError
from monitor.store.database import Store
from monitor.store.migrations import SCHEMA_VERSION
from tests.helpers import assert_private


def spans_between(store, start_utc, end_utc):
    """Every stored span that starts in ``[start_utc, end_utc)``, oldest first."""
    rows = store.connection.execute(
        "SELECT id, start_utc, end_utc, app, title, category, name, device FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? ORDER BY start_utc", (start_utc, end_utc)).fetchall()
    return [SimpleNamespace(**dict(row)) for row in rows]


def test_new_store_is_private_and_migrated(tmp_path):
    path = tmp_path / "data" / "unscroll.sqlite3"
    with Store(path) as store:
        store.insert_span(1.0, 2.0, "xterm", "t", "uncategorized", "t", "dev")
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.integrity_ok()
    assert_private(path.parent)
    assert_private(path)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            assert_private(sidecar)


def test_reopening_keeps_data_and_version(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    with Store(path) as store:
        span_id = store.insert_span(1.0, 2.0, "xterm", None, "uncategorized", "xterm", "dev")
        store.extend_span(span_id, 5.0)
    with Store(path) as store:
        [span] = spans_between(store, 0, 10)
        assert (span.start_utc, span.end_utc, span.title) == (1.0, 5.0, None)


def test_a_newer_schema_is_refused_not_damaged(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    with Store(path):
        pass
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.close()
    with pytest.raises(StoreError, match="newer unscroll"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=str(path)):
        Store(path)


def test_state_round_trip(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.get_state("k") is None
        store.set_state("k", "1")
        store.set_state("k", "2")
        assert store.get_state("k") == "2"
        store.delete_state("k")
        assert store.get_state("k") is None
