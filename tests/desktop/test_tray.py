"""The tray on real components: headless sway with waybar's tray module as the StatusNotifierItem host.

The real daemon starts its real tray process; everything the host sees is read back over
D-Bus with ``busctl`` (the item's ``IconPixmap`` and ``Title``, the menu's ``GetLayout``) and
pressed the same way (``Event``). A screenshot of the bar (``grim``) is kept in
tests/artifacts/. Killing waybar and starting it again brings the icon back; "Quit
unscroll" stops the daemon; a daemon killed outright takes its tray with it.

The last test runs the tray's worker against the X11 desktop of tests/desktop/harness.py,
whose dunst shows the notice that confirms a person was reached.
"""

from __future__ import annotations

import json
import os
import queue
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from monitor.core.paths import Paths
from monitor.store.database import Store
from monitor.tray.controller import REACHED, TICK, TrayController
from monitor.tray.icons import pixmap
from monitor.tray.view import OVER, person_of
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.waybar_session import WaybarSway
from tests.desktop.wayland_session import SessionWindow, running
from tests.helpers import wait_until

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BAR = "0,0 1280x34"
INTERVAL = 1.0
SLACK = 0.6
"""Beyond one sample interval: the time busctl and the poll itself take."""
SOCIAL_TITLE = "Facebook — Mozilla Firefox"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
CONFIG = f"""
[tracking]
sample_every = "{INTERVAL:g}s"
idle_after = "60s"

[budgets]
social = "12s"
total = "2h"
"""


@pytest.fixture(scope="module")
def sway() -> Iterator[WaybarSway]:
    with running(WaybarSway, "unscroll-tray-") as session:
        yield session


@pytest.fixture(scope="module")
def windows(sway: WaybarSway) -> dict[str, SessionWindow]:
    return {"notes": sway.open_window("notes — foot", app_id="notes"),
            "social": sway.open_window(SOCIAL_TITLE, app_id="firefox", process_name="firefox")}


def start_daemon(sway: WaybarSway, folder: Path) -> DaemonProcess:
    paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
    write_test_config(paths, CONFIG)
    return DaemonProcess(sway.env, paths).start()


@pytest.fixture(scope="module")
def daemon(sway: WaybarSway, windows, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    sway.focus(windows["notes"])
    sway.touch_input()
    running_daemon = start_daemon(sway, tmp_path_factory.mktemp("tray-daemon"))
    try:
        yield running_daemon
    finally:
        running_daemon.stop()


# --- reading the tray over D-Bus ------------------------------------------------------------
def item_name(sway: WaybarSway) -> str | None:
    """The bus name of the one item registered with waybar's watcher, if any."""
    items = sway.registered_items()
    return items[0].split("/", 1)[0] if items else None


def icon_state(sway: WaybarSway, name: str) -> tuple[int, bool] | None:
    """(step, paused) that the item's 16-pixel IconPixmap shows; None if it is none of the dials."""
    pixmaps = sway.get_property(name, "/StatusNotifierItem", ITEM, "IconPixmap")
    data = bytes(next(pixels for width, _height, pixels in pixmaps if width == 16))
    for paused in (False, True):
        for level in range(OVER + 1):
            if data == pixmap(level, paused, 16):
                return level, paused
    return None


def title(sway: WaybarSway, name: str) -> str:
    value: str = sway.get_property(name, "/StatusNotifierItem", ITEM, "Title")
    return value


def menu(sway: WaybarSway, name: str) -> dict[str, tuple[int, bool]]:
    """The menu's entries read with GetLayout: label -> (id, enabled)."""
    _revision, (_root, _properties, children) = sway.call(name, "/MenuBar", MENU, "GetLayout", "iias",
                                                          "0", "-1", "0")
    entries = {}
    for child in children:
        number, properties, _grandchildren = child["data"]
        if "label" in properties:
            entries[properties["label"]["data"]] = (number, properties["enabled"]["data"])
    return entries


def press(sway: WaybarSway, name: str, label: str) -> None:
    number, enabled = menu(sway, name)[label]
    assert enabled, f"{label!r} is not enabled"
    sway.call(name, "/MenuBar", MENU, "Event", "isvu", str(number), "clicked", "s", "", "0")


def status(daemon: DaemonProcess) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(daemon.cli("status", "--json").stdout)
    return data


Sample = tuple[float, float, int, str]
"""(time, social seconds stored, icon step, title)."""


# --- the tests ----------------------------------------------------------------------------------
def poll_until_spent(sway: WaybarSway, daemon: DaemonProcess, name: str) -> list[Sample]:
    """(time, social seconds stored, icon step, title) every ~0.1 s, from now until the icon shows OVER.

    The bar is photographed at the first sample with half the budget spent, and at the last.
    """
    samples: list[Sample] = []
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        sway.touch_input()
        seconds = daemon.exact_seconds(SOCIAL_TITLE)
        state = icon_state(sway, name)
        samples.append((time.monotonic(), seconds, state[0] if state else -1, title(sway, name)))
        if state == (2, False) and not (ARTIFACTS / "tray-waybar-half.png").exists():
            sway.screenshot(ARTIFACTS / "tray-waybar-half.png", region=BAR)
        if state == (OVER, False):
            sway.screenshot(ARTIFACTS / "tray-waybar.png", region=BAR)
            return samples
        time.sleep(0.1)
    raise AssertionError(f"the icon never showed the budget spent: {samples[-3:]}")


def first(samples: list[Sample], *, seconds: float = 0.0, level: int = -1) -> int:
    return next(i for i, (_t, stored, shown, _title) in enumerate(samples)
                if stored >= seconds and shown >= level)


def test_the_icon_shows_the_social_budget_passing_half_and_running_out(sway, windows, daemon):
    name = wait_until(lambda: item_name(sway), timeout=20, message="the item to register with waybar")
    assert status(daemon)["tray"] == "shown"
    assert icon_state(sway, name) == (0, False)
    assert title(sway, name).startswith("Social 0 s of 12 s · Screen ")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "tray-waybar-half.png").unlink(missing_ok=True)
    sway.focus(windows["social"])
    samples = poll_until_spent(sway, daemon, name)
    for threshold, level in ((6.0, 2), (12.0, OVER)):  # half of 12 s, and all of it
        stored, shown = first(samples, seconds=threshold), first(samples, level=level)
        lag = samples[shown][0] - samples[stored][0]
        assert lag <= INTERVAL + SLACK, (threshold, lag, samples[stored:shown + 1])
        assert samples[shown][1] >= threshold - INTERVAL  # never ahead of the store
        words = re.match(r"Social (\d+) s of 12 s", samples[shown][3])
        assert words is not None, samples[shown][3]
        assert int(words.group(1)) >= threshold  # the title changed with the icon
    assert (ARTIFACTS / "tray-waybar-half.png").stat().st_size > 1000
    assert (ARTIFACTS / "tray-waybar.png").stat().st_size > 1000
    sway.focus(windows["notes"])


def test_the_menu_is_read_over_dbus_and_pause_pressed_through_event(sway, daemon):
    name = wait_until(lambda: item_name(sway), timeout=20, message="the item")
    labels = list(menu(sway, name))
    for wanted in ("Pause for 30 min", "Pause for 1 h", "Pause until tomorrow", "Resume",
                   "Open this week's report", "Settings file", "Quit unscroll"):
        assert wanted in labels
    assert any(label.startswith("Social  ") for label in labels)
    assert not menu(sway, name)["Resume"][1]
    pressed_at = time.time()
    press(sway, name, "Pause for 30 min")
    paused = wait_until(lambda: status(daemon)["paused_until"], timeout=10, message="the pause")
    assert pressed_at + 1800 - 5 <= paused <= time.time() + 1800
    wait_until(lambda: icon_state(sway, name) == (0, True), timeout=INTERVAL + 5, message="the paused dial")
    assert title(sway, name).startswith("Paused until ")
    press(sway, name, "Resume")
    wait_until(lambda: status(daemon)["paused_until"] is None, timeout=10, message="the resume")
    wait_until(lambda: icon_state(sway, name) == (OVER, False), timeout=INTERVAL + 5, message="the dial back")


def test_the_icon_comes_back_when_the_tray_host_does(sway, daemon):
    name = wait_until(lambda: item_name(sway), timeout=20, message="the item")
    pid = daemon.process.pid
    sway.kill_waybar()
    wait_until(lambda: status(daemon)["tray"] == "no tray host", timeout=10, message="no tray host")
    sway.start_waybar()
    wait_until(lambda: item_name(sway) == name, timeout=20, message="the item to register again")
    wait_until(lambda: status(daemon)["tray"] == "shown", timeout=10, message="shown again")
    assert icon_state(sway, name) is not None
    assert daemon.process.pid == pid
    assert daemon.process.poll() is None  # unscroll was never restarted


def tray_processes(daemon: DaemonProcess) -> list[psutil.Process]:
    assert daemon.process is not None
    return [child for child in psutil.Process(daemon.process.pid).children()
            if "monitor.tray" in " ".join(child.cmdline())]


def test_quit_unscroll_in_the_menu_stops_the_daemon_and_its_tray(sway, daemon):
    name = wait_until(lambda: item_name(sway), timeout=20, message="the item")
    [tray] = tray_processes(daemon)
    press(sway, name, "Quit unscroll")
    assert daemon.process is not None
    assert daemon.process.wait(timeout=15) == 0
    assert not tray.is_running()
    assert "running" not in daemon.cli("status").stdout.splitlines()[0].replace("not running", "")
    wait_until(lambda: item_name(sway) is None, timeout=10, message="the item to leave the tray")


def test_a_killed_daemon_takes_its_tray_with_it(sway, tmp_path):
    victim = start_daemon(sway, tmp_path)
    try:
        wait_until(lambda: item_name(sway), timeout=20, message="the item")
        [tray] = wait_until(lambda: tray_processes(victim), timeout=10, message="the tray process")
        victim.kill()
        tray.wait(timeout=10)  # its pipe closed: it leaves on its own
        wait_until(lambda: item_name(sway) is None, timeout=10, message="the item to leave the tray")
    finally:
        victim.stop()


def recording_opener(folder: Path) -> Path:
    """A real ``xdg-open`` stand-in in ``folder``/bin that records what it was asked to open."""
    (folder / "bin").mkdir()
    record = folder / "opened.txt"
    script = folder / "bin" / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {record}\n')
    script.chmod(0o755)
    return record


def test_choosing_a_person_opens_their_link_and_logs_it_once_confirmed(desktop, notifications, tmp_path,
                                                                       monkeypatch):
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, CONFIG)
    record = recording_opener(tmp_path)
    env = {**desktop.env, "UNSCROLL_CONFIG": str(paths.config_file), "UNSCROLL_DATA_DIR": str(paths.data_dir)}
    cli = DaemonProcess(env, paths)
    cli.cli("people", "add", "Sam Rivera", "--every", "1w", "--link", "https://example.org/sam")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", desktop.bus_address)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    events: queue.Queue[str] = queue.Queue()
    views: list[Any] = []
    tray = TrayController(paths, views.append, lambda _message: None, events.put)
    try:
        tray.handle(TICK)
        [entry] = [entry for entry in views[-1].menu if entry.key and person_of(entry.key) is not None]
        assert entry.label == "Message Sam"
        tray.choose(entry.key)
        wait_until(record.exists, timeout=10, message="the link to be opened")
        assert record.read_text().split() == ["https://example.org/sam"]
        [notice] = notifications.wait_for(1)
        assert notice.summary == "Did you reach Sam?"
        assert [label for label in notice.labels if label] == ["Reached out"]  # "" is the body's click
        with Store(paths.database) as store:
            assert store.connection.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 0
        notifications.press("Reached out")
        event = events.get(timeout=10)
        assert event.startswith(REACHED)
        tray.handle(event)
        with Store(paths.database) as store:
            rows = store.connection.execute("SELECT note FROM interactions").fetchall()
        assert [tuple(row) for row in rows] == [("from the tray",)]
        offered = [e for e in views[-1].menu if e.key and person_of(e.key) is not None]
        assert offered == []  # talked to: not offered again within prompts.suggest_gap
    finally:
        tray.close()
