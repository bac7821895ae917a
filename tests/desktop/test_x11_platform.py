"""The X11 backend against real X clients on Xvfb + openbox (see harness.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from Xlib import Xatom
from Xlib import display as xdisplay

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import open_platform
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.x11 import PID_REUSED_READS, X11Platform, choose_app, process_name
from tests.desktop.harness import NOTIFICATIONS, Desktop, XServer
from tests.helpers import wait_until


@pytest.fixture
def platform(desktop: Desktop) -> Iterator[X11Platform]:
    opened = X11Platform(desktop.display)
    yield opened
    opened.close()


@pytest.fixture
def bare_x(tmp_path: Path) -> Iterator[XServer]:
    """A second X server without a window manager, for failure cases."""
    server = XServer.start(tmp_path)
    yield server
    os.kill(server.proc.pid, signal.SIGCONT)  # in case a test left it stopped
    server.stop()


def xprop(desktop: Desktop, window_id: int, *names: str) -> str:
    return desktop.run("xprop", "-id", str(window_id), *names)


def vanished_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def read_focused(desktop: Desktop, platform: X11Platform, window_id: int) -> ActiveWindow:
    """Read the focused window, checking first that the desktop has ``window_id`` focused."""
    assert desktop.active_window_id() == window_id
    result = platform.active_window()
    assert result is not None
    return result


# -- titles -------------------------------------------------------------------------------


def test_utf8_net_wm_name_with_emoji_and_rtl(desktop: Desktop, platform: X11Platform) -> None:
    title = "Chat 💬 — שלום עולם · مرحبا بالعالم"
    window = desktop.open_window(title, kind="utf8", process_name="chatapp")
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen == ActiveWindow(app="chatapp", title=title, pid=window.pid,
                               handle=f"0x{window.window_id:x}")


def test_net_wm_name_stored_as_string(desktop: Desktop, platform: X11Platform) -> None:
    window = desktop.open_window("Plain café menu", kind="string")
    assert "_NET_WM_NAME(STRING)" in xprop(desktop, window.window_id, "_NET_WM_NAME")
    desktop.focus(window)
    assert read_focused(desktop, platform, window.window_id).title == "Plain café menu"


def test_wm_name_string_only(desktop: Desktop, platform: X11Platform) -> None:
    window = desktop.open_window("Old-style client ±", kind="wm_name")
    out = xprop(desktop, window.window_id, "WM_NAME", "_NET_WM_NAME")
    assert "WM_NAME(STRING)" in out
    assert "_NET_WM_NAME:  not found" in out
    desktop.focus(window)
    assert read_focused(desktop, platform, window.window_id).title == "Old-style client ±"


def test_xterm_compound_text_title(desktop: Desktop, platform: X11Platform) -> None:
    title = "Page — Mozilla Firefox"
    window = desktop.open_window(title)
    # xterm really takes the COMPOUND_TEXT path here: no _NET_WM_NAME at all.
    out = xprop(desktop, window.window_id, "WM_NAME", "_NET_WM_NAME")
    assert "WM_NAME(COMPOUND_TEXT)" in out
    assert "_NET_WM_NAME:  not found" in out
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen == ActiveWindow(app="xterm", title=title, pid=window.pid,
                               handle=f"0x{window.window_id:x}")


def test_renamed_xterm_reports_its_process_name(desktop: Desktop, platform: X11Platform) -> None:
    window = desktop.open_window("Page — Mozilla Firefox", process_name="firefox")
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen.app == "firefox"
    assert seen.pid == window.pid


def test_long_title_is_read_whole(desktop: Desktop, platform: X11Platform) -> None:
    title = ("Długi tytuł 💬 שלום " * 600)[:10_000]
    window = desktop.open_window(title, kind="utf8")
    desktop.focus(window)
    assert read_focused(desktop, platform, window.window_id).title == title


def test_invalid_utf8_title_is_replaced(desktop: Desktop, platform: X11Platform) -> None:
    window = desktop.open_window(b"Broken \xff\xfe title \xc3", kind="utf8")
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen.title == "Broken \ufffd\ufffd title \ufffd"


# -- processes ----------------------------------------------------------------------------


def test_window_without_net_wm_pid_found_by_x_resource(desktop: Desktop,
                                                        platform: X11Platform) -> None:
    window = desktop.open_window("No pid here", kind="nopid", process_name="tkapp")
    assert "_NET_WM_PID:  not found" in xprop(desktop, window.window_id, "_NET_WM_PID")
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen == ActiveWindow(app="tkapp", title="No pid here", pid=window.pid,
                               handle=f"0x{window.window_id:x}")


def test_a_focused_window_keeps_its_pid_and_is_asked_again_now_and_then(
        desktop: Desktop, platform: X11Platform) -> None:
    first = desktop.open_window("Kept pid", kind="utf8", process_name="keptapp")
    other = desktop.open_window("Other", kind="utf8", process_name="otherapp")
    desktop.focus(first)
    assert read_focused(desktop, platform, first.window_id).pid == first.pid
    # the client says another pid now (as a reused window id would): reads go on reusing the
    # one found, while the focus stays, then ask again
    xprop(desktop, first.window_id, "-f", "_NET_WM_PID", "32c", "-set", "_NET_WM_PID", str(os.getpid()))
    reused = [read_focused(desktop, platform, first.window_id).pid for _ in range(PID_REUSED_READS)]
    assert reused == [first.pid] * PID_REUSED_READS
    assert read_focused(desktop, platform, first.window_id) == ActiveWindow(
        app=process_name(os.getpid()), title="Kept pid", pid=os.getpid(), handle=f"0x{first.window_id:x}")
    # a focus change asks at once: the pid is never carried from one window to another
    desktop.focus(other)
    assert read_focused(desktop, platform, other.window_id).pid == other.pid
    xprop(desktop, first.window_id, "-f", "_NET_WM_PID", "32c", "-set", "_NET_WM_PID", str(first.pid))
    desktop.focus(first)
    assert read_focused(desktop, platform, first.window_id).pid == first.pid


def test_process_gone_before_its_name_is_read(desktop: Desktop, platform: X11Platform) -> None:
    # The window advertises a pid whose process has exited: the same state as a process
    # that exits between reading _NET_WM_PID and asking for its name.
    dead = vanished_pid()
    window = desktop.open_window("Orphan", kind="utf8", net_wm_pid=dead,
                                 wm_class=("orphan", "OrphanApp"))
    desktop.focus(window)
    seen = read_focused(desktop, platform, window.window_id)
    assert seen == ActiveWindow(app="OrphanApp", title="Orphan", pid=dead,
                               handle=f"0x{window.window_id:x}")


def test_app_name_decision_for_a_vanished_pid() -> None:
    dead = vanished_pid()
    assert process_name(dead) is None
    assert process_name(None) is None
    assert process_name(os.getpid()) == subprocess.run(
        ["ps", "-o", "comm=", "-p", str(os.getpid())], capture_output=True, text=True,
        check=True).stdout.strip()
    assert choose_app(process_name(dead), ("Navigator", "firefox")) == "firefox"
    assert choose_app(None, ("instance-only", "")) == "instance-only"
    assert choose_app(None, None) == "unknown"
    assert choose_app("code", ("x", "y")) == "code"


# -- idle ---------------------------------------------------------------------------------


def test_idle_grows_without_input_and_drops_after_input(desktop: Desktop,
                                                        platform: X11Platform) -> None:
    desktop.touch_input()
    start = platform.idle_seconds()
    grown = wait_until(lambda: (v := platform.idle_seconds()) > start + 0.5 and v,
                       timeout=10, message="the idle time to grow")
    desktop.touch_input()
    assert platform.idle_seconds() < grown


def test_idle_without_screensaver_extension_uses_pynput(tmp_path: Path) -> None:
    server = XServer.start(tmp_path, extra_args=["-extension", "MIT-SCREEN-SAVER"])
    env = {**os.environ, "DISPLAY": server.display}
    fallback = X11Platform(server.display)
    try:
        start = fallback.idle_seconds()
        grown = wait_until(lambda: (v := fallback.idle_seconds()) > start + 0.3 and v,
                           timeout=10, message="the idle time to grow")
        subprocess.run(["xdotool", "mousemove", "7", "7"], env=env, check=True, timeout=10)
        wait_until(lambda: fallback.idle_seconds() < grown, timeout=10,
                   message="pynput to see the pointer move")
        fallback.close()
        # close() ends pynput's listener threads (not only at the next input event).
        assert not [t for t in threading.enumerate() if type(t).__name__ == "Listener"]
    finally:
        fallback.close()
        server.stop()


# -- no window, vanished windows, lost servers ----------------------------------------------


def test_no_active_window_and_vanished_window(bare_x: XServer) -> None:
    reader = X11Platform(bare_x.display)
    try:
        assert reader.active_window() is None  # no window manager: no _NET_ACTIVE_WINDOW
        conn = xdisplay.Display(bare_x.display)
        root = conn.screen().root
        # A window id that does not exist (closed between the two reads): BadWindow -> None.
        root.change_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32,
                             [0x3FFFFF])
        conn.sync()
        assert reader.active_window() is None
        root.change_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [0])
        conn.sync()
        assert reader.active_window() is None
        conn.close()
    finally:
        reader.close()


def test_display_opens_lazily_with_a_clear_error() -> None:
    lazy = X11Platform(":4242")  # nothing listens there; constructing must not connect
    with pytest.raises(PlatformUnavailable, match=r"cannot open X display :4242"):
        lazy.idle_seconds()


def test_stopped_server_does_not_hang_a_call(bare_x: XServer) -> None:
    reader = X11Platform(bare_x.display, timeout=1)
    assert reader.idle_seconds() >= 0
    os.kill(bare_x.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(PlatformUnavailable, match="stopped answering"):
            reader.idle_seconds()
        with pytest.raises(PlatformUnavailable, match="stopped answering"):
            reader.active_window()  # stays unavailable until closed
    finally:
        os.kill(bare_x.proc.pid, signal.SIGCONT)
    reader.close()
    assert reader.idle_seconds() >= 0  # close() lets it connect again
    reader.close()


def test_stopped_server_does_not_hang_opening(bare_x: XServer) -> None:
    os.kill(bare_x.proc.pid, signal.SIGSTOP)
    try:
        with pytest.raises(PlatformUnavailable, match="did not answer within 1 s"):
            X11Platform(bare_x.display, timeout=1).idle_seconds()
        # A second attempt while the first is still blocked fails at once.
        with pytest.raises(PlatformUnavailable, match="still waiting"):
            X11Platform(bare_x.display, timeout=1).idle_seconds()
    finally:
        os.kill(bare_x.proc.pid, signal.SIGCONT)

    def connects() -> bool:
        reader = X11Platform(bare_x.display, timeout=1)
        try:
            return reader.idle_seconds() >= 0
        except PlatformUnavailable:
            return False  # the abandoned attempt has not finished yet
        finally:
            reader.close()

    wait_until(connects, timeout=10, message="the resumed server to accept a new platform")


def test_factory_opens_the_x11_backend(desktop: Desktop) -> None:
    opened = open_platform({"DISPLAY": desktop.display, "XDG_SESSION_TYPE": "x11"})
    try:
        assert opened.name == "x11"
        assert opened.idle_seconds() >= 0
    finally:
        opened.close()


def test_x_server_restart(desktop: Desktop, platform: X11Platform) -> None:
    before = desktop.open_window("Before restart", kind="utf8")
    desktop.focus(before)
    assert read_focused(desktop, platform, before.window_id).title == "Before restart"

    desktop.restart_x()

    with pytest.raises(PlatformUnavailable, match="lost the connection to the X server"):
        platform.active_window()
    with pytest.raises(PlatformUnavailable, match="lost the connection to the X server"):
        platform.idle_seconds()

    fresh = X11Platform(desktop.display)
    try:
        after = desktop.open_window("After restart", kind="utf8", process_name="afterapp")
        desktop.focus(after)
        seen = read_focused(desktop, fresh, after.window_id)
        assert seen == ActiveWindow(app="afterapp", title="After restart", pid=after.pid,
                                     handle=f"0x{after.window_id:x}")
    finally:
        fresh.close()
    platform.close()
    assert platform.idle_seconds() >= 0  # the old object works again once closed
    # The harness restarted the rest of the desktop too.
    assert desktop.bus_name_owner_pid(NOTIFICATIONS) == desktop.dunst_pid


def test_sample_explains_a_window_manager_without_ewmh(bare_x: XServer, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": bare_x.display, "XDG_SESSION_TYPE": "x11",
           "UNSCROLL_CONFIG": str(tmp_path / "config.toml"), "UNSCROLL_DATA_DIR": str(tmp_path / "data")}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, "-m", "monitor", "sample"], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    assert "app: -" in done.stdout
    assert "No window has the focus now" in done.stdout
    assert "_NET_ACTIVE_WINDOW" in done.stdout
