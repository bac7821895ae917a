"""The sway backend and the real daemon on a real headless sway (Wayland) session."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from monitor.core.paths import Paths
from monitor.tracking.platforms import detect_backend, open_platform
from monitor.tracking.platforms.sway import SwayPlatform
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.sway_session import SwaySession
from tests.desktop.wayland_session import SessionWindow, running
from tests.helpers import wait_until

INTERVAL = 1.0
TOLERANCE = INTERVAL + 0.25
LEFT_APP = "unscroll-wl-left"
RIGHT_APP = "unscroll-wl-right"


@pytest.fixture(scope="module")
def sway() -> Iterator[SwaySession]:
    with running(SwaySession, "unscroll-sway-") as session:
        yield session


@pytest.fixture(scope="module")
def windows(sway: SwaySession) -> tuple[SessionWindow, SessionWindow]:
    left = sway.open_window("unscroll-sway left", app_id="probe.left", process_name=LEFT_APP)
    right = sway.open_window("unscroll-sway right — Ünïcode", app_id="probe.right",
                             process_name=RIGHT_APP)
    return left, right


@pytest.fixture
def platform(sway: SwaySession) -> Iterator[SwayPlatform]:
    opened = open_platform(sway.env)
    assert isinstance(opened, SwayPlatform)
    yield opened
    opened.close()


def hold(sway: SwaySession, seconds: float, *, active: bool = True) -> float:
    """Play a user for ``seconds``, moving the pointer every 0.3 s when active."""
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        if active:
            sway.touch_input()
        time.sleep(min(0.3, max(0.0, deadline - time.monotonic())))
    return time.monotonic() - start


def test_the_factory_picks_sway(sway):
    assert detect_backend(sway.env, "linux") == "sway"


def test_reads_each_focused_window(sway, windows, platform):
    left, right = windows
    for window, app in ((left, LEFT_APP), (right, RIGHT_APP), (left, LEFT_APP)):
        sway.focus(window)
        seen = platform.active_window()
        assert seen is not None
        assert (seen.app, seen.title, seen.pid) == (app, window.title, window.pid)


def test_an_empty_workspace_has_no_window(sway, windows, platform):
    sway.swaymsg("workspace", "9")
    try:
        wait_until(lambda: platform.active_window() is None, timeout=5,
                   message="the empty workspace to have no window")
    finally:
        sway.swaymsg("workspace", "1")
    assert platform.active_window() is not None


def test_idle_time_grows_without_input_and_resets_on_input(sway, platform):
    sway.touch_input()
    assert platform.idle_seconds() < 1.5
    grown = wait_until(lambda: (v := platform.idle_seconds()) > 2.0 and v, timeout=10,
                       message="idle time to pass two seconds")
    assert grown < 10
    sway.touch_input()
    wait_until(lambda: platform.idle_seconds() < 1.0, timeout=5, message="idle to reset on input")


def test_a_focus_switch_is_reported_as_it_happens(sway, windows, platform):
    left, right = windows
    sway.focus(left)
    while platform.wait_for_change(0.3) is not None:  # the subscription starts here
        pass
    before = time.time()
    sway.focus(right)
    after = time.time()
    reported = platform.wait_for_change(5.0)
    assert reported is not None
    assert before <= reported <= after + 0.1


def test_the_away_switch_counts_nothing_after_the_last_input(sway, windows, tmp_path):
    """Work on "left", walk away; while away the focus moves: "left" ends at the last input."""
    left, right = windows
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "3s"\n')
    daemon = DaemonProcess(sway.env, paths)
    sway.focus(left)
    daemon.start()
    try:
        held = hold(sway, 4)  # the last input is at the end of this
        time.sleep(1.5)  # gone, and before the idle limit the focus moves (a dialog, a closing window)
        sway.focus(right)
        time.sleep(3.5)  # the idle limit passes
        gone = time.time()
        wait_until(lambda: daemon.heartbeat(after=gone + INTERVAL), timeout=10, message="a later sample")
        counted_left = daemon.exact_seconds(left.title)
        counted_right = daemon.exact_seconds(right.title)
    finally:
        daemon.stop()
    assert counted_left == pytest.approx(held, abs=TOLERANCE)
    assert counted_left <= held + 0.35  # nothing after the last input (one 0.3 s touch interval)
    assert counted_right == 0


def test_sample_command_names_the_sway_backend(sway, windows, tmp_path):
    left, _right = windows
    sway.focus(left)
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    reading = json.loads(DaemonProcess(sway.env, paths).cli("sample", "--json").stdout)
    assert reading["backend"] == "sway"
    assert (reading["app"], reading["title"], reading["pid"]) == (LEFT_APP, left.title, left.pid)


def test_the_daemon_counts_each_window(sway, windows, tmp_path):
    left, right = windows
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "3s"\n')
    daemon = DaemonProcess(sway.env, paths)
    sway.focus(left)
    sway.swaymsg("workspace", "9")  # an empty workspace: nothing to count yet
    sway.touch_input()
    daemon.start()
    try:
        sway.swaymsg("workspace", "1")  # back to "left", which had the focus there
        wait_until(lambda: sway.focused_title() == left.title, timeout=5, message="left focused")
        held_left = hold(sway, 6)
        sway.focus(right)
        held_right = hold(sway, 4)
        hold(sway, 6, active=False)  # the user walks away: nothing more may count
        sway.swaymsg("workspace", "9")
        sway.touch_input()
        back = time.time()
        wait_until(lambda: daemon.heartbeat(after=back + INTERVAL), timeout=10,
                   message="the daemon to sample after the user came back")
        counted_left = daemon.exact_seconds(left.title)
        counted_right = daemon.exact_seconds(right.title)
        today = daemon.today()
    finally:
        daemon.stop()
    assert counted_left == pytest.approx(held_left, abs=TOLERANCE)
    assert counted_right == pytest.approx(held_right, abs=TOLERANCE)
    items = {item["name"]: item for item in today["items"]}
    assert items[left.title]["app"] == LEFT_APP
    assert items[right.title]["app"] == RIGHT_APP
    assert today["total_seconds"] == pytest.approx(counted_left + counted_right, abs=1.5)


def test_minimise_moves_the_window_to_the_scratchpad(sway, platform):
    window = sway.open_window("Facebook — to the scratchpad", app_id="probe.social")
    sway.focus(window)
    seen = platform.active_window()
    assert seen is not None
    assert seen.handle is not None
    assert seen.title == window.title
    assert platform.minimise(seen.handle)
    scratch = next(n for n in sway.nodes() if n.get("name") == "__i3_scratch")
    hidden = [n.get("name") for n in scratch.get("floating_nodes", [])]
    assert window.title in hidden
    assert platform.minimise("999999") is False  # no such container: said, not raised
    assert platform.minimise("not-a-container") is False
