"""The daemon's side of the tray with a real tray process: started, heard, restarted, stopped.

Here no D-Bus session bus is reachable, so the real process reports that it cannot show
the icon; tests/desktop/test_tray.py runs it with a bus and a real tray host.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from monitor.store.database import Store
from monitor.tray.runner import RESTART_FIRST, TrayRunner
from monitor.tray.standing import OFF, read_standing
from tests.conftest import write_config
from tests.helpers import wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the D-Bus tray is Linux's")


def standing(paths):
    with Store(paths.database) as store:
        return read_standing(store)


@pytest.fixture
def no_bus(user_paths, monkeypatch):
    """The settings and store of a user whose desktop has no session bus."""
    for name in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    write_config(user_paths, '[budgets]\nsocial = "30m"\n')
    Store(user_paths.database).close()  # the daemon makes the store before the tray starts
    return user_paths


def test_without_a_session_bus_the_error_is_kept_and_a_retry_planned(no_bus):
    now = [1000.0]
    quits = []
    runner = TrayRunner(no_bus, on_quit=lambda: quits.append(True), clock=lambda: now[0])
    try:
        runner.follow(True)
        assert standing(no_bus).state in ("starting", runner.state)
        wait_until(lambda: not runner.running, timeout=30, message="the tray process to give up")
        kept = wait_until(lambda: (s := standing(no_bus)) and s.state.startswith("error: ") and s, timeout=10,
                          message="the error to be kept")
        assert kept.state.startswith("error: cannot connect to the D-Bus session bus")
        assert runner.state == kept.state
        runner.notify()  # too soon: no new process
        assert not runner.running
        now[0] += RESTART_FIRST
        runner.notify()  # the retry is due
        assert runner.running or standing(no_bus).state.startswith("error: ")
    finally:
        runner.close()
    assert not runner.running
    assert quits == []


def test_turned_off_in_the_settings_it_stops_and_says_off(no_bus):
    runner = TrayRunner(no_bus, on_quit=lambda: None)
    try:
        runner.follow(False)
        assert standing(no_bus).state == OFF
        assert not runner.running
    finally:
        runner.close()


def test_the_tray_process_says_why_it_cannot_show_the_icon_and_ends(no_bus):
    """One JSON line for the daemon (the state), the same reason logged; exit status 1."""
    child = subprocess.run([sys.executable, "-m", "monitor.tray"], input=b"tick\n", capture_output=True,
                           timeout=30, check=False)
    assert child.returncode == 1
    lines = child.stdout.decode().splitlines()
    assert lines[0].startswith('{"tray": "error: cannot connect to the D-Bus session bus')
    assert child.stderr == b""
