"""The KDE Plasma backend and the real daemon on a real headless KWin (Wayland).

What cannot be played here: a user's input (KWin's virtual backend has no input device
and KWin offers no fake-input protocol to unprivileged clients), so idle time is only
seen growing, and the daemon runs with an idle limit longer than the tests; and a
caption changing under a window (weston-image cannot retitle itself).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.core.paths import Paths
from monitor.tracking.platforms import detect_backend, open_platform
from monitor.tracking.platforms.kwin import KWinPlatform
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.kwin_session import KWinSession
from tests.desktop.wayland_session import SessionWindow, running
from tests.helpers import wait_until

INTERVAL = 1.0
TOLERANCE = INTERVAL + 0.5  # a sample interval, plus KWin running the activation script
APPS = ("unscroll-kde-left", "unscroll-kde-right", "unscroll-kde-other")


@pytest.fixture(scope="module")
def kwin() -> Iterator[KWinSession]:
    with running(KWinSession, "unscroll-kwin-") as session:
        yield session


@pytest.fixture(scope="module")
def windows(kwin: KWinSession) -> tuple[SessionWindow, SessionWindow, SessionWindow]:
    left = kwin.open_window("unscroll-kde left", process_name=APPS[0])
    right = kwin.open_window("unscroll-kde right — Ünïcode", process_name=APPS[1])
    other = kwin.open_window("unscroll-kde other", process_name=APPS[2])
    return left, right, other


@pytest.fixture
def platform(kwin: KWinSession) -> Iterator[KWinPlatform]:
    opened = open_platform(kwin.env)
    assert isinstance(opened, KWinPlatform)
    yield opened
    opened.close()


def seen(platform: KWinPlatform, window: SessionWindow) -> bool:
    current = platform.active_window()
    return current is not None and current.title == window.title


def test_the_factory_picks_kwin(kwin):
    assert detect_backend(kwin.env, "linux") == "kwin"


def test_reads_each_focused_window(kwin, windows, platform):
    for window, app in ((windows[0], APPS[0]), (windows[1], APPS[1]), (windows[0], APPS[0])):
        kwin.focus(window)
        wait_until(lambda w=window: seen(platform, w), timeout=5, message=f"{window.title!r} reported")
        current = platform.active_window()
        assert current is not None
        assert (current.app, current.title, current.pid) == (app, window.title, window.pid)


def test_idle_time_grows_without_input(kwin, platform):
    # KWin's virtual backend has had no input since it started
    grown = wait_until(lambda: (v := platform.idle_seconds()) > 2.0 and v, timeout=10,
                       message="idle time to pass two seconds")
    assert grown < 3600


def test_closing_unloads_the_script_and_leaves_no_file(kwin, windows, platform):
    assert platform.active_window() is not None
    plugin = f"unscroll-{os.getpid()}"
    assert "boolean true" in kwin.kwin_scripting("isScriptLoaded", plugin)
    assert not list(kwin.runtime.glob("unscroll-kwin-*.js")), "the script file outlived its loading"
    platform.close()
    assert "boolean false" in kwin.kwin_scripting("isScriptLoaded", plugin)
    assert platform.active_window() is not None  # a later call loads it again


def test_sample_command_names_the_kwin_backend(kwin, windows, tmp_path):
    left = windows[0]
    kwin.focus(left)
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    reading = json.loads(DaemonProcess(kwin.env, paths).cli("sample", "--json").stdout)
    assert reading["backend"] == "kwin"
    assert (reading["app"], reading["title"], reading["pid"]) == (APPS[0], left.title, left.pid)


def test_the_daemon_counts_each_window(kwin, windows, tmp_path):
    left, right, other = windows
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    # no input can be played here: an idle limit longer than the test keeps counting on
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "1h"\n')
    daemon = DaemonProcess(kwin.env, paths)
    kwin.focus(other)
    daemon.start()
    try:
        kwin.focus(left)
        left_from = time.monotonic()
        time.sleep(6)  # the user reads "left" for six seconds
        kwin.focus(right)
        right_from = time.monotonic()
        time.sleep(4)
        kwin.focus(other)
        right_to = time.monotonic()
        back = time.time()
        wait_until(lambda: daemon.heartbeat(after=back + INTERVAL), timeout=10,
                   message="the daemon to sample after the focus moved on")
        counted_left = daemon.exact_seconds(left.title)
        counted_right = daemon.exact_seconds(right.title)
        today = daemon.today()
    finally:
        daemon.stop()
    assert counted_left == pytest.approx(right_from - left_from, abs=TOLERANCE)
    assert counted_right == pytest.approx(right_to - right_from, abs=TOLERANCE)
    items = {item["name"]: item for item in today["items"]}
    assert items[left.title]["app"] == APPS[0]
    assert items[right.title]["app"] == APPS[1]


def test_a_focus_switch_is_reported_as_it_happens(kwin, windows, platform):
    left, right, _other = windows
    kwin.focus(left)
    wait_until(lambda: seen(platform, left), timeout=5, message="left reported")
    while platform.wait_for_change(0.3) is not None:
        pass
    before = time.time()
    kwin.focus(right)
    after = time.time()
    reported = platform.wait_for_change(5.0)
    assert reported is not None
    assert before <= reported <= after + 0.1


def test_the_away_switch_counts_nothing_after_the_last_input(kwin, windows, platform, tmp_path):
    """KWin's virtual seat has had no input since it started: its idle time is the absence.

    With an idle limit a few seconds beyond it, "left" counts from the daemon's start; the
    focus then moves to "right" with nobody there, and the limit passes: every second after
    the last input (KWin's start) is cut, from both windows.
    """
    left, right, _other = windows
    kwin.focus(left)
    idle_now = platform.idle_seconds()
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    limit = int(idle_now) + 6
    write_test_config(paths, f'[tracking]\nsample_every = "1s"\nidle_after = "{limit}s"\n')
    daemon = DaemonProcess(kwin.env, paths)
    daemon.start()
    try:
        wait_until(lambda: daemon.exact_seconds(left.title) > 1.0, timeout=10, message="left counting")
        kwin.focus(right)
        wait_until(lambda: daemon.exact_seconds(right.title) > 0.5, timeout=10, message="right counting")
        wait_until(lambda: (daemon.heartbeat() or {}).get("status") == "idle", timeout=20,
                   message="the idle limit to pass")
        counted_left = daemon.exact_seconds(left.title)
        counted_right = daemon.exact_seconds(right.title)
    finally:
        daemon.stop()
    # the idle protocol reports no input from before the daemon subscribed: its start is
    # the last input it knows of; "left" keeps at most those first moments, "right" nothing
    assert counted_left < 0.5
    assert counted_right == 0.0


def test_a_kwin_restart_is_noticed_and_survived(kwin, platform):
    """Last in the module: it restarts KWin, and the windows go with it."""
    platform.active_window()  # loads the script into this KWin
    kwin.stop_compositor()

    def lost() -> str | None:
        try:
            platform.active_window()
        except PlatformUnavailable as err:
            return str(err)
        return None

    reason = wait_until(lost, timeout=10, message="the backend to notice KWin has gone")
    assert "KWin left the D-Bus session bus" in reason
    kwin.start()
    platform.close()  # what the sampler does after PlatformUnavailable
    wait_until(lambda: platform.active_window() is None, timeout=10,
               message="the script to load into the new KWin (no window is open)")
    fresh = kwin.open_window("unscroll-kde after restart", process_name=APPS[0])
    wait_until(lambda: seen(platform, fresh), timeout=5, message="the new KWin's window reported")


def test_minimise_hides_the_window_through_a_kwin_script(kwin, windows, platform):
    social = kwin.open_window("unscroll-kde social", process_name="unscroll-kde-social")
    wait_until(lambda: seen(platform, social), timeout=10, message="the social window to be active")
    active = platform.active_window()
    assert active is not None
    assert active.handle
    assert platform.minimise(active.handle)
    wait_until(lambda: not seen(platform, social), timeout=10,
               message="KWin to move the focus off the minimised window")
    assert platform.minimise("{00000000-0000-0000-0000-000000000000}") is False
