"""Property tests: whatever writes the spans, the rollups equal the sums (and unions) of the spans.

Random histories on three devices (this one and two peers: totals then count each moment
once) are written through the store's real write paths: the recorder's inserts, moves and
cuts, ``forget``'s deletes, ``recheck``'s recategorising, the bulk import (also with the
rollup a planning process works out), an ``unscroll`` import, sync's applies and drops.
Spans overlap, cross hours and day starts, and some are longer than a day. Between the
writes and at the end, totals over ranges longer than a day (which the rollups answer) are
compared with a scan of the spans, and ``unscroll check``'s comparison must find nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.store import bulk, forgetting, history_rows, restore, sync_apply
from monitor.store.database import Store
from monitor.store.device_totals import ALL, NOT_WATCHING, ONLY_WATCHING, union_totals
from monitor.store.devices import PEER, Device, narrow, save_device
from monitor.store.rollup_check import check_rollups
from monitor.store.rollup_rows import rollup_rows
from monitor.store.spans import category_totals, category_totals_per_period

T0 = 1_774_310_400.0 + 1234.5  # 2026-03-24 00:20:34.5 UTC: nothing lines up with an hour
HOUR = 3600.0
DAY = 86400.0
ME, PEER_A, PEER_B = "laptop", "peer-a" * 5, "peer-b" * 5
CATEGORIES = ("social", "video", "work")

offsets = st.floats(min_value=0, max_value=4 * DAY, allow_nan=False)
lengths = st.one_of(st.floats(min_value=0, max_value=3 * HOUR, allow_nan=False),
                    st.floats(min_value=0, max_value=30 * HOUR, allow_nan=False))
new_span = st.tuples(st.sampled_from((ME, PEER_A, PEER_B)), offsets, lengths, st.sampled_from(CATEGORIES),
                     st.booleans())
operation = st.one_of(
    st.tuples(st.just("insert"), new_span),
    st.tuples(st.just("extend"), st.integers(0, 50), lengths),
    st.tuples(st.just("forget"), st.integers(0, 50)),
    st.tuples(st.just("recheck"), st.integers(0, 50), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("cut"), offsets),
    st.tuples(st.just("import"), st.lists(new_span, max_size=6)),
    st.tuples(st.just("planned"), st.lists(st.lists(new_span, max_size=5), max_size=3)),
    st.tuples(st.just("restore"), st.lists(new_span, max_size=4)),
    st.tuples(st.just("sync"), st.lists(new_span, max_size=6)),
    st.tuples(st.just("unsync"), st.integers(0, 50)),
    st.tuples(st.just("query"), offsets, st.floats(min_value=26 * HOUR + 1, max_value=5 * DAY)),
)


def open_store(folder: str) -> Store:
    store = Store(Path(folder) / "unscroll.sqlite3")
    with store.transaction() as connection:
        for peer in (PEER_A, PEER_B):
            save_device(connection, Device(peer, peer[:6], PEER))
    return store


def span_ids(store: Store) -> list[tuple[int, float, str]]:
    return [(int(i), float(s), str(app)) for i, s, app in
            store.connection.execute("SELECT id, start_utc, app FROM main.spans ORDER BY id")]


def scanned(store: Store, start: float, end: float, condition: str = "", device: str | None = None
            ) -> dict[str, float]:
    """Seconds per category of the spans starting in [start, end), summed from the spans themselves."""
    rows = store.connection.execute(
        "SELECT category, SUM(end_utc - start_utc) FROM main.spans WHERE start_utc >= ? AND start_utc < ?"
        f"{condition} AND (? IS NULL OR device = ?) GROUP BY category", (start, end, device, device))
    return {str(category): float(seconds) for category, seconds in rows}


def swept(store: Store, start: float, end: float, condition: str) -> tuple[dict[str, float], float]:
    """The union per category and in all of the spans starting in [start, end), swept in Python."""
    rows = store.connection.execute(
        "SELECT category, start_utc, end_utc FROM main.spans WHERE start_utc >= ? AND start_utc < ?"
        f"{condition} ORDER BY start_utc, end_utc", (start, end)).fetchall()

    def union(intervals: list[tuple[float, float]]) -> float:
        total, reach = 0.0, float("-inf")
        for low, high in intervals:
            total += max(0.0, high - max(low, reach))
            reach = max(reach, high)
        return total

    per_category = {category: union([(s, e) for c, s, e in rows if c == category])
                    for category in {row[0] for row in rows}}
    return per_category, union([(s, e) for _, s, e in rows])


def assert_same(got: dict[str, float], expected: dict[str, float]) -> None:
    assert set(got) == set(expected)
    for category, seconds in expected.items():
        assert got[category] == pytest.approx(seconds, abs=1e-4), category


def assert_ranges_agree(store: Store, start: float, length: float) -> None:
    """Totals of [start, start + length) from the rollups equal those scanned and swept from the spans."""
    end = start + length
    conditions = {ALL: "", NOT_WATCHING: " AND watching = 0", ONLY_WATCHING: " AND watching = 1"}
    for variant, condition in conditions.items():
        per_category, total = union_totals(store, start, end, variant=variant)
        expected, expected_total = swept(store, start, end, condition)
        assert_same(per_category, expected)
        assert total == pytest.approx(expected_total, abs=1e-4)
    assert_same(category_totals(store, start, end, count_watching=False),
                swept(store, start, end, " AND watching = 0")[0])


def apply(store: Store, op: tuple[Any, ...], serial: list[int]) -> None:
    kind = op[0]
    serial[0] += 1
    spans = span_ids(store)
    if kind == "insert":
        device, offset, length, category, watching = op[1]
        with store.transaction():
            store.insert_span(T0 + offset, T0 + offset + length, f"app{serial[0] % 4}", None, category,
                              category, device, watching=watching)
    elif kind == "extend" and spans:
        span_id, start, _ = spans[op[1] % len(spans)]
        with store.transaction():
            store.extend_span(span_id, start + op[2], start_utc=start)
    elif kind == "forget" and spans:
        with store.transaction():
            forgetting.delete_spans(store, [spans[op[1] % len(spans)][0]])
    elif kind == "recheck" and spans:
        _, _, app = spans[op[1] % len(spans)]
        with store.transaction():
            for category in CATEGORIES:
                history_rows.reclassify(store, None, [(app, None, category, category, op[2], op[2])])
    elif kind == "cut":
        with store.transaction():
            store.cut_spans_after(T0 + op[1], ME)
    elif kind == "query":
        assert_ranges_agree(store, T0 + op[1], op[2])
    else:
        import_like(store, op, serial[0], spans)


def import_like(store: Store, op: tuple[Any, ...], serial: int, spans: list[tuple[int, float, str]]) -> None:
    """The writes of the importers and of sync."""
    kind = op[0]
    if kind == "import":
        rows: list[bulk.SpanInsert] = [
            (T0 + offset, T0 + offset + length, "aw", None, category, category, device, "activitywatch",
             f"aw:{serial}:{number}", int(watching))
            for number, (device, offset, length, category, watching) in enumerate(op[1])]
        bulk.insert_spans(store, rows, chunk=3, per_statement=2)
    elif kind == "planned":  # a big import's weeks, rolled up by its planner; some rows there already
        weeks = [[(T0 + offset, T0 + offset + length, "aw", None, category, category, device, "activitywatch",
                   f"aw:planned:{number % 3}:{week}", int(watching))
                  for number, (device, offset, length, category, watching) in enumerate(rows)]
                 for week, rows in enumerate(op[1])]
        bulk.insert_span_batches(store, [(rows, rollup_rows(rows)) for rows in weeks], per_statement=2)
    elif kind == "restore":
        with store.transaction():
            restore.add_spans(store, [(T0 + offset, T0 + offset + length, "app", None, category, category,
                                       device, "unscroll", f"unscroll:{serial}:{number}")
                                      for number, (device, offset, length, category, _) in enumerate(op[1])])
    elif kind == "sync":
        remote = [sync_apply.RemoteSpan(f"sync:{PEER_A}:{serial}:{number}",
                                        [(T0 + offset, T0 + offset + length)], "app", None, category,
                                        category, watching)
                  for number, (_, offset, length, category, watching) in enumerate(op[1])]
        with store.transaction() as connection:
            sync_apply.store_spans(connection, PEER_A, remote)
    elif kind == "unsync":
        keys = [str(origin).split("#")[0] for (origin,) in store.connection.execute(
            "SELECT origin FROM main.spans WHERE origin LIKE 'sync:%' ORDER BY id")]
        if keys:
            with store.transaction() as connection:
                sync_apply.drop_spans(connection, [keys[op[1] % len(keys)]])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25),
       st.lists(st.tuples(offsets, st.floats(min_value=26 * HOUR + 1, max_value=5 * DAY)), min_size=1,
                max_size=3))
def test_rollups_always_equal_the_spans(operations, ranges):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder)
        try:
            serial = [0]
            for op in operations:
                apply(store, op, serial)
                for variant in (ALL, NOT_WATCHING, ONLY_WATCHING):  # keep every hour: changes must drop them
                    union_totals(store, T0 - DAY, T0 + 6 * DAY, variant=variant)
            assert check_rollups(store) == []
            for offset, length in ranges:
                assert_ranges_agree(store, T0 + offset, length)
                assert_ranges_agree(store, T0 - DAY + offset, length)  # starting before any span
            for device in (ME, PEER_A):  # a view of some devices: the rollups narrowed alike
                narrow(store, [device])
                for offset, length in ranges:
                    start, end = T0 + offset, T0 + offset + length
                    assert_same(category_totals(store, start, end), scanned(store, start, end, device=device))
                    watched = category_totals_per_period(store, [(start, end)], only_watching=True)[0]
                    assert_same(watched, scanned(store, start, end, " AND watching = 1", device))
                store.connection.execute("DROP VIEW temp.spans")
                store.connection.execute("DROP VIEW temp.span_rollups")
            assert check_rollups(store) == []
        finally:
            store.close()
