"""One day across two computers, on the real stack: two Xvfb desktops, real daemons, real Syncthing.

Two "computers" are two desktops (each its own X display, D-Bus bus and dunst) with a
daemon each, with separate data folders. Two pairs run side by side on the same two
displays, so the 80 seconds of focus are spent once: one pair syncs through two real
Syncthing instances on the loopback (tests/desktop/syncthing_pair.py), the other through
a plain shared folder, no sync program at all. Social media has the focus for 40 s on the
first computer, then 40 s on the second; every daemon's ``today --json`` must show the
combined 80 s (one sample interval each side), the second computer's over-budget notice
must come from the combined total (its own 40 s are under the 60 s budget), "Reached out"
pressed on the second must show as logged on the first, and neither the daemons nor
Syncthing may hold a socket outside the loopback.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import psutil
import pytest

from monitor.core.days import day_of, local_zone
from monitor.core.paths import Paths
from monitor.store.database import Store
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop, Notifications
from tests.desktop.syncthing_pair import SyncthingPair
from tests.helpers import wait_until

FOCUS_S = 40.0
BUDGET_S = 60
INTERVAL_S = 1.0
CONFIG = """
[tracking]
sample_every = "1s"
idle_after = "10m"

[budgets]
social = "60s"
total = ""

[prompts]
warn_before = "0s"
repeat_every = "1h"

[experiment]
hold_back = 0

[sync]
folder = "{folder}"
device_name = "{name}"
every = "2s"
"""


@dataclass
class Computer:
    """One desktop and the daemons on it (one per pair)."""

    desktop: Desktop
    daemons: dict[str, DaemonProcess]


def _daemon(desktop: Desktop, root: Path, name: str, folder: Path) -> DaemonProcess:
    paths = Paths(config_file=root / name / "config.toml", data_dir=root / name / "data")
    write_test_config(paths, CONFIG.format(folder=folder, name=name))
    return DaemonProcess(desktop.env, paths)


@pytest.fixture(scope="module")
def second_desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    desktop = Desktop(tmp_path_factory.mktemp("desktop-b"))
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.close()


@pytest.fixture(scope="module")
def computers(desktop: Desktop, second_desktop: Desktop,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Computer, Computer, SyncthingPair]]:
    root = tmp_path_factory.mktemp("sync")
    pair = SyncthingPair(root).start()
    plain = root / "plain-share" / "unscroll"
    plain.mkdir(parents=True)
    first = Computer(desktop, {"syncthing": _daemon(desktop, root, "laptop", pair.folders[0]),
                               "plain": _daemon(desktop, root, "laptop-plain", plain)})
    second = Computer(second_desktop, {"syncthing": _daemon(second_desktop, root, "desktop", pair.folders[1]),
                                       "plain": _daemon(second_desktop, root, "desktop-plain", plain)})
    first.daemons["syncthing"].cli("people", "add", "Ana Okafor", "--every", "1w", "--last-talked", "6w ago")
    try:
        yield first, second, pair
    finally:
        for computer in (first, second):
            for daemon in computer.daemons.values():
                daemon.stop()
        pair.stop()


def _social(daemon: DaemonProcess) -> float:
    today: dict[str, Any] = daemon.today()
    return float(sum(c["seconds"] for c in today["categories"] if c["name"] == "social"))


def _own_social_before(daemon: DaemonProcess, moment: float) -> float:
    """This computer's own social seconds (not the other's) counted before ``moment``."""
    with Store(daemon.paths.database) as store:
        row = store.connection.execute(
            "SELECT COALESCE(SUM(MIN(end_utc, ?) - start_utc), 0) FROM spans WHERE category = 'social' "
            "AND source != 'sync' AND start_utc < ?", (moment, moment)).fetchone()
    return float(row[0])


def _over_notices(daemon: DaemonProcess) -> list[tuple[float, float]]:
    """(when, social seconds it was sent at) of this computer's own over-budget notices."""
    with Store(daemon.paths.database) as store:
        rows = store.connection.execute("SELECT at_utc, used_s FROM prompts WHERE kind = 'over' "
                                        "AND category = 'social' AND device IS NULL").fetchall()
    return [(float(at), float(used)) for at, used in rows]


def _focus_for(desktop: Desktop, window: Any, seconds: float) -> float:
    """Give ``window`` the focus for ``seconds``; return how long it really had it (to the next switch)."""
    desktop.focus(window)
    began = time.monotonic()
    time.sleep(seconds)
    return time.monotonic() - began


def test_two_computers_count_one_day(computers: tuple[Computer, Computer, SyncthingPair]) -> None:
    first, second, pair = computers
    neutral = {c.desktop.display: c.desktop.open_window("notes - editor", process_name="gedit")
               for c in (first, second)}
    for computer in (first, second):
        computer.desktop.focus(neutral[computer.desktop.display])
    with ThreadPoolExecutor(4) as starting:  # the four start side by side
        list(starting.map(DaemonProcess.start, [d for c in (first, second) for d in c.daemons.values()]))
    feeds = {c.desktop.display: c.desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox")
             for c in (first, second)}
    for computer in (first, second):  # opening a window may take the focus: give it back
        computer.desktop.focus(neutral[computer.desktop.display])
    watcher = Notifications(second.desktop)
    watcher.start()
    try:
        first_s = _focus_for(first.desktop, feeds[first.desktop.display], FOCUS_S)
        first.desktop.focus(neutral[first.desktop.display])
        second_s = _focus_for(second.desktop, feeds[second.desktop.display], FOCUS_S)
        second.desktop.focus(neutral[second.desktop.display])
        ended = time.monotonic()
        expected = first_s + second_s
        everyone = [d for c in (first, second) for d in c.daemons.values()]
        combined = wait_until(lambda: _all_near(everyone, expected), timeout=60, interval=1.0,
                              message=f"every computer's today to show the combined {expected:.0f} s")
        assert time.monotonic() - ended < 60
        assert all(abs(seconds - expected) <= 2 * INTERVAL_S + 0.5 for seconds in combined), combined

        for daemon in second.daemons.values():  # the second computer's notice: on the combined total
            notices = _over_notices(daemon)
            assert notices, f"{daemon.paths.data_dir}: no over-budget notice"
            at, used = notices[0]
            assert used >= BUDGET_S
            assert _own_social_before(daemon, at) < BUDGET_S - 10
        [named] = [n for n in watcher.notifications if "Ana" in n.body]
        assert "Reached out" in named.labels

        watcher.press("Reached out")
        today = day_of(time.time(), dt_time(4, 0), local_zone()).isoformat()
        laptop = first.daemons["syncthing"]
        wait_until(lambda: _people(laptop)["Ana Okafor"]["last_talked"] == today, timeout=30, interval=1.0,
                   message="Reached out on the second computer to show on the first")
    finally:
        watcher.stop()
    _only_loopback(pair, everyone)


def _people(daemon: DaemonProcess) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in json.loads(daemon.cli("people", "list", "--json").stdout)}


def _all_near(daemons: list[DaemonProcess], expected: float) -> list[float] | None:
    seconds = [_social(daemon) for daemon in daemons]
    return seconds if all(abs(s - expected) <= 2 * INTERVAL_S + 0.5 for s in seconds) else None


def _only_loopback(pair: SyncthingPair, daemons: list[DaemonProcess]) -> None:
    """Syncthing speaks on 127.0.0.1 only; the daemons hold no network socket at all."""
    sockets = pair.sockets()
    assert sockets
    assert all(local in ("127.0.0.1", "::1") and remote in (None, "127.0.0.1", "::1")
               for local, remote in sockets), sockets
    for daemon in daemons:
        assert daemon.process is not None
        assert psutil.Process(daemon.process.pid).net_connections(kind="inet") == []
