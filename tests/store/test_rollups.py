"""The hourly rollups and the kept union hours: built by the migration, kept by triggers, checked."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.store import bulk, rollups
from monitor.store.database import Store
from monitor.store.device_totals import ALL, union_totals
from monitor.store.devices import PEER, Device, save_device
from monitor.store.migrations import MIGRATIONS
from monitor.store.rollup_check import check_rollups, repair_rollups
from monitor.store.spans import category_totals

T0 = 1_774_310_400.0  # 2026-03-24 00:00 UTC
HOUR, DAY = 3600.0, 86400.0
PEER_ID = "p" * 26


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "unscroll.sqlite3") as opened:
        yield opened


def add(store: Store, start: float, end: float, category: str = "social", device: str = "laptop") -> int:
    with store.transaction():
        return store.insert_span(T0 + start, T0 + end, "app", None, category, category.title(), device)


def scan(store: Store, start: float, end: float) -> dict[str, float]:
    rows = store.connection.execute("SELECT category, SUM(end_utc - start_utc) FROM spans "
                                    "WHERE start_utc >= ? AND start_utc < ? GROUP BY category", (start, end))
    return {str(category): float(seconds) for category, seconds in rows}


def rollup_rows(store: Store) -> list[tuple[int, str, str, int, int]]:
    return [tuple(row) for row in store.connection.execute(
        "SELECT hour, category, device, micros, spans FROM span_rollups ORDER BY 1, 2, 3")]


def test_each_write_keeps_the_hour_of_its_span(store):
    span_id = add(store, 600, 1200)
    add(store, 1800, 2400, "work")
    hour = int(T0 // HOUR)
    assert rollup_rows(store) == [(hour, "social", "laptop", 600_000_000, 1),
                                  (hour, "work", "laptop", 600_000_000, 1)]
    with store.transaction():
        store.extend_span(span_id, T0 + 1500.25)
    assert rollup_rows(store)[0] == (hour, "social", "laptop", 900_250_000, 1)
    with store.transaction():
        store.delete_span(span_id)
    assert rollup_rows(store) == [(hour, "work", "laptop", 600_000_000, 1)]  # an emptied row goes


def test_a_long_range_not_on_whole_hours_equals_the_scan(store):
    # a zone half an hour off UTC (India): its days start at :30, so a range has partial hours
    for day in range(3):
        add(store, day * DAY + 1700, day * DAY + 1900, "social")  # in the partial first hour
        add(store, day * DAY + 5 * HOUR, day * DAY + 7 * HOUR, "work")
        add(store, day * DAY + 23 * HOUR + 1000, day * DAY + 23 * HOUR + 2000, "video")
    start, end = T0 + 1800, T0 + 2 * DAY + 1800
    assert end - start > rollups.LONG_RANGE_S
    assert category_totals(store, start, end) == scan(store, start, end)
    # social: the spans of days 1 and 2 (day 0's starts before the range)
    assert category_totals(store, start, end) == {"work": 14400.0, "video": 2000.0, "social": 400.0}


def test_shrinking_a_span_gives_back_the_time_it_hid(store):
    with store.transaction() as connection:
        save_device(connection, Device(PEER_ID, "desktop", PEER))
    long_one = add(store, 0, 5 * HOUR)
    add(store, 3 * HOUR, 4 * HOUR, device=PEER_ID)  # hidden under the laptop's span
    start, end = T0 - HOUR, T0 + 2 * DAY
    assert union_totals(store, start, end, variant=ALL)[1] == 5 * HOUR
    with store.transaction():
        store.extend_span(long_one, T0 + HOUR)  # its end moved back: the peer's hour shows again
    assert union_totals(store, start, end, variant=ALL)[1] == 2 * HOUR
    assert check_rollups(store) == []


def test_a_range_starting_inside_a_span_counts_what_it_sees(store):
    with store.transaction() as connection:
        save_device(connection, Device(PEER_ID, "desktop", PEER))
    add(store, 0, 10 * HOUR)  # starts before the range and reaches into it
    add(store, 2 * HOUR, 3 * HOUR, device=PEER_ID)
    add(store, 12 * HOUR, 13 * HOUR, device=PEER_ID)
    start = T0 + HOUR + 0.5
    per_category, total = union_totals(store, start, start + 2 * DAY, variant=ALL)
    assert (per_category, total) == ({"social": 2 * HOUR}, 2 * HOUR)  # only spans starting in it count


def test_a_read_only_connection_sums_without_keeping(tmp_path):
    with Store(tmp_path / "unscroll.sqlite3") as store:
        with store.transaction() as connection:
            save_device(connection, Device(PEER_ID, "desktop", PEER))
        add(store, 0, HOUR)
        add(store, 1800, 2 * HOUR, device=PEER_ID)
        store.connection.execute("PRAGMA query_only = ON")
        assert union_totals(store, T0, T0 + 2 * DAY, variant=ALL) == ({"social": 2 * HOUR}, 2 * HOUR)
        assert store.connection.execute("SELECT COUNT(*) FROM union_hours").fetchone()[0] == 0


def test_check_names_a_corrupted_row_and_repair_rebuilds_it(store):
    add(store, 0, 600)
    add(store, 2 * DAY, 2 * DAY + 60, "work")
    store.connection.execute("UPDATE span_rollups SET micros = micros + 1000000 WHERE category = 'social'")
    store.connection.execute("INSERT INTO span_rollups VALUES (5, 'ghost', 'laptop', 7000000, 0, 1, 0)")
    problems = check_rollups(store)
    assert problems == [
        "rollup of 1970-01-01 05:00 UTC, category 'ghost', device 'laptop': 7.000000 s in 1 spans kept, "
        "none in 0 spans stored",
        "rollup of 2026-03-24 00:00 UTC, category 'social', device 'laptop': 601.000000 s in 1 spans kept, "
        "600.000000 s in 1 spans stored",
    ]
    assert repair_rollups(store) == 2
    assert check_rollups(store) == []
    assert category_totals(store, T0, T0 + 3 * DAY) == {"social": 600.0, "work": 60.0}


def test_check_names_a_stale_union_hour(store):
    with store.transaction() as connection:
        save_device(connection, Device(PEER_ID, "desktop", PEER))
    add(store, 0, 600)
    union_totals(store, T0, T0 + 2 * DAY, variant=ALL)
    store.connection.execute("UPDATE union_hours SET seconds = 9 WHERE category = 'social'")
    assert check_rollups(store) == ["union of 2026-03-24 00:00 UTC (all spans), category 'social': "
                                    "9.000000 s kept, 600.000000 s from the spans"]


def test_missing_triggers_are_named_and_the_spans_scanned(store):
    add(store, 0, 600)
    store.connection.execute("DROP TRIGGER rollup_span_added")
    add(store, HOUR, 2 * HOUR)  # not rolled up: the rollups are no longer used
    assert category_totals(store, T0, T0 + 2 * DAY) == {"social": 4200.0}
    assert check_rollups(store)[0].startswith("the triggers that keep the rollups")
    repair_rollups(store)
    assert check_rollups(store) == []


def test_the_migration_builds_the_rollups_of_an_older_store(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    mine = next(index for index, text in enumerate(MIGRATIONS) if "CREATE TABLE span_rollups" in text)
    older = sqlite3.connect(path)
    for text in MIGRATIONS[:mine]:
        older.executescript(text)
    older.execute(f"PRAGMA user_version = {mine}")
    older.executemany("INSERT INTO spans (start_utc, end_utc, app, category, name, device) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      [(T0 + i * 1000, T0 + i * 1000 + 900, "app", "social", "Social", "old")
                       for i in range(200)])
    older.commit()
    older.close()
    with Store(path) as store:
        assert rollups.usable(store)
        assert check_rollups(store) == []
        assert category_totals(store, T0, T0 + 3 * DAY) == {"social": 200 * 900.0}


def test_an_import_counts_the_spans_it_added_not_the_triggers_writes(store):
    rows: list[bulk.SpanInsert] = [(T0 + i * 10, T0 + i * 10 + 5, "a", None, "c", "n", "d", "aw", f"o{i}", 0)
                                   for i in range(10)]
    assert bulk.insert_spans(store, rows) == (10, 50.0)
    assert bulk.insert_spans(store, rows) == (0, 0.0)  # the same origins again: nothing added


def test_an_import_into_a_store_without_the_triggers_counts_what_it_added(store):
    for name in rollups.TRIGGER_NAMES:
        store.connection.execute(f"DROP TRIGGER {name}")
    rows: list[bulk.SpanInsert] = [(T0 + i * 10, T0 + i * 10 + 5, "a", None, "c", "n", "d", "aw", f"o{i}", 0)
                                   for i in range(10)]
    assert bulk.insert_span_batches(store, [(rows[:6], None), (rows, None)]) == (16, 10, 50.0)
    assert not rollups.triggers_present(store.connection)  # nothing was rolled up, nor made


def test_a_new_store_has_the_rollups_and_no_rows(tmp_path: Path):
    with Store(tmp_path / "unscroll.sqlite3") as store:
        assert rollups.usable(store)
        assert rollup_rows(store) == []


KILLED_IMPORT = """
import sys, time
from pathlib import Path
from monitor.store import bulk
from monitor.store.database import Store

def stored(done, total):
    print(done, flush=True)
    time.sleep(60)  # killed here: inside the transaction, the insert trigger dropped

rows = [(1774310400.0 + i * 10, 1774310400.0 + i * 10 + 5, "a", None, "c", "n", "d", "aw", f"o{i}", 0)
        for i in range(5000)]
bulk.insert_spans(Store(Path(sys.argv[1])), rows, chunk=1000, stored=stored)
"""


def test_an_import_killed_midway_leaves_the_triggers_and_the_rollups_whole(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    add_to = Store(path)
    with add_to.transaction():
        add_to.insert_span(T0 - DAY, T0 - DAY + 60, "app", None, "social", "Social", "laptop")
    add_to.close()
    importer = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(path)], stdout=subprocess.PIPE,
                                text=True)
    assert importer.stdout is not None
    assert importer.stdout.readline().strip() == "1000"  # a first chunk inserted, not committed
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=10)
    with Store(path) as store:
        assert rollups.triggers_present(store.connection)
        assert store.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 1
        assert check_rollups(store) == []
        add(store, 0, 600)  # the insert trigger still rolls up
        assert category_totals(store, T0 - 2 * DAY, T0 + DAY) == {"social": 660.0}
        assert check_rollups(store) == []
