"""Self-tests of the desktop harness: the stack is ours, notifications are seen and pressed."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from tests.desktop.harness import NOTIFICATIONS, Desktop, Notifications


def notify(desktop: Desktop, *args: str) -> subprocess.Popen[str]:
    """notify-send --wait: prints the invoked action key, exits when the notification ends."""
    return subprocess.Popen(["notify-send", "--wait", *args], env=desktop.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_environment_is_private(desktop: Desktop) -> None:
    env = desktop.env
    assert env["DISPLAY"] == desktop.display
    assert env["DBUS_SESSION_BUS_ADDRESS"] == desktop.bus_address
    for key in ("HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        assert Path(env[key]).is_relative_to(desktop.workdir), key
    assert stat.S_IMODE(Path(env["XDG_RUNTIME_DIR"]).stat().st_mode) == 0o700
    assert "WAYLAND_DISPLAY" not in env


def test_our_dunst_owns_the_notification_service(desktop: Desktop) -> None:
    assert desktop.bus_name_owner_pid(NOTIFICATIONS) == desktop.dunst_pid
    assert desktop.run("dunstctl", "is-paused").strip() == "false"  # dunstctl reaches it


def test_windows_open_focus_and_close(desktop: Desktop) -> None:
    first = desktop.open_window("harness first")
    second = desktop.open_window("harness second", kind="nopid")
    desktop.focus(first)
    assert desktop.active_window_id() == first.window_id
    desktop.focus(second)
    assert desktop.active_window_id() == second.window_id
    second.close()
    assert not desktop.window_exists(second.window_id)
    assert second.process.returncode is not None
    assert desktop.window_exists(first.window_id)


def test_notification_is_captured_and_its_button_pressed(desktop: Desktop,
                                                         notifications: Notifications) -> None:
    sender = notify(desktop, "--app-name=unscroll", "--action=ok=OK", "--action=later=Later",
                    "Time for a break", "You used 1h of social today.\nCall Ana?")
    (seen,) = notifications.wait_for(1)
    assert seen.app_name == "unscroll"
    assert seen.summary == "Time for a break"
    assert seen.body == "You used 1h of social today.\nCall Ana?"
    assert seen.actions == (("ok", "OK"), ("later", "Later"))
    assert seen.labels == ["OK", "Later"]
    assert seen.id is not None

    assert notifications.press("OK") == "ok"
    out, _ = sender.communicate(timeout=10)
    assert out == "ok\n"
    assert notifications.invoked[-1] == (seen.id, "ok")


def test_press_picks_the_newest_notification(desktop: Desktop,
                                             notifications: Notifications) -> None:
    older = notify(desktop, "--action=ok=OK", "older", "first")
    notifications.wait_for(1)
    newer = notify(desktop, "--action=ok=OK", "newer", "second")
    _, second = notifications.wait_for(2)
    assert second.summary == "newer"

    assert notifications.press("OK") == "ok"
    assert newer.communicate(timeout=10)[0] == "ok\n"
    assert notifications.invoked[-1] == (second.id, "ok")
    notifications.dismiss_all()
    assert older.communicate(timeout=10)[0] == ""  # closed, no action


def test_body_click_invokes_the_default_action(desktop: Desktop,
                                               notifications: Notifications) -> None:
    sender = notify(desktop, "--action=default=Open", "--action=snooze=Snooze", "Click me", "")
    (seen,) = notifications.wait_for(1)
    assert seen.labels == ["Open", "Snooze"]
    assert notifications.click_body() == "default"
    assert sender.communicate(timeout=10)[0] == "default\n"


def test_pressing_a_missing_button_fails_clearly(desktop: Desktop,
                                                 notifications: Notifications) -> None:
    sender = notify(desktop, "--action=ok=OK", "Only OK", "")
    notifications.wait_for(1)
    with pytest.raises(AssertionError, match=r"no button 'Nope' in dunst's menu.*#OK \(Only OK\)"):
        notifications.press("Nope")
    notifications.dismiss_all()
    sender.communicate(timeout=10)
