"""Outcomes of each decision, read from real spans and interactions; held_back kept and upgraded."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from monitor.core.vocabulary import DOORWAY, OVER, WARN
from monitor.store.database import Store
from monitor.store.migrations import MIGRATIONS, SCHEMA_VERSION
from monitor.store.outcomes import (
    MARK_TOLERANCE_S,
    category_seconds,
    decisions_between,
    first_held_back,
    on_category_at,
    outcomes_of,
)
from monitor.store.prompts import prompts_of_day, record_prompt

T = 1_780_000_000.0  # the decision's moment
DAY = date(2026, 5, 28)
MINUTE = 60.0


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def span(store: Store, start: float, seconds: float, category: str = "social") -> None:
    store.insert_span(start, start + seconds, "firefox", category, category, category, "desk")


def test_seconds_of_the_category_in_the_next_half_hour_are_cut_at_both_ends(store):
    span(store, T - 5 * MINUTE, 7 * MINUTE)  # 2 min of it after the decision
    span(store, T + 3 * MINUTE, 4 * MINUTE, "work")  # another category: not counted
    span(store, T + 10 * MINUTE, 5 * MINUTE)
    span(store, T + 28 * MINUTE, 10 * MINUTE)  # 2 min of it before the window ends
    span(store, T + 31 * MINUTE, MINUTE)  # after the window
    assert category_seconds(store, "social", T, T + 30 * MINUTE) == 9 * MINUTE
    assert category_seconds(store, None, T, T + 30 * MINUTE) == 13 * MINUTE  # all screen time
    assert category_seconds(store, "total", T, T + 30 * MINUTE) == 13 * MINUTE
    assert category_seconds(store, "video", T, T + 30 * MINUTE) == 0.0


def test_two_computers_at_once_count_each_moment_once(store):
    span(store, T, 10 * MINUTE)  # this computer
    store.insert_span(T + 5 * MINUTE, T + 20 * MINUTE, "firefox", "social", "social", "social", "laptop")
    store.insert_span(T + 6 * MINUTE, T + 8 * MINUTE, "chrome", "social", "social", "social", "phone")
    assert category_seconds(store, "social", T, T + 30 * MINUTE) == 20 * MINUTE  # not 27


def test_the_visit_ended_when_the_category_is_not_in_front_at_the_five_minute_mark(store):
    mark = T + 5 * MINUTE
    span(store, T, 5 * MINUTE - 2)  # ends 2 s before the mark: within a sample's slack, still there
    assert on_category_at(store, "social", mark, MARK_TOLERANCE_S)
    span(store, T + 10 * MINUTE, MINUTE)
    assert not on_category_at(store, "social", T + 8 * MINUTE, MARK_TOLERANCE_S)
    assert not on_category_at(store, "work", mark, MARK_TOLERANCE_S)


def test_outcomes_are_unknown_until_their_window_has_passed(store):
    span(store, T, 3 * MINUTE)
    early = outcomes_of(store, T, "social", now=T + 10 * MINUTE)
    assert (early.category_seconds_next_30m, early.visit_ended_within_5m, early.reached_out_within_24h) == (
        None, True, None)
    person = store.connection.execute(
        "INSERT INTO people (name, created_utc) VALUES ('Ana', 0)").lastrowid
    store.connection.execute("INSERT INTO interactions (person_id, at_utc) VALUES (?, ?)",
                             (person, T + 20 * 3600))
    later = outcomes_of(store, T, "social", now=T + 2 * 86400)
    assert later.category_seconds_next_30m == 3 * MINUTE
    assert later.reached_out_within_24h is True
    assert outcomes_of(store, T - 86400 * 3, "social", now=T).reached_out_within_24h is False


def test_decisions_and_the_experiments_start(store):
    record_prompt(store, at=T, day=DAY, kind=WARN, category="social", message="")  # not a decision
    record_prompt(store, at=T + 1, day=DAY, kind=OVER, category="social", message="")
    record_prompt(store, at=T + 2, day=DAY, kind=DOORWAY, category="social", message="", held_back=True)
    record_prompt(store, at=T + 3, day=DAY, kind=DOORWAY, category="social", message="", held_back=True)
    decided = decisions_between(store, (DOORWAY, OVER), T, T + 10)
    assert [(d.kind, d.held_back) for d in decided] == [(OVER, False), (DOORWAY, True), (DOORWAY, True)]
    assert first_held_back(store, (DOORWAY, OVER)) == T + 2
    assert first_held_back(store, (WARN,)) is None
    assert [p.held_back for p in prompts_of_day(store, DAY)] == [False, False, True, True]


def test_a_store_from_before_held_back_is_upgraded_with_every_prompt_shown(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    [ours] = [index for index, text in enumerate(MIGRATIONS) if "ADD COLUMN held_back" in text]
    old = sqlite3.connect(path, isolation_level=None)
    for text in MIGRATIONS[:ours]:
        old.executescript(text)
    old.execute(f"PRAGMA user_version = {ours}")
    old.execute("INSERT INTO prompts (at_utc, day, kind, category) VALUES (?, ?, 'doorway', 'social')",
                (T, DAY.isoformat()))
    old.close()
    with Store(path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [kept] = prompts_of_day(store, DAY)
        assert (kept.kind, kept.held_back) == (DOORWAY, False)
