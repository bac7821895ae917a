"""Two computers and a shared folder: spans, deletions, forgets, prompts and compaction travel whole."""

from __future__ import annotations

import gzip
import re
import shutil
import time
from datetime import time as dt_time
from pathlib import Path

import pytest

from monitor.core.days import day_of, local_zone
from monitor.history.forget import Selection, forget
from monitor.nudge.prompt_log import budget_records
from monitor.store.prompts import prompts_of_day, record_action, record_prompt
from monitor.store.spans import category_totals
from monitor.sync.compact import FANOUT
from monitor.sync.segments import segment_files
from tests.sync.world import DAY_START, Machine, machines_sharing, recent_stretch


@pytest.fixture
def pair(tmp_path):
    with machines_sharing(tmp_path) as machines:
        yield machines


@pytest.fixture
def pair_at_four(tmp_path):
    """Two machines with the shipped day start, 04:00 (what splits the phone export's days)."""
    with machines_sharing(tmp_path, day_start=dt_time(4, 0)) as machines:
        yield machines


def social(machine: Machine) -> float:
    return category_totals(machine.store, 0, time.time() + 86400).get("social", 0.0)


def test_a_growing_span_replaces_its_copy_and_a_deleted_one_goes(pair):
    laptop, desktop = pair
    start = recent_stretch(10)
    span_id = laptop.use(start, start + 60)
    laptop.sync()
    desktop.sync()
    assert social(desktop) == pytest.approx(60)
    with laptop.store.transaction():
        laptop.store.extend_span(span_id, start + 120)
    laptop.sync()
    desktop.sync()
    assert social(desktop) == pytest.approx(120)  # replaced, not 180
    with laptop.store.transaction():
        laptop.store.delete_span(span_id)
    laptop.sync()
    desktop.sync()
    assert social(desktop) == 0.0
    assert desktop.store.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0


def test_nothing_is_written_back_and_a_pass_without_news_writes_nothing(pair):
    laptop, desktop = pair
    start = recent_stretch(10)
    laptop.use(start, start + 60)
    laptop.sync()
    desktop.sync()  # reads the laptop's span, writes its own first (empty) segment
    laptop.sync()
    report = desktop.sync()
    assert report.written is not None
    assert report.written.segment is None  # the laptop's span is not the desktop's to write
    again = laptop.sync().ingested
    assert again is not None
    assert again.applied == []
    assert social(laptop) == pytest.approx(60)


def test_forgotten_here_is_left_out_and_a_forget_there_reaches_here(pair):
    laptop, desktop = pair
    start = recent_stretch(30)
    # the desktop forgot the first ten minutes (before the laptop's spans of them came)
    forget(desktop.store, Selection(since_utc=start, until_utc=start + 600), now=time.time())
    laptop.use(start, start + 900)
    laptop.use(start + 1000, start + 1200)
    laptop.sync()
    desktop.sync()
    assert social(desktop) == pytest.approx(300 + 200)  # the first 600 s stay forgotten here
    forget(laptop.store, Selection(since_utc=start + 950, until_utc=start + 1300), now=time.time())
    laptop.sync()
    desktop.sync()
    assert social(desktop) == pytest.approx(300)
    for _ in range(2):  # the forget does not bounce back and forth
        laptop.sync()
        desktop.sync()
    counts = [m.store.connection.execute("SELECT COUNT(*) FROM forgotten").fetchone()[0] for m in pair]
    assert counts == [2, 2]


def test_a_prompt_on_one_counts_toward_the_caps_on_the_other(pair):
    laptop, desktop = pair
    zone = local_zone()
    now = time.time()
    day = day_of(now, DAY_START, zone)
    with laptop.store.transaction():
        prompt_id = record_prompt(laptop.store, at=now - 5, day=day, kind="over", category="social",
                                  message="Social media: over", used_s=1900.0)
    laptop.sync()
    desktop.sync()
    [seen] = prompts_of_day(desktop.store, day)
    assert (seen.kind, seen.category, seen.used_s) == ("over", "social", 1900.0)
    assert [record.kind for record in budget_records(prompts_of_day(desktop.store, day), zone)] == ["over"]
    record_action(laptop.store, prompt_id, "more", now)
    laptop.sync()
    desktop.sync()
    assert prompts_of_day(desktop.store, day)[0].action == "more"


def test_many_passes_leave_few_files_and_the_same_totals(pair, tmp_path):
    laptop, desktop = pair
    start = recent_stretch(60)
    for number in range(3 * FANOUT):
        laptop.use(start + number * 60, start + number * 60 + 30)
        laptop.sync()
        if number == FANOUT // 2:
            desktop.sync()  # the desktop reads part of the way, then after the merges
    names = list(segment_files(laptop.own_folder()))
    assert len(names) < 2 * FANOUT  # the first (full) one, then fewer than FANOUT of each level
    assert sorted({name.level for name in names}) == [0, 1, 9]
    desktop.sync()
    late = Machine(tmp_path, laptop.folder, "tablet")  # a third computer, joining late
    late.sync()
    assert social(desktop) == social(late) == pytest.approx(3 * FANOUT * 30)
    late.close()


def test_a_folder_emptied_by_hand_is_written_again_in_full(pair):
    laptop, desktop = pair
    start = recent_stretch(20)
    laptop.use(start, start + 300)
    laptop.sync()
    desktop.sync()
    shutil.rmtree(laptop.own_folder())
    laptop.use(start + 400, start + 500)
    report = laptop.sync()
    assert report.written is not None
    assert report.written.full
    desktop.sync()
    assert social(desktop) == pytest.approx(400)  # all of it, once


def test_a_newer_format_is_set_aside_and_said(pair, caplog):
    laptop, desktop = pair
    start = recent_stretch(10)
    laptop.use(start, start + 60)
    laptop.sync()
    [path] = segment_files(laptop.own_folder()).values()
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    lines[0] = re.sub(rb'"format":1', b'"format":2', lines[0])
    path.write_bytes(gzip.compress(b"\n".join(lines)))
    desktop.sync()
    assert social(desktop) == 0.0
    row = desktop.store.connection.execute("SELECT outcome FROM sync_files").fetchone()
    assert row[0] == "set aside: format 2, this version reads format 1"
    assert "set aside: format 2" in caplog.text


def test_the_inbox_brings_the_phone_in_once_as_its_own_device(pair_at_four, tmp_path):
    pair = laptop, desktop = pair_at_four
    export = Path(__file__).resolve().parents[1] / "data" / "sync" / "aw-android-export.json"
    inbox = laptop.folder / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(export, inbox / "aw-buckets-export.json")
    for machine in (laptop, desktop, laptop, desktop):
        machine.sync()
    shutil.copy(export, inbox / "the same, again.json")
    laptop.sync()
    march = (1_774_000_000.0, 1_774_700_000.0)
    for machine in pair:
        rows = machine.store.connection.execute(
            "SELECT d.name, d.kind, COUNT(*) FROM spans s JOIN sync_devices d ON d.id = s.device "
            "GROUP BY d.id").fetchall()
        assert [tuple(row) for row in rows] == [("Pixel 7", "phone", 3)]
        assert category_totals(machine.store, *march) == {"social": 720.0, "messaging": 300.0}
    outcome = laptop.store.connection.execute(
        "SELECT outcome FROM sync_files WHERE file = 'the same, again.json'").fetchone()[0]
    assert outcome == "imported before (the same contents)"
