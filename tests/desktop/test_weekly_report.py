"""The weekly report job on the real daemon: once at its moment, once after a sleep across it."""

from __future__ import annotations

import signal
import time
from datetime import datetime, timedelta

import pytest

from monitor.core.days import local_zone
from monitor.core.paths import Paths
from monitor.core.settings import WEEKDAYS
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until


def weekly_at(seconds_from_now: float) -> str:
    moment = datetime.now(local_zone()) + timedelta(seconds=seconds_from_now)
    return f"{WEEKDAYS[moment.weekday()]} {moment:%H:%M:%S}"


def weekly_notices(notifications) -> list:
    return [n for n in notifications.notifications if n.summary.startswith("Your week")]


@pytest.fixture
def make_daemon(desktop: Desktop, tmp_path):
    started: list[DaemonProcess] = []

    def make(seconds_from_now: float) -> DaemonProcess:
        paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
        write_test_config(paths, f'[tracking]\nsample_every = "1s"\n'
                                 f'[reports]\nweekly_at = "{weekly_at(seconds_from_now)}"\n')
        process = DaemonProcess(desktop.env, paths)
        started.append(process)
        return process

    yield make
    for process in started:
        process.stop()


def test_fires_once_at_its_moment_with_an_open_button(desktop, notifications, make_daemon):
    desktop.focus(desktop.open_window("unscroll-test weekly", process_name="unscroll-probe"))
    daemon = make_daemon(5).start()
    [notice] = notifications.wait_for(1, timeout=30) and weekly_notices(notifications)
    assert "on social" in notice.body
    assert "Open report" in notice.labels
    reports = list((daemon.paths.data_dir / "reports").glob("week-*.png"))
    assert len(reports) == 1
    assert reports[0].stat().st_size > 10_000
    # the moment has passed: a restart must not announce the same week again
    daemon.stop()
    daemon.start()
    beat = daemon.heartbeat()
    wait_until(lambda: daemon.heartbeat(after=beat["at"] + 3), timeout=15, message="three more samples")
    assert len(weekly_notices(notifications)) == 1


def test_a_sleep_across_the_moment_fires_it_once_on_waking(desktop, notifications, make_daemon):
    desktop.focus(desktop.open_window("unscroll-test sleepy", process_name="unscroll-probe"))
    daemon = make_daemon(6).start()
    daemon.signal(signal.SIGSTOP)
    time.sleep(10)  # the laptop sleeps through the report's moment
    assert weekly_notices(notifications) == []
    daemon.signal(signal.SIGCONT)
    wait_until(lambda: weekly_notices(notifications), timeout=20, message="the report on waking")
    beat = daemon.heartbeat()
    wait_until(lambda: daemon.heartbeat(after=beat["at"] + 3), timeout=15, message="three more samples")
    assert len(weekly_notices(notifications)) == 1
