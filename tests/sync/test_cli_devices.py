"""``unscroll devices``, ``devices forget``, ``today --device`` and ``[sync]``, as a person uses them."""

from __future__ import annotations

import json

import pytest

from monitor.core.errors import ConfigError
from monitor.core.settings import load_settings
from tests.conftest import write_config
from tests.sync.world import WORK, Machine, recent_stretch


@pytest.fixture
def shared(tmp_path, user_paths):
    """The user's computer ("desktop", what the ``run`` fixture runs on) and a laptop sharing a folder."""
    folder = tmp_path / "Sync" / "unscroll"
    folder.parent.mkdir()
    laptop = Machine(tmp_path / "other", folder, "laptop")
    desktop = Machine(tmp_path, folder, "desktop", paths=user_paths)
    yield laptop, desktop
    laptop.close()
    desktop.close()


def test_without_sync_devices_says_how_to_turn_it_on(run):
    code, out, _ = run("devices", "--json")
    [row] = json.loads(out)
    assert code == 0
    assert row["this_device"] is True
    assert row["problem"] == "sync is off: set [sync] folder in your config.toml"


def test_devices_lists_both_and_today_counts_both(run, shared):
    laptop, desktop = shared
    start = recent_stretch(20)
    laptop.use(start, start + 600)
    desktop.use(start + 300, start + 900, WORK)
    laptop.sync()
    desktop.sync()
    code, out, _ = run("devices", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0
    assert (rows["desktop"]["kind"], rows["desktop"]["this_device"], rows["desktop"]["spans"]) == (
        "this computer", True, 1)
    laptop_row = rows["laptop"]
    assert (laptop_row["kind"], laptop_row["spans"], laptop_row["seconds"]) == ("computer", 1, 600)
    assert rows["laptop"]["counted"] is True
    code, out, _ = run("today", "--json")
    today = json.loads(out)
    assert today["total_seconds"] == 900  # once, though 1200 s were spent on the two
    assert today["devices"] == [{"name": "desktop", "seconds": 600}, {"name": "laptop", "seconds": 600}]
    _, out, _ = run("today", "--json", "--device", "LAPTOP")
    assert json.loads(out)["total_seconds"] == 600
    _, out, _ = run("today", "--json", "--this-device")
    assert {c["name"]: c["seconds"] for c in json.loads(out)["categories"]}.get("work") == 600
    _, out, _ = run("devices")
    assert "laptop" in out
    assert "this computer" in out


def test_week_and_report_show_all_computers_or_the_one_asked_for(run, shared, user_paths):
    laptop, desktop = shared
    start = recent_stretch(20)
    laptop.use(start, start + 600)
    desktop.use(start + 300, start + 900, WORK)
    laptop.sync()
    desktop.sync()
    weeks = {}
    for args in ((), ("--device", "laptop"), ("--this-device",)):
        code, out, _ = run("week", "--json", *args)
        assert code == 0
        weeks[args] = json.loads(out)
    assert weeks[()]["total_seconds"] == 900  # the union: the overlapping 300 s once
    assert weeks[()]["device"] is None
    laptop_week, this_week = weeks[("--device", "laptop")], weeks[("--this-device",)]
    assert (laptop_week["total_seconds"], laptop_week["device"]) == (600, "laptop")
    assert (this_week["total_seconds"], this_week["device"]) == (600, "desktop")
    code, out, _ = run("report", "--device", "laptop")
    page = out.strip()
    assert code == 0
    assert page.endswith("-laptop.png")  # beside the combined page, not over it
    assert page.startswith(str(user_paths.data_dir / "reports" / "week-"))
    code, out, _ = run("report")
    assert out.strip() == page.removesuffix("-laptop.png") + ".png"


def test_forgetting_a_device_stops_counting_it_and_leaves_its_files(run, shared):
    laptop, desktop = shared
    start = recent_stretch(20)
    laptop.use(start, start + 600)
    laptop.sync()
    desktop.sync()
    code, out, err = run("devices", "forget", "laptop")
    assert (code, err) == (0, "")
    assert out.startswith("Stopped counting laptop (")
    assert "600" not in out
    assert "10 m" in out
    assert f"Its files stay in {laptop.own_folder()}" in out
    assert laptop.own_folder().is_dir()
    laptop.use(start + 700, start + 800)
    laptop.sync()
    desktop.sync()  # its new segments are not read either
    _, out, _ = run("today", "--json")
    assert json.loads(out)["total_seconds"] == 0
    _, out, _ = run("devices", "--json")
    assert {row["name"]: row["counted"] for row in json.loads(out)} == {"desktop": True, "laptop": False}


@pytest.mark.parametrize(("args", "message"), [
    (("devices", "forget", "tablet"),
     "unscroll: NAME: no other device is called 'tablet'; the devices seen are: laptop "
     "(see `unscroll devices`)"),
    (("devices", "forget", "desktop"),
     "unscroll: NAME: 'desktop' is this computer; run `unscroll devices forget` on another one"),
    (("today", "--device", "tablet"),
     "unscroll: --device: no device is called 'tablet'; the devices seen are: desktop, laptop "
     "(see `unscroll devices`)"),
    (("today", "--watch", "--this-device"),
     "unscroll: --watch shows every computer's time; leave out --device and --this-device"),
])
def test_bad_device_arguments_get_one_line(run, shared, args, message):
    laptop, desktop = shared
    laptop.sync()
    desktop.sync()
    code, out, err = run(*args)
    assert (code, out, err.strip()) == (1, "", message)


@pytest.mark.parametrize(("text", "message"), [
    ('folder = "Sync/unscroll"', "sync.folder: 'Sync/unscroll' is not a full path; write one like "
                                 "\"~/Sync/unscroll\" or \"/mnt/share/unscroll\""),
    ("folder = 3",
     "sync.folder: 3 is not a folder in quotes, like \"~/Sync/unscroll\" (or \"\" for no sync)"),
    ('every = "0s"', "sync.every: '0s' must be between \"1s\" and \"1h\", like \"20s\""),
    ('device_name = "a\\u0007b"', "sync.device_name: 'a\\x07b' is not a short name; write up to 80 printable "
                                  "characters, like \"laptop\""),
    ('speed = "fast"', "sync.speed: unknown key; [sync] accepts folder, device_name, every"),
])
def test_sync_settings_are_checked_in_one_line(user_paths, text, message):
    config = write_config(user_paths, f"[sync]\n{text}\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(user_paths)
    assert raised.value.message == f"{config}: {message}"


def test_sync_settings_default_off_with_the_host_name(user_paths):
    sync = load_settings(user_paths).sync
    assert (sync.on, sync.every.total_seconds()) == (False, 20.0)
    assert sync.device_name
    write_config(user_paths, '[sync]\nfolder = "~/Sync/unscroll"\n')
    assert load_settings(user_paths).sync.folder.name == "unscroll"
    assert load_settings(user_paths).sync.folder.is_absolute()
