"""The day_budgets table: each day's budgets kept, the last write of a day winning, old stores upgraded."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from monitor.core.errors import StoreWriteError
from monitor.store.database import Store
from monitor.store.day_budgets import day_budgets_between, record_day_budgets
from monitor.store.migrations import MIGRATIONS, SCHEMA_VERSION

MON, TUE, WED = date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 13)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def test_budgets_are_kept_per_day_in_the_order_set(store):
    record_day_budgets(store, MON, {"total": 7200.0, "social": 1800.0})
    record_day_budgets(store, TUE, {"social": 3600.0, "video": 900.0})
    kept = day_budgets_between(store, MON, WED)
    assert kept == {MON: {"total": 7200.0, "social": 1800.0}, TUE: {"social": 3600.0, "video": 900.0}}
    assert list(kept[MON]) == ["total", "social"]
    assert WED not in kept  # never recorded: the reports fall back to the settings
    assert day_budgets_between(store, TUE, TUE) == {TUE: {"social": 3600.0, "video": 900.0}}


def test_the_last_write_of_a_day_wins(store):
    record_day_budgets(store, MON, {"total": 7200.0, "social": 1800.0})
    record_day_budgets(store, MON, {"total": 10800.0})  # the settings changed in the evening
    assert day_budgets_between(store, MON, MON) == {MON: {"total": 10800.0}}
    rows = store.connection.execute("SELECT COUNT(*) FROM day_budgets WHERE day = ?",
                                    (MON.isoformat(),)).fetchone()[0]
    assert rows == 1


def test_a_day_without_budgets_is_still_known_as_recorded(store):
    record_day_budgets(store, MON, {})
    record_day_budgets(store, TUE, {"social": 600.0})
    assert day_budgets_between(store, MON, TUE) == {MON: {}, TUE: {"social": 600.0}}


def test_a_locked_store_raises_and_keeps_what_was_there(store, tmp_path):
    record_day_budgets(store, MON, {"social": 1800.0})
    store.set_busy_timeout(0.05)
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreWriteError, match="locked"):
            record_day_budgets(store, MON, {"social": 60.0})
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert day_budgets_between(store, MON, MON) == {MON: {"social": 1800.0}}


def test_a_store_from_before_the_table_is_upgraded_with_its_data(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    [ours] = [index for index, text in enumerate(MIGRATIONS) if "CREATE TABLE day_budgets" in text]
    old = sqlite3.connect(path, isolation_level=None)
    for text in MIGRATIONS[:ours]:
        old.executescript(text)
    old.execute(f"PRAGMA user_version = {ours}")
    old.execute("INSERT INTO spans (start_utc, end_utc, app, name, device) "
                "VALUES (1, 61, 'xterm', 'xterm', 'd')")
    old.close()
    with Store(path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.connection.execute("SELECT end_utc - start_utc FROM spans").fetchone()[0] == 60
        assert day_budgets_between(store, MON, WED) == {}
        record_day_budgets(store, MON, {"total": 3600.0})
        assert day_budgets_between(store, MON, WED) == {MON: {"total": 3600.0}}
