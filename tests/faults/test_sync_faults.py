"""Faults in the synced folder: nothing double counted, nothing lost, each said once where a person looks.

Two computers (real data folders and stores, tests/sync/world.py) share a plain folder;
what a sync program or a person can do to it is done to it for real: a conflict copy
and a partial download beside a segment, a segment cut short (and delivered whole
later), a device folder copied under a second name, a device folder deleted (and the
device forgotten), a clock four minutes and one three hours ahead. Every total is read
back with the real ``unscroll today --json`` and ``unscroll devices --json``.
"""

from __future__ import annotations

import shutil

import pytest

from monitor.sync.identity import new_id
from monitor.sync.segments import segment_files
from tests.sync.world import WORK, Machine, machines_sharing, recent_stretch


@pytest.fixture
def pair(tmp_path):
    with machines_sharing(tmp_path) as machines:
        yield machines


def test_conflict_copies_and_partial_files_are_left_alone(pair, caplog):
    laptop, desktop = pair
    start = recent_stretch(30)
    laptop.use(start, start + 600)
    desktop.use(start + 900, start + 1200)
    laptop.sync()
    [segment] = segment_files(laptop.own_folder()).values()
    stem = segment.name.removesuffix(".jsonl.gz")
    shutil.copy(segment, segment.with_name(f"{stem}.sync-conflict-20260324-101010-ABCDEFG.jsonl.gz"))
    shutil.copy(segment, segment.with_name(f".syncthing.{segment.name}.tmp"))
    shutil.copy(segment, segment.with_name(f"~syncthing~{segment.name}.tmp"))
    desktop.sync()
    desktop.sync()
    assert desktop.social_today() == 900  # 600 + 300, the copies not counted
    assert desktop.devices()["laptop"]["problem"] is None
    assert caplog.text.count("sync-conflict") == 1  # said once, not every pass


def test_a_segment_cut_short_is_set_aside_whole_and_read_once_it_arrives_whole(pair):
    laptop, desktop = pair
    start = recent_stretch(30)
    laptop.use(start, start + 300)
    laptop.sync()
    laptop.use(start + 400, start + 700)
    laptop.sync()
    laptop.use(start + 800, start + 1000)
    laptop.sync()
    files = dict(sorted(segment_files(laptop.own_folder()).items()))
    second = list(files.values())[1]
    whole = second.read_bytes()
    second.write_bytes(whole[: len(whole) // 2])  # a copy cut off half-way
    desktop.sync()
    assert desktop.social_today() == 300  # the first segment only: nothing of the cut one, the third waits
    problem = desktop.devices()["laptop"]["problem"]
    assert problem.startswith(f"{second.name} set aside (not a whole gzip file")
    desktop.sync()
    assert desktop.social_today() == 300
    second.write_bytes(whole)  # the sync program finishes the file
    desktop.sync()
    assert desktop.social_today() == 800
    assert desktop.devices()["laptop"]["problem"] is None


def test_a_device_folder_copied_under_a_second_name_is_not_counted_twice(pair):
    laptop, desktop = pair
    start = recent_stretch(30)
    laptop.use(start, start + 600)
    laptop.sync()
    copy = laptop.folder / new_id()
    shutil.copytree(laptop.own_folder(), copy)
    desktop.sync()
    laptop.use(start + 700, start + 800)
    laptop.sync()
    desktop.sync()
    assert desktop.social_today() == 700
    devices = desktop.devices()
    assert devices["laptop"]["problem"] is None
    [flagged] = [row for row in devices.values() if row["id"] == copy.name]
    original = laptop.own_folder().name
    assert flagged["problem"] == f"a copy of device {original}'s folder: not counted (delete it)"
    assert flagged["spans"] == 0
    shutil.rmtree(copy)  # the person deletes the copy, as the flag says
    desktop.sync()
    assert sorted(desktop.devices()) == ["desktop", "laptop"]
    assert desktop.social_today() == 700


def test_a_removed_device_keeps_its_time_until_it_is_forgotten(pair):
    laptop, desktop = pair
    start = recent_stretch(30)
    laptop.use(start, start + 600)
    desktop.use(start + 700, start + 800, WORK)
    laptop.sync()
    desktop.sync()
    shutil.rmtree(laptop.own_folder())  # the laptop was sold; its folder deleted by hand
    desktop.sync()
    today = desktop.today()
    assert (today["total_seconds"], today["devices"]) == (700, [{"name": "laptop", "seconds": 600},
                                                               {"name": "desktop", "seconds": 100}])
    assert desktop.devices()["laptop"]["problem"] == "its folder is no longer in the synced folder"
    result = desktop.cli("devices", "forget", "laptop")
    assert "Stopped counting laptop" in result.stdout
    today = desktop.today()
    assert (today["total_seconds"], today["devices"]) == (100, [{"name": "desktop", "seconds": 100}])
    assert desktop.devices()["laptop"]["counted"] is False


def test_minutes_of_skew_neither_double_count_nor_drop_and_hours_are_flagged(tmp_path):
    folder = tmp_path / "share" / "unscroll"
    folder.parent.mkdir()
    desktop = Machine(tmp_path, folder, "desktop")
    ahead = Machine(tmp_path, folder, "laptop", clock_offset=240.0)  # four minutes fast
    far = Machine(tmp_path, folder, "tablet", clock_offset=3 * 3600.0 + 60)  # three hours fast
    try:
        start = recent_stretch(40)
        desktop.use(start, start + 600)  # ten minutes of social, at the same time on both
        ahead.use(start, start + 600)
        far.use(start + 1200, start + 1500, WORK)
        for machine in (ahead, far, desktop):
            machine.sync()
        today = desktop.today()
        social = next(c["seconds"] for c in today["categories"] if c["name"] == "social")
        assert 598 <= social <= 600  # once, not 840 s; at most the file's delivery time off
        assert today["total_seconds"] == pytest.approx(social + 300, abs=2)  # the tablet's 300 s kept, today
        devices = desktop.devices()
        assert devices["laptop"]["clock_flag"] is None
        assert 238 <= devices["laptop"]["clock_offset_seconds"] <= 240
        assert devices["tablet"]["clock_flag"] == "its clock is at least 3 h ahead of this computer's"
    finally:
        for machine in (desktop, ahead, far):
            machine.close()
