"""The rollup a planning process works out from its rows is the one the store's SQL reads back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from monitor.store import bulk
from monitor.store.database import Store
from monitor.store.rollup_check import check_rollups
from monitor.store.rollup_rows import rollup_rows

HOUR = 3600.0
T0 = 1_774_310_400.0  # 2026-03-24 00:00 UTC: a whole hour


def edge_rows(seed: int) -> list[bulk.SpanInsert]:
    """Spans on the edges the SQL rounds and cuts at: half microseconds, whole hours, ends on an hour."""
    rng = random.Random(seed)
    rows: list[bulk.SpanInsert] = []
    for number in range(3000):
        start = T0 + rng.choice((0.0, HOUR, 2 * HOUR - 1e-6, rng.uniform(0, 48 * HOUR)))
        length = rng.choice((0.0, 0.5e-6, 1.5e-6, 2.5e-6, 1e-6 * rng.randrange(10_000) + 0.5e-6,
                             HOUR - (start - T0) % HOUR, rng.uniform(0, 30 * HOUR)))
        if number % 4 == 0:  # exactly k + 0.5 microseconds (an odd number of 1/128 s): SQLite rounds up
            start = T0 + rng.randrange(48 * 3600 * 128) / 128
            length = rng.randrange(1, 40_000, 2) / 128
        category = rng.choice(("social", "video", "work"))
        rows.append((start, start + length, "app", None, category, category, rng.choice(("laptop", "phone")),
                     "activitywatch", f"aw:edge:{number}", rng.choice((0, 1))))
    return rows


def rollup_tables(store: Store) -> list[list[tuple]]:
    return [sorted(tuple(row) for row in store.connection.execute(f"SELECT * FROM {table}"))
            for table in ("span_rollups", "span_rollups_daily", "span_longest")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_of_the_rows_is_what_the_store_reads_back(tmp_path: Path, seed: int) -> None:
    rows = edge_rows(seed)
    weeks = [rows[at:at + 700] for at in range(0, len(rows), 700)]
    with Store(tmp_path / "read-back.sqlite3") as read_back, Store(tmp_path / "offered.sqlite3") as offered:
        expected = bulk.insert_span_batches(read_back, [(week, None) for week in weeks])
        got = bulk.insert_span_batches(offered, [(week, rollup_rows(week)) for week in weeks])
        assert rollup_tables(offered) == rollup_tables(read_back)
        assert got[:2] == expected[:2] == (3000, 3000)
        assert got[2] == pytest.approx(expected[2], rel=1e-12)
        assert check_rollups(offered) == []


def test_a_rollup_offered_for_rows_partly_stored_already_is_not_used(tmp_path: Path) -> None:
    rows = edge_rows(4)
    with Store(tmp_path / "store.sqlite3") as store:
        bulk.insert_span_batches(store, [(rows[:1000], rollup_rows(rows[:1000]))])
        wrong = [(*row[:3], 1e9, *row[4:]) for row in rollup_rows(rows)]  # would break the sums if used
        offered, added, _ = bulk.insert_span_batches(store, [(rows, wrong)])
        assert (offered, added) == (3000, 2000)
        assert check_rollups(store) == []
