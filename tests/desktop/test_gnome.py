"""unscroll's GNOME Shell extension, the GNOME backend and the real daemon on a real headless GNOME Shell 43.

Everything here is real: Debian's gnome-shell 43 (``--headless --wayland``, see
gnome_session.py), the extension as ``unscroll gnome install`` puts it in place, Mutter's
idle monitor, foot windows. The test helper extension plays what a person does with the
mouse (a click that focuses a window, a pointer move).

What cannot be played here: GNOME 45 and later (Debian 12 ships 43), so the extension's
ES-module form is only parsed by gjs (tests/tracking/test_platform_gnome_extension.py); it was
run once by hand on GNOME Shell 48.7 from Debian 13 in a chroot, the same way.
"""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.core.paths import Paths
from monitor.tracking.platforms import detect_backend, open_platform
from monitor.tracking.platforms.gnome_focus import UUID
from monitor.tracking.platforms.gnome_setup import LEFT_TO_YOU
from monitor.tracking.platforms.gnome_shell import GnomeShellPlatform
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.gnome_session import HELPER, GnomeSession, GnomeWindow
from tests.desktop.wayland_session import running
from tests.helpers import wait_until

INTERVAL = 1.0
TOLERANCE = INTERVAL + 0.5  # a sample interval, plus the Shell focusing the window
APPS = ("unscroll-gnome-left", "unscroll-gnome-right", "unscroll-gnome-other")


@pytest.fixture(scope="module")
def gnome() -> Iterator[GnomeSession]:
    """A GNOME Shell that loaded unscroll's extension at start (installed before it, as at a login)."""
    with running(GnomeSession, "unscroll-gnome-") as session:
        yield session


@pytest.fixture(scope="module")
def windows(gnome: GnomeSession) -> tuple[GnomeWindow, GnomeWindow, GnomeWindow]:
    left = gnome.open_window("unscroll-gnome left", app_id="org.example.Left", process_name=APPS[0])
    right = gnome.open_window("unscroll-gnome right — Ünïcode", app_id="org.example.Right",
                              process_name=APPS[1])
    other = gnome.open_window("unscroll-gnome other", app_id="org.example.Other", process_name=APPS[2])
    return left, right, other


@pytest.fixture
def platform(gnome: GnomeSession) -> Iterator[GnomeShellPlatform]:
    opened = open_platform(gnome.env)
    assert isinstance(opened, GnomeShellPlatform)
    yield opened
    opened.close()


def seen(platform: GnomeShellPlatform, title: str) -> bool:
    current = platform.active_window()
    return current is not None and current.title == title


def drain(platform: GnomeShellPlatform) -> None:
    while platform.wait_for_change(0.3) is not None:
        pass


def one_line(result) -> str:
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_install_then_log_in_again(tmp_path):
    """On GNOME 43 without the extension: start says what to do, install does it, a login loads it."""
    def without_it(workdir: Path) -> GnomeSession:
        return GnomeSession(workdir, install_unscroll=False)

    with running(without_it, "unscroll-gnome-new-") as fresh:
        before = fresh.unscroll("gnome", "status")
        assert "installed:        no" in before.stdout
        assert "not installed: run `unscroll gnome install`" in before.stdout
        start = fresh.unscroll("start", env={"UNSCROLL_CONFIG": str(tmp_path / "config.toml"),
                                             "UNSCROLL_DATA_DIR": str(tmp_path / "data")})
        refusal = one_line(start)
        assert "This is GNOME on Wayland" in refusal
        assert "run `unscroll gnome install`" in refusal
        assert LEFT_TO_YOU in refusal

        installed = fresh.unscroll("gnome", "install")
        assert installed.returncode == 0, installed.stderr
        folder = fresh.home / ".local" / "share" / "gnome-shell" / "extensions" / UUID
        first, advice = installed.stdout.strip().splitlines()
        assert first == (f"Installed unscroll's GNOME Shell extension (for GNOME 43 and 44) in {folder} "
                         "and turned it on.")
        assert advice == f"unscroll's GNOME Shell extension was installed after you logged in. {LEFT_TO_YOU}"
        assert sorted(p.name for p in folder.iterdir()) == ["extension.js", "metadata.json"]
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in folder.iterdir())
        assert fresh.enabled_extensions() == [HELPER, UUID]  # the person's other extensions stay on
        assert "GNOME Shell says: does not know it (not loaded)" in fresh.unscroll("gnome", "status").stdout

        fresh.restart_shell()  # logging out and back in
        after = json.loads(fresh.unscroll("gnome", "status", "--json").stdout)
        assert (after["shell_version"], after["shell_state"]) == ("43.9", "enabled")
        assert after["answering_version"] == 1
        assert after["advice"] == ("unscroll's GNOME Shell extension answers (version 1): "
                                   "nothing is left to do.")


def test_the_factory_picks_gnome_and_unscrolls_extension(gnome, windows, platform):
    assert detect_backend(gnome.env, "linux") == "gnome"
    gnome.focus(windows[0])
    current = wait_until(platform.active_window, timeout=5, message="a focused window")
    assert (current.app, current.title, current.pid) == (APPS[0], windows[0].title, windows[0].pid)
    assert current.handle
    assert current.handle.isdigit()


def test_reads_each_focused_window(gnome, windows, platform):
    for window, app in ((windows[1], APPS[1]), (windows[2], APPS[2]), (windows[0], APPS[0])):
        gnome.focus(window)
        wait_until(lambda w=window: seen(platform, w.title), timeout=5, message=f"{window.title!r} read")
        current = platform.active_window()
        assert current is not None
        assert (current.app, current.pid) == (app, window.pid)


def test_a_focus_switch_is_signalled_as_it_happens(gnome, windows, platform):
    left, right, _other = windows
    gnome.focus(left)
    wait_until(lambda: seen(platform, left.title), timeout=5, message="left read")
    drain(platform)
    before = time.time()
    gnome.focus(right)
    after = time.time()
    reported = platform.wait_for_change(5.0)
    assert reported is not None
    assert before <= reported <= after + 0.1


def test_a_title_change_is_signalled_and_read(gnome, windows, platform):
    _left, _right, other = windows
    gnome.focus(other)
    wait_until(lambda: seen(platform, other.title), timeout=5, message="other read")
    drain(platform)
    old = other.title
    before = time.time()
    gnome.retitle(other, "unscroll-gnome other — page 2")
    reported = platform.wait_for_change(5.0)
    assert reported is not None
    assert reported >= before
    assert seen(platform, "unscroll-gnome other — page 2")
    gnome.retitle(other, old)


def test_idle_time_comes_from_mutter_and_input_wakes_the_daemon(gnome, platform):
    wait_until(lambda: platform.idle_seconds() > 1.0, timeout=10, message="idle time to pass a second")
    platform.active_window()  # subscribes
    drain(platform)
    platform.wake_on_input(True)  # the person counts as away: Mutter tells of the next input
    time.sleep(0.5)
    assert platform.wait_for_change(0.2) is None
    before = time.time()
    gnome.move_pointer()
    woke = platform.wait_for_change(5.0)
    assert woke is not None
    assert woke >= before
    assert platform.idle_seconds() < 1.0


def test_minimise_by_window_id(gnome, platform):
    social = gnome.open_window("unscroll-gnome social", app_id="org.example.Social",
                               process_name="unscroll-gnome-social")
    wait_until(lambda: seen(platform, social.title), timeout=10, message="the social window focused")
    active = platform.active_window()
    assert active is not None
    assert active.handle is not None
    assert platform.minimise(active.handle)
    wait_until(lambda: gnome.minimised(social.title), timeout=5, message="the Shell to minimise it")
    wait_until(lambda: not seen(platform, social.title), timeout=5, message="the focus to move on")
    assert platform.minimise("4294967295") is False


def test_turned_off_then_on_again_at_runtime(gnome, windows, platform):
    gnome.focus(windows[0])
    wait_until(lambda: seen(platform, windows[0].title), timeout=5, message="left read")
    extensions = ("/org/gnome/Shell", "org.gnome.Shell.Extensions")
    gnome.call(extensions[0], f"{extensions[1]}.DisableExtension", UUID)
    with pytest.raises(PlatformUnavailable, match="unscroll GNOME Shell extension stopped answering"):
        platform.active_window()
    with pytest.raises(PlatformUnavailable, match="installed but turned off: run `unscroll gnome install`"):
        platform.active_window()
    gnome.call(extensions[0], f"{extensions[1]}.EnableExtension", UUID)
    wait_until(lambda: seen(platform, windows[0].title), timeout=5, message="the extension back")


def test_the_daemon_counts_each_window_and_the_new_title(gnome, windows, tmp_path):
    left, right, other = windows
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    # no input is played here: an idle limit longer than the test keeps counting on
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "1h"\n')
    daemon = DaemonProcess(gnome.env, paths)
    gnome.focus(other)
    daemon.start()
    try:
        gnome.focus(left)
        left_from = time.monotonic()
        time.sleep(3)
        gnome.focus(right)
        right_from = time.monotonic()
        time.sleep(2)
        old_title = right.title
        gnome.retitle(right, "unscroll-gnome right — later")
        renamed_from = time.monotonic()
        time.sleep(2)
        gnome.focus(other)
        renamed_to = time.monotonic()
        back = time.time()
        wait_until(lambda: daemon.heartbeat(after=back + INTERVAL), timeout=10,
                   message="the daemon to sample after the focus moved on")
        counted = {title: daemon.exact_seconds(title) for title in (left.title, old_title, right.title)}
        today = daemon.today()
    finally:
        daemon.stop()
    gnome.retitle(right, old_title)
    assert counted[left.title] == pytest.approx(right_from - left_from, abs=TOLERANCE)
    assert counted[old_title] == pytest.approx(renamed_from - right_from, abs=TOLERANCE)
    assert counted[right.title] == pytest.approx(renamed_to - renamed_from, abs=TOLERANCE)
    items = {item["name"]: item for item in today["items"]}
    assert items[left.title]["app"] == APPS[0]
    assert items["unscroll-gnome right — later"]["app"] == APPS[1]


def test_a_shell_restart_is_ridden_out_by_the_daemon(gnome, windows, tmp_path):
    """Last in the module: it restarts the Shell, and the windows go with it."""
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "1h"\n')
    daemon = DaemonProcess(gnome.env, paths)
    gnome.focus(windows[0])
    daemon.start()
    try:
        wait_until(lambda: daemon.exact_seconds(windows[0].title) > 1.0, timeout=10, message="left counting")
        gnome.restart_shell()
        fresh = gnome.open_window("unscroll-gnome after restart", app_id="org.example.Left",
                                  process_name=APPS[0])
        focused_from = time.monotonic()
        wait_until(lambda: daemon.exact_seconds(fresh.title) > 2.0, timeout=15,
                   message="the daemon to count a window of the new Shell")
        counted = daemon.exact_seconds(fresh.title)
        assert daemon.process is not None
        assert daemon.process.poll() is None
        log = Path(daemon.paths.data_dir).glob("*.log")
    finally:
        daemon.stop()
    assert counted <= time.monotonic() - focused_from + TOLERANCE
    assert any("GNOME Shell" in path.read_text(errors="replace") for path in log)
