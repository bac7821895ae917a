"""Budget notices on the real stack: Xvfb, openbox, a D-Bus session bus and dunst."""

from __future__ import annotations

import time

import pytest

from monitor.core.paths import Paths
from monitor.store.database import Store
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

CONFIG = """
[tracking]
sample_every = "1s"
idle_after = "30s"

[budgets]
social = "10s"

[prompts]
warn_before = "5s"
repeat_every = "3s"
"""


def keep_active(desktop: Desktop, seconds: float) -> None:
    """Act as a user at the keyboard for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop.touch_input()
        time.sleep(0.3)


def social(notifications) -> list:
    return [n for n in notifications.notifications if n.summary.startswith("Social")]


@pytest.fixture
def daemon(desktop: Desktop, tmp_path) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, CONFIG)
    process = DaemonProcess(desktop.env, paths)
    yield process
    process.stop()


def test_facebook_past_budget_warns_once_then_notices_once_and_snoozes(desktop, notifications, daemon):
    browser = desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox")
    desktop.focus(browser)
    daemon.start()

    def touched(count):
        desktop.touch_input()
        found = social(notifications)
        return found if len(found) >= count else None

    heads_up, over = wait_until(lambda: touched(2), timeout=30, interval=0.3,
                                message="the heads-up and the over-budget notice")
    assert "left" in heads_up.summary
    assert "of your 10 s" in over.summary
    assert [label for label in over.labels if label] == ["15 more minutes", "Not today"]

    assert notifications.press("15 more minutes") == next(
        key for key, label in over.actions if label == "15 more minutes")
    wait_until(lambda: _action_of_last_prompt(daemon.paths) == "more", timeout=10,
               message="the snooze to be stored")
    # repeat_every is 3 s: without the snooze, two more notices would come in 8 s of use
    keep_active(desktop, 8)
    assert len(social(notifications)) == 2

    today = daemon.today()
    [facebook] = [item for item in today["items"] if item["name"] == "Facebook"]
    assert facebook["category"] == "social"
    assert facebook["app"] == "firefox"
    [social_total] = [c for c in today["categories"] if c["name"] == "social"]
    assert social_total["budget_seconds"] == 10
    assert social_total["seconds"] >= 18


def _action_of_last_prompt(paths: Paths) -> str | None:
    with Store(paths.database) as store:
        row = store.connection.execute(
            "SELECT action FROM prompts WHERE kind = 'over' ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def test_bad_config_edit_keeps_the_last_good_settings(desktop, daemon):
    window = desktop.open_window("unscroll-test config", process_name="unscroll-probe")
    desktop.focus(window)
    daemon.start()
    write_test_config(daemon.paths, CONFIG + '\n[budgets.weekend]\nsocial = "thirty minutes"\n')
    log = daemon.paths.log_file
    wait_until(lambda: "keeping the last good settings" in log.read_text(), timeout=10,
               message="the daemon to log the bad edit")
    assert "budgets.weekend.social" in log.read_text()
    beat = daemon.heartbeat()
    assert beat is not None
    wait_until(lambda: daemon.heartbeat(after=beat["at"]), timeout=5,
               message="the daemon to keep sampling")
    assert daemon.process.poll() is None
