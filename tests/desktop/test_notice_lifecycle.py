"""The notices' life on the real stack (issue #21, items 4-6): Xvfb, a D-Bus session bus, dunst, the daemon.

"Not today" on the person notice, "Someone else" with nobody left, the heads-up replaced
by the over-budget notice (Notify's replaces_id) that stays (expire_timeout 0), and the
notices missed while dunst was gone, summed up once it is back.
"""

from __future__ import annotations

import json
import re
import time
from datetime import time as dt_time

import pytest

from monitor.core.days import local_zone
from monitor.core.paths import Paths
from monitor.nudge.missed import missed_today
from monitor.store.database import Store
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

BASE = """
[tracking]
sample_every = "1s"
idle_after = "60s"

[budgets]
social = "10s"
total = ""

[doorway]
when = "off"   # the notices are under test here, not the window before the feed

[prompts]
"""


def social(notifications) -> list:
    return [n for n in notifications.notifications if n.summary.startswith("Social")]


def social_notices(desktop: Desktop, notifications, count: int) -> list | None:
    """The social notices so far once there are ``count`` of them, the user active meanwhile."""
    desktop.touch_input()
    found = social(notifications)
    return found if len(found) >= count else None


def keep_active(desktop: Desktop, seconds: float) -> None:
    """Act as a user at the keyboard for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop.touch_input()
        time.sleep(0.3)


def prompt_rows(daemon: DaemonProcess) -> list[tuple]:
    with Store(daemon.paths.database) as store:
        return store.connection.execute(
            "SELECT kind, person_id, action, delivery, caught_up_at FROM prompts ORDER BY id").fetchall()


def make_daemon(desktop: Desktop, tmp_path, prompts: str) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, BASE + prompts)
    return DaemonProcess(desktop.env, paths)


@pytest.fixture
def daemon(desktop: Desktop, tmp_path):
    process = make_daemon(desktop, tmp_path, 'warn_before = "0s"\nrepeat_every = "3s"\n')
    yield process
    process.stop()


def test_not_today_on_the_person_notice_silences_social_for_the_day(desktop, notifications, daemon):
    daemon.cli("people", "add", "Ana Okafor", "--every", "1w", "--last-talked", "6w ago")
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    [notice] = wait_until(lambda: social_notices(desktop, notifications, 1), timeout=30, interval=0.3,
                          message="the person notice")
    assert "Ana" in notice.body
    assert [label for label in notice.labels if label] == ["Reached out", "Someone else", "Not today",
                                                          "15 more minutes"]
    notifications.press("Not today")
    wait_until(lambda: prompt_rows(daemon)[0][2] == "not-today", timeout=10,
               message="the answer to be stored")
    keep_active(desktop, 8)  # repeat_every is 3 s: two or more repeats without "Not today"
    assert len(social(notifications)) == 1
    with Store(daemon.paths.database) as store:
        [snoozes] = [value for key, value in store.connection.execute("SELECT key, value FROM state")
                     if key.startswith("snoozes:")]
    assert [(item["category"], item["until_used_s"]) for item in json.loads(snoozes)] == [("social", None)]


def test_someone_else_with_nobody_left_says_so(desktop, notifications, daemon):
    daemon.cli("people", "add", "Ana Okafor", "--every", "1w", "--last-talked", "6w ago")
    daemon.cli("people", "add", "Ben Moreau", "--every", "1w", "--last-talked", "3w ago")
    daemon.cli("people", "log", "Ben", "--via", "call")  # talked to just now: not to be suggested
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    [first] = wait_until(lambda: social_notices(desktop, notifications, 1), timeout=30, interval=0.3,
                         message="the person notice")
    assert "Ana" in first.body
    notifications.press("Someone else")
    nobody = wait_until(lambda: social_notices(desktop, notifications, 2), timeout=5, interval=0.1,
                        message="the answer at once")[1]
    assert nobody.body.startswith("Nobody else is due today")
    assert "unscroll people add" in nobody.body
    assert "Ben" not in nobody.body
    assert [label for label in nobody.labels if label] == ["15 more minutes", "Not today"]
    assert nobody.expire_timeout == 0
    assert [row[:3] for row in prompt_rows(daemon)][:2] == [("over", 1, "someone-else"),
                                                            ("suggestion", None, None)]


def test_the_heads_up_gives_way_to_the_over_budget_notice_which_stays(desktop, notifications, tmp_path):
    daemon = make_daemon(desktop, tmp_path, 'warn_before = "5s"\nrepeat_every = "1h"\n'
                                            "suggest_people_on = []\n")
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    try:
        daemon.start()
        heads_up, over = wait_until(lambda: social_notices(desktop, notifications, 2), timeout=30,
                                    interval=0.3, message="the heads-up and the over-budget notice")
        assert "left" in heads_up.summary
        assert (heads_up.replaces_id, heads_up.expire_timeout) == (0, -1)
        assert over.replaces_id == heads_up.id  # in the heads-up's place, not beside it
        assert over.expire_timeout == 0         # until dismissed
        urgency = re.search(r'string "urgency"\s+variant\s+byte (\d)', over.hints)
        assert urgency is not None
        assert urgency.group(1) == "1"  # normal: a budget is not an alarm
        wait_until(lambda: desktop.run("dunstctl", "count", "displayed").strip() == "1", timeout=5,
                   message="dunst to show the over-budget notice alone")
        assert [row[3] for row in prompt_rows(daemon)] == ["desktop", "desktop"]
    finally:
        daemon.stop()


def test_notices_missed_without_dunst_are_summed_up_once_it_is_back(desktop, notifications, tmp_path):
    daemon = make_daemon(desktop, tmp_path, 'warn_before = "5s"\nrepeat_every = "1h"\n'
                                            "suggest_people_on = []\n")
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    desktop.stop_dunst()
    try:
        daemon.start()

        def missed() -> list | None:
            desktop.touch_input()
            rows = prompt_rows(daemon)
            return rows if len(rows) == 2 and all(row[3] for row in rows) else None

        rows = wait_until(missed, timeout=30, interval=0.3, message="two notices to be missed")
        assert [(kind, delivery) for kind, _, _, delivery, _ in rows] == [("warn", "log"), ("over", "log")]
        with Store(daemon.paths.database) as store:
            listed = missed_today(store, time.time(), dt_time(4, 0), local_zone())
        assert [(item.kind, item.shown_later_at) for item in listed] == [("warn", None), ("over", None)]
        assert "left of 10 s" in listed[0].title
        assert listed[1].title.endswith("of your 10 s today")
        assert notifications.notifications == []
        status = daemon.cli("status").stdout.splitlines()
        at = status.index("Notifications: 2 missed today (no notification service showed them):")
        assert [line.split(" ", 3)[3] for line in status[at + 1:at + 3]] == [item.title for item in listed]
        missed_json = json.loads(daemon.cli("status", "--json").stdout)["missed_notifications"]
        assert [item["title"] for item in missed_json] == [item.title for item in listed]

        desktop.start_dunst()
        [summary] = notifications.wait_for(1, timeout=20)
        assert summary.summary == "While notifications were off: 2 notices"
        assert [line[6:] for line in summary.body.splitlines()] == [item.title for item in listed]
        assert summary.expire_timeout == 0
        keep_active(desktop, 12)  # longer than the catch-up's look interval: told once only
        assert len(notifications.notifications) == 1
        assert all(row[4] is not None for row in prompt_rows(daemon))
    finally:
        if desktop.bus_name_owner_pid("org.freedesktop.Notifications") is None:
            desktop.start_dunst()
        daemon.stop()
