"""Privacy, proven on the real daemon: private files, no network, and titles that never reach disk.

Every window title that must not be stored carries a marker word; after the run the raw
bytes of the database, its ``-wal``, the log files and the daemon's stderr are searched
for it. The daemon logs at debug level here, so nothing hides behind the log level.
"""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.faults.faultkit import FaultDaemon, integrity, keep_active, spans
from tests.helpers import wait_until

INTERVAL = 0.25
BASE = f"""
[tracking]
sample_every = "{INTERVAL}s"
idle_after = "1h"
{{tracking}}

[logging]
level = "debug"

[budgets]
total = ""
social = "1s"

[prompts]
warn_before = "0s"
max_per_day = 3
suggest_people_on = []
"""

PRIVATE_WINDOWS = [  # (process name, title as the browser writes it in a private window)
    ("firefox", "PRIVMARK-fx bank statement — Mozilla Firefox Private Browsing"),
    ("firefox", "PRIVMARK-fx-old diagnosis - Mozilla Firefox (Private Browsing)"),
    ("chrome", "PRIVMARK-chrome job search - Google Chrome (Incognito)"),
    ("chromium", "PRIVMARK-chromium dating - Chromium (Incognito)"),
    ("msedge", "PRIVMARK-edge symptoms - InPrivate - Microsoft\u200b Edge"),
    ("brave", "PRIVMARK-brave gift ideas - Brave (Private)"),
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def exposed(daemon: FaultDaemon, marker: str) -> list[str]:
    """The files among the database, its -wal, the logs and stderr that contain ``marker``."""
    needle = marker.encode()
    places = [daemon.paths.database.with_name(daemon.paths.database.name + suffix)
              for suffix in ("", "-wal")]
    places += sorted(daemon.paths.data_dir.glob("unscroll.log*"))
    places.append(daemon.paths.data_dir.parent / "daemon-stderr.log")
    return [str(path) for path in places if path.exists() and needle in path.read_bytes()]


def hold_each(desktop, windows, seconds: float = 0.8) -> None:
    for window in windows:
        desktop.focus(window)
        keep_active(desktop, seconds)


def run_through(desktop, daemon: FaultDaemon, windows) -> None:
    """Run the daemon while the user spends a moment in each window, then stop it cleanly."""
    desktop.touch_input()
    try:
        daemon.start()
        hold_each(desktop, windows)
        daemon.stop()
    finally:
        daemon.finish()


def test_private_browser_windows_never_reach_the_disk(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking=""))
    windows = [desktop.open_window(title, process_name=app) for app, title in PRIVATE_WINDOWS]
    run_through(desktop, daemon, windows)
    assert exposed(daemon, "PRIVMARK") == []
    for word in ("bank statement", "diagnosis", "job search", "dating", "symptoms", "gift ideas"):
        assert exposed(daemon, word) == [], word
    stored = spans(daemon.paths.database, "app IN ('firefox', 'chrome', 'chromium', 'msedge', 'brave')")
    assert {title for _, _, title in stored} == {""}  # NULL: counted by app, no title
    assert sum(end - start for start, end, _ in stored) > len(PRIVATE_WINDOWS) * 0.4
    names = {row[0] for row in _query(daemon, "SELECT DISTINCT name FROM spans")}
    assert {f"{app} (private window)" for app, _ in PRIVATE_WINDOWS} <= names


def _query(daemon: FaultDaemon, sql: str) -> list[tuple]:
    connection = sqlite3.connect(daemon.paths.database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_titles_off_keeps_app_and_category_only(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking="store_titles = false"))
    windows = [desktop.open_window("(2) Facebook — OFFMARK holiday photos — Mozilla Firefox",
                                   process_name="firefox"),
               desktop.open_window("OFFMARK-salaries.ods - LibreOffice Calc", process_name="soffice")]
    run_through(desktop, daemon, windows)
    assert exposed(daemon, "OFFMARK") == []
    assert exposed(daemon, "holiday photos") == []
    rows = _query(daemon, "SELECT app, title, category, name FROM spans ORDER BY start_utc")
    assert {(app, title, category) for app, title, category, _ in rows} == {
        ("firefox", None, "social"), ("soffice", None, "work")}
    assert {name for _, _, _, name in rows} == {"firefox", "LibreOffice"}


def test_excluded_titles_are_replaced_everywhere(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(
        tracking='exclude_titles = ["exclmark", "^Divorce lawyer"]'))
    windows = [desktop.open_window("EXCLMARK merger plans — Mozilla Firefox", process_name="firefox"),
               desktop.open_window("Divorce lawyer near me - Google Chrome", process_name="chrome"),
               desktop.open_window("Weather in Lyon — Mozilla Firefox", process_name="firefox")]
    run_through(desktop, daemon, windows)
    assert exposed(daemon, "EXCLMARK") == []
    assert exposed(daemon, "merger plans") == []
    assert exposed(daemon, "Divorce") == []
    titles = {title for _, _, title in spans(daemon.paths.database)}
    assert titles == {"[excluded]", "Weather in Lyon — Mozilla Firefox"}


def test_files_are_private_after_a_real_run(desktop, notifications, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking=""))
    # a log already at its size limit, readable by all (an older version's): the daemon makes
    # it private, and its first lines rotate it
    daemon.paths.data_dir.mkdir(mode=0o700)
    daemon.paths.log_file.write_bytes(b"old line\n" * 120_000)
    daemon.paths.log_file.chmod(0o644)
    desktop.focus(desktop.open_window("Reddit — Mozilla Firefox", process_name="firefox"))
    desktop.touch_input()
    try:
        daemon.start()
        notifications.wait_for(1, timeout=20)  # a budget notice: the prompts table is written too
        daemon.cli("budget", "set", "video", "45m")
        daemon.cli("report")
        keep_active(desktop, 0.5)
        daemon.stop()
    finally:
        daemon.finish()
    # a command run with a permissive umask after the daemon stopped recreates -wal and -shm
    subprocess.run([sys.executable, "-m", "monitor", "today"], env=daemon.env, check=True,
                   capture_output=True, umask=0o022)
    data = daemon.paths.data_dir
    files = [daemon.paths.database, *data.glob("unscroll.sqlite3-*"), *data.glob("unscroll.log*"),
             daemon.paths.lock_file, *daemon.paths.reports_dir.iterdir(), daemon.paths.config_file]
    names = {path.name for path in files}
    assert {"unscroll.log", "unscroll.log.1", "daemon.lock", "config.toml"} <= names
    assert any(name.endswith(".png") for name in names)
    assert {path: oct(mode(path)) for path in files if mode(path) != 0o600} == {}
    folders = [data, daemon.paths.reports_dir, daemon.paths.config_file.parent]
    assert {path: oct(mode(path)) for path in folders[:2] if mode(path) != 0o700} == {}
    assert integrity(daemon.paths.database) == "ok"


def test_the_daemon_opens_no_network_connection(desktop, notifications, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking=""))
    desktop.focus(desktop.open_window("Instagram — Mozilla Firefox", process_name="firefox"))
    desktop.touch_input()
    seen_inet, seen_unix = [], set()
    try:
        daemon.start()
        process = psutil.Process(daemon.pid)
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline or not notifications.notifications:
            seen_inet += process.net_connections(kind="inet")
            seen_unix |= {conn.raddr or conn.laddr for conn in process.net_connections(kind="unix")}
            desktop.touch_input()
            time.sleep(0.2)
            assert time.monotonic() < deadline + 20, "no budget notice was sent"
        wait_until(lambda: daemon.ticks() > 4, timeout=10, message="a few samples")
        seen_inet += process.net_connections(kind="inet")
        assert daemon.running()
    finally:
        daemon.finish()
    assert seen_inet == []
    # it does talk to X and to the session bus, over UNIX sockets
    assert seen_unix, "expected the X and D-Bus sockets"


def test_forget_while_the_daemon_runs(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking=""))
    secret = desktop.open_window("FORGETMARK clinic results — Mozilla Firefox", process_name="firefox")
    other = desktop.open_window("Recipes — Mozilla Firefox", process_name="firefox")
    desktop.focus(other)
    desktop.touch_input()
    try:
        daemon.start()
        hold_each(desktop, [secret, other, secret])  # the secret window still has the focus
        assert exposed(daemon, "FORGETMARK")
        result = daemon.cli("forget", "--title", "forgetmark", "--yes")
        assert "Forgot 2 spans" in result.stdout
        keep_active(desktop, 1.0)  # the daemon counts the secret window on, without its title
        desktop.focus(other)
        keep_active(desktop, 1.0)
        assert daemon.running()
        daemon.stop()
    finally:
        daemon.finish()
    assert exposed(daemon, "FORGETMARK") == []
    assert exposed(daemon, "clinic results") == []
    assert integrity(daemon.paths.database) == "ok"
    titles = [title for _, _, title in spans(daemon.paths.database)]
    assert titles
    assert set(titles) == {"Recipes — Mozilla Firefox", ""}  # "": the secret window after the forget


@pytest.mark.parametrize("answer", ["n", "y"])
def test_forget_all_stops_the_daemon_and_leaves_nothing(desktop, tmp_path: Path, answer: str) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, BASE.format(tracking=""))
    desktop.focus(desktop.open_window("Recipes — Mozilla Firefox", process_name="firefox"))
    desktop.touch_input()
    try:
        daemon.start()
        keep_active(desktop, 0.5)
        done = subprocess.run([sys.executable, "-m", "monitor", "forget", "--all"], env=daemon.env,
                              input=answer + "\n", capture_output=True, text=True, timeout=60, check=False)
        if answer == "n":
            assert done.returncode == 1
            assert daemon.running()
            assert daemon.paths.database.exists()
            return
        assert done.returncode == 0, done.stderr
        assert "Stopped the monitor." in done.stdout
        daemon.process.wait(timeout=10)
    finally:
        daemon.finish()
    assert not daemon.paths.data_dir.exists()
    assert not daemon.paths.config_file.exists()
