"""Totals across devices: each moment once per category and in all; past days kept, dropped on change."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from monitor.store.database import Store
from monitor.store.device_totals import screen_seconds, union_totals
from monitor.store.devices import PEER, Device, narrow, save_device
from monitor.store.spans import category_totals, category_totals_per_period
from reports.daily import daily_totals

PEER_ID = "p" * 26
ZONE = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 24)
T0 = 1_774_340_000.0  # 2026-03-24 09:13 in Berlin


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "unscroll.sqlite3") as opened:
        yield opened


def span(store: Store, start: float, end: float, category: str, device: str = "laptop", *,
         watching: bool = False) -> None:
    with store.transaction():
        store.insert_span(T0 + start, T0 + end, "app", None, category, category.title(), device,
                          watching=watching)


def with_peer(store: Store) -> None:
    with store.transaction() as connection:
        save_device(connection, Device(PEER_ID, "desktop", PEER))


def test_one_device_sums_as_before(store):
    span(store, 0, 600, "social")
    span(store, 600, 900, "work")
    assert category_totals(store, T0 - 10, T0 + 3600) == {"social": 600.0, "work": 300.0}
    totals = category_totals(store, T0 - 10, T0 + 3600)
    assert screen_seconds(store, T0 - 10, T0 + 3600, totals) == 900.0


def test_a_minute_on_two_computers_counts_once_per_category_and_in_all(store):
    with_peer(store)
    span(store, 0, 600, "social")
    span(store, 300, 900, "social", PEER_ID)  # five minutes of it at once on both
    span(store, 1000, 1600, "social")
    span(store, 1300, 1900, "work", PEER_ID)  # five minutes of social here while working there
    totals = category_totals(store, T0 - 10, T0 + 3600)
    assert totals == {"social": 1500.0, "work": 600.0}
    assert screen_seconds(store, T0 - 10, T0 + 3600, totals) == 1800.0  # not the 2100 s summed


def test_watching_can_be_left_out_across_devices(store):
    with_peer(store)
    span(store, 0, 600, "video", watching=True)
    span(store, 300, 900, "video", PEER_ID)
    assert category_totals(store, T0 - 10, T0 + 3600, count_watching=False) == {"video": 600.0}
    assert category_totals(store, T0 - 10, T0 + 3600) == {"video": 900.0}
    [watched] = category_totals_per_period(store, [(T0 - 10, T0 + 3600)], only_watching=True)
    assert watched == {"video": 600.0}


def test_a_past_day_is_kept_and_dropped_when_a_span_of_it_changes(store):
    with_peer(store)
    span(store, 0, 600, "social")
    span(store, 300, 900, "social", PEER_ID)
    span(store, 86400 * 3, 86400 * 3 + 60, "work")  # a later span: the 24th is past
    [day] = daily_totals(store, [DAY], starts_at=time(4, 0), zone=ZONE)
    assert (day.categories, day.total_seconds) == ({"social": 900.0}, 900.0)
    kept = store.connection.execute("SELECT category, seconds FROM combined_days WHERE variant = 0 "
                                    "ORDER BY category").fetchall()
    assert [tuple(row) for row in kept] == [("", 900.0), ("social", 900.0)]
    span(store, 1200, 1500, "social", PEER_ID)  # the desktop's later segment adds to that day
    [day] = daily_totals(store, [DAY], starts_at=time(4, 0), zone=ZONE)
    assert (day.categories, day.total_seconds) == ({"social": 1200.0}, 1200.0)
    with store.transaction() as connection:
        connection.execute("UPDATE spans SET end_utc = end_utc + 500 WHERE device = 'laptop' "
                           "AND start_utc = ?", (T0,))
    assert union_totals(store, *_berlin_day(), variant=0)[1] == 1400.0  # [0, 1100] and [1200, 1500]


def _berlin_day() -> tuple[float, float]:
    from monitor.core.days import day_bounds

    return day_bounds(DAY, time(4, 0), ZONE)


def test_narrowing_shows_one_device_and_sums_it(store):
    with_peer(store)
    span(store, 0, 600, "social")
    span(store, 300, 900, "work", PEER_ID)
    narrow(store, [PEER_ID])
    assert category_totals(store, T0 - 10, T0 + 3600) == {"work": 600.0}
    narrow(store, None)
    assert category_totals(store, T0 - 10, T0 + 3600) == {"social": 600.0}
