"""The connection prompt on the real stack: it names the most overdue person, and acts on buttons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import time as dt_time
from pathlib import Path

import pytest

from monitor.core.days import day_of, local_zone
from monitor.core.paths import Paths
from monitor.store.database import Store
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

HERE = Path(__file__).resolve().parent
CONFIG = """
[tracking]
sample_every = "1s"
idle_after = "60s"

[budgets]
social = "10s"

[prompts]
warn_before = "0s"
repeat_every = "4s"
"""


def social(notifications) -> list:
    return [n for n in notifications.notifications if n.summary.startswith("Social")]


def social_notices(desktop: Desktop, notifications, count: int) -> list | None:
    """The social notices so far once there are ``count`` of them, the user active meanwhile."""
    desktop.touch_input()
    found = social(notifications)
    return found if len(found) >= count else None


def people_json(daemon: DaemonProcess) -> dict[str, dict]:
    return {p["name"]: p for p in json.loads(daemon.cli("people", "list", "--json").stdout)}


@pytest.fixture
def daemon(desktop: Desktop, tmp_path) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, CONFIG)
    process = DaemonProcess(desktop.env, paths)
    process.cli("people", "add", "Ana Okafor", "--every", "1w", "--last-talked", "6w ago",
                "--email", "ana@example.org")
    process.cli("people", "add", "Ben Moreau", "--every", "2w", "--last-talked", "3w ago")
    process.cli("people", "add", "Chidi Park", "--every", "4w", "--last-talked", "1w ago")
    yield process
    process.stop()


def test_names_the_most_overdue_then_someone_new_after_reached_out(desktop, notifications, daemon):
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    [first] = wait_until(lambda: social_notices(desktop, notifications, 1), timeout=30, interval=0.3,
                         message="the over notice")
    assert "Ana" in first.body
    assert [label for label in first.labels if label] == ["Reached out", "Someone else", "Not today",
                                                          "15 more minutes"]

    notifications.press("Reached out")
    today = day_of(time.time(), dt_time(4, 0), local_zone()).isoformat()  # the day starts at 04:00
    wait_until(lambda: people_json(daemon)["Ana Okafor"]["last_talked"] == today,
               timeout=10, message="the interaction to be logged")

    second = wait_until(lambda: social_notices(desktop, notifications, 2), timeout=30, interval=0.3,
                        message="the repeat notice")[1]
    assert "Ana" not in second.body
    assert "Ben" in second.body


def test_someone_else_suggests_the_next_person_at_once(desktop, notifications, daemon):
    desktop.focus(desktop.open_window("r/python - Reddit — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    [first] = wait_until(lambda: social_notices(desktop, notifications, 1), timeout=30, interval=0.3,
                         message="the over notice")
    assert "Ana" in first.body
    notifications.press("Someone else")
    follow_up = wait_until(lambda: social_notices(desktop, notifications, 2), timeout=5, interval=0.1,
                           message="the next person at once")[1]
    assert "Ben" in follow_up.body
    with Store(daemon.paths.database) as store:
        actions = [row[0] for row in store.connection.execute(
            "SELECT action FROM prompts WHERE person_id IS NOT NULL ORDER BY id")]
    assert actions[0] == "someone-else"


@pytest.fixture
def reply_bus(tmp_path):
    """A second session bus whose notification server offers a reply field."""
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = bus.stdout.readline().strip()
    log = tmp_path / "reply-server.jsonl"
    log.touch()
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
    server = subprocess.Popen([sys.executable, str(HERE / "reply_server.py"), str(log),
                               "Talked for an hour about her new job"],
                              env=env, stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().strip() == "ready"
    yield address, log
    server.terminate()
    bus.terminate()
    server.wait(timeout=5)
    bus.wait(timeout=5)


def test_a_reply_is_saved_as_the_interactions_note(desktop, daemon, reply_bus):
    address, log = reply_bus
    daemon.env["DBUS_SESSION_BUS_ADDRESS"] = address
    desktop.focus(desktop.open_window("Instagram — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    def note_saved():
        desktop.touch_input()
        with Store(daemon.paths.database) as store:
            return store.connection.execute(
                "SELECT p.name, i.note FROM interactions i JOIN people p ON p.id = i.person_id "
                "WHERE i.source = 'notification'").fetchone()

    name, note = wait_until(note_saved, timeout=30, interval=0.3, message="the reply to be saved")
    assert name == "Ana Okafor"
    assert note == "Talked for an hour about her new job"
    sent = [json.loads(line) for line in log.read_text().splitlines()]
    assert any("inline-reply" in notice["actions"] and "Ana" in notice["body"] for notice in sent)


def recording_opener(tmp_path: Path) -> Path:
    """A real ``xdg-open`` stand-in on PATH that records what it was asked to open."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "opened.txt"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {record}\n')
    script.chmod(0o755)
    return record


def test_clicking_the_notice_opens_the_persons_first_safe_link(desktop, notifications, daemon, tmp_path):
    record = recording_opener(tmp_path)
    daemon.env["PATH"] = f"{tmp_path / 'bin'}:{daemon.env['PATH']}"
    refused = daemon.cli("people", "edit", "Ana", "--link", "file:///etc/passwd", check=False)
    assert refused.returncode != 0
    assert "file:" in refused.stderr
    # a link stored before links were checked on the way in: still never opened on a click
    with Store(daemon.paths.database) as store, store.transaction():
        store.connection.execute("UPDATE people SET links = ? WHERE name = 'Ana Okafor'",
                                 (json.dumps(["file:///etc/passwd", "https://example.org/ana"]),))
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    daemon.start()

    def social_notice():
        desktop.touch_input()
        return social(notifications)

    [notice] = wait_until(social_notice, timeout=30, interval=0.3, message="the over notice")
    assert "Ana" in notice.body
    notifications.click_body()
    wait_until(record.exists, timeout=10, message="the link to be opened")
    assert record.read_text().split() == ["https://example.org/ana"]
    log = daemon.paths.log_file.read_text()
    assert "refused: file: links are never opened" in log
