"""The real daemon on the real desktop: it counts what had the user's attention, honestly."""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from monitor.core.paths import Paths
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

INTERVAL = 1.0
APP = "unscroll-probe"  # a process name no category rule knows: items are then named by title
TOLERANCE = INTERVAL + 0.25  # one sample interval, plus xdotool's own latency


def hold(desktop: Desktop, seconds: float, *, active: bool = True) -> float:
    """Play a user for ``seconds``: touching the input every 0.3 s when active. Returns the time held."""
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        if active:
            desktop.touch_input()
        time.sleep(min(0.3, max(0.0, deadline - time.monotonic())))
    return time.monotonic() - start


def active_until(desktop: Desktop, check, timeout: float, message: str):
    """Keep the user active (touching the input) until ``check`` holds."""
    def touched_check():
        desktop.touch_input()
        return check()
    return wait_until(touched_check, timeout=timeout, interval=0.3, message=message)


@pytest.fixture
def daemon(desktop: Desktop, tmp_path) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "3s"\n')
    process = DaemonProcess(desktop.env, paths)
    yield process
    process.stop()


def test_counts_each_window_within_one_sample_interval(desktop, daemon):
    other = desktop.open_window("unscroll-test other", process_name=APP)
    left = desktop.open_window("unscroll-test left", process_name=APP)
    right = desktop.open_window("unscroll-test right", process_name=APP)
    desktop.focus(other)
    daemon.start()

    desktop.focus(left)
    held_left = hold(desktop, 8)
    desktop.focus(right)
    held_right = hold(desktop, 5)
    # the user walks away with "right" still focused: nothing more may count
    hold(desktop, 7, active=False)
    desktop.focus(other)
    desktop.touch_input()
    wait_until(lambda: daemon.exact_seconds("unscroll-test other") > 0, timeout=10,
               message="the daemon to see the user back")

    assert daemon.exact_seconds("unscroll-test left") == pytest.approx(held_left, abs=TOLERANCE)
    assert daemon.exact_seconds("unscroll-test right") == pytest.approx(held_right, abs=TOLERANCE)
    today = daemon.today()
    [left_item] = [item for item in today["items"] if item["name"] == "unscroll-test left"]
    assert left_item["app"] == APP
    assert left_item["seconds"] == pytest.approx(held_left, abs=TOLERANCE + 0.5)
    assert today["total_seconds"] >= left_item["seconds"]


def test_a_stopped_daemon_does_not_count_the_gap(desktop, daemon):
    window = desktop.open_window("unscroll-test sleeper", process_name=APP)
    desktop.focus(window)
    daemon.start()
    before = hold(desktop, 3)
    daemon.signal(signal.SIGSTOP)
    hold(desktop, 5)  # the laptop "sleeps": longer than the pulse of 1.5 s
    daemon.signal(signal.SIGCONT)
    after = hold(desktop, 3)
    daemon.stop()
    counted = daemon.exact_seconds("unscroll-test sleeper")
    # both waking stretches count (each to one interval); the stopped five seconds do not
    assert counted == pytest.approx(before + after, abs=2 * TOLERANCE)
    assert counted < before + after + 2


def test_second_start_changes_nothing_and_stop_is_quick(desktop, daemon):
    window = desktop.open_window("unscroll-test single", process_name=APP)
    desktop.focus(window)
    daemon.start()
    first_pid = daemon.process.pid
    second = daemon.cli("start")
    assert "already running" in second.stdout
    status = daemon.cli("status", "--json")
    assert f'"pid": {first_pid}' in status.stdout
    started = time.monotonic()
    daemon.cli("stop")
    daemon.process.wait(timeout=5)
    assert time.monotonic() - started < 2.0 + 1.5  # two seconds, plus the CLI's own start-up
    assert "not running" in daemon.cli("status").stdout


def test_detached_start_and_stop(desktop, daemon):
    desktop.focus(desktop.open_window("unscroll-test detached", process_name=APP))
    started = daemon.cli("start")
    assert "unscroll started" in started.stdout
    active_until(desktop, lambda: daemon.exact_seconds("unscroll-test detached") > 1.0, timeout=15,
                 message="the detached daemon to count")
    assert "unscroll stopped" in daemon.cli("stop").stdout


def test_sigkill_ten_times_loses_at_most_one_interval_each(desktop, daemon):
    window = desktop.open_window("unscroll-test killed", process_name=APP)
    desktop.focus(window)
    running_total = 0.0
    for _round in range(10):
        daemon.start()
        first = daemon.heartbeat()
        assert first is not None
        held = hold(desktop, 2.2)
        daemon.kill()
        running_total += held
    with sqlite3.connect(daemon.paths.database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counted = daemon.exact_seconds("unscroll-test killed")
    # each round may lose up to one interval at its end and one at its first sample
    assert counted >= running_total - 10 * 2 * INTERVAL
    assert counted <= running_total + 0.5


def test_pause_and_resume(desktop, daemon):
    window = desktop.open_window("unscroll-test paused", process_name=APP)
    desktop.focus(window)
    daemon.start()
    hold(desktop, 2)
    daemon.cli("pause")
    wait_until(lambda: (daemon.heartbeat() or {}).get("status") == "paused", timeout=5,
               message="the daemon to pause")
    paused_at = daemon.exact_seconds("unscroll-test paused")
    hold(desktop, 3)
    assert daemon.exact_seconds("unscroll-test paused") == paused_at
    assert "paused" in daemon.cli("status").stdout
    daemon.cli("resume")
    active_until(desktop, lambda: daemon.exact_seconds("unscroll-test paused") > paused_at + 1,
                 timeout=10, message="counting to resume")


def test_an_edited_sample_interval_takes_effect_without_a_restart(desktop, daemon):
    window = desktop.open_window("unscroll-test faster", process_name=APP)
    desktop.focus(window)
    daemon.start()
    write_test_config(daemon.paths, '[tracking]\nsample_every = "0.2s"\nidle_after = "3s"\n')
    wait_until(lambda: "sampling every 0.2 s now" in daemon.paths.log_file.read_text(), timeout=10,
               message="the daemon to reschedule")
    beat = daemon.heartbeat()
    assert beat is not None
    # ten more samples: 2 s at the new interval, 10 s at the old one
    wait_until(lambda: (daemon.heartbeat() or {"ticks": 0})["ticks"] >= beat["ticks"] + 10, timeout=5,
               message="samples every 0.2 s")
    daemon.stop()
    assert "the daemon failed" not in daemon.paths.log_file.read_text()
