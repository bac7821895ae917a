"""The daemon keeps going through hostile titles, vanished processes and a lost X server."""

from __future__ import annotations

import sqlite3

import pytest

from monitor.core.paths import Paths
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

HOSTILE_TITLES: list[str | bytes] = [
    "🔥🙂 Party planning 🎉 — Mozilla Firefox",
    "مرحبا بالعالم - שלום עולם",
    "x" * 10_000,
    b"broken \xff\xfe utf-8 \xc3\x28 title",
]


@pytest.fixture
def daemon(desktop: Desktop, tmp_path) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "0.5s"\nidle_after = "60s"\n')
    process = DaemonProcess(desktop.env, paths)
    yield process
    process.stop()


def spans_count(daemon: DaemonProcess) -> int:
    with sqlite3.connect(daemon.paths.database) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0])


def test_hostile_titles_are_stored_cleanly_and_never_stop_the_daemon(desktop, daemon):
    daemon.start()
    for title in HOSTILE_TITLES:
        before = spans_count(daemon)
        desktop.focus(desktop.open_window(title, kind="utf8"))
        desktop.touch_input()
        wait_until(lambda before=before: spans_count(daemon) > before, timeout=10,
                   message=f"a span for {title[:20]!r}")
    assert daemon.process.poll() is None
    with sqlite3.connect(daemon.paths.database) as connection:
        titles = [row[0] for row in connection.execute("SELECT title FROM spans WHERE title IS NOT NULL")]
    assert "🔥🙂 Party planning 🎉 — Mozilla Firefox" in titles
    assert "مرحبا بالعالم - שלום עולם" in titles
    assert max(len(title) for title in titles) <= 1000  # a 10,000-character title is cut, not refused
    assert any(title.startswith("broken") and "\ufffd" in title for title in titles)


def test_a_window_whose_process_has_exited_is_still_counted(desktop, daemon):
    # the window advertises a pid whose process is already gone
    window = desktop.open_window("unscroll-test orphan", kind="utf8", net_wm_pid=2**22 - 3,
                                 wm_class=("orphan", "Orphan"))
    desktop.focus(window)
    daemon.start()
    desktop.touch_input()
    wait_until(lambda: daemon.exact_seconds("unscroll-test orphan") > 1.0, timeout=10,
               message="the orphan window to be counted")
    assert daemon.process.poll() is None


def test_the_x_server_going_away_and_coming_back(desktop, daemon):
    desktop.focus(desktop.open_window("unscroll-test before", process_name="unscroll-probe"))
    daemon.start()
    wait_until(lambda: daemon.exact_seconds("unscroll-test before") > 1.0, timeout=10,
               message="counting before the crash")
    desktop.restart_x()
    wait_until(lambda: "desktop unavailable" in daemon.paths.log_file.read_text(), timeout=15,
               message="the daemon to notice the X server is gone")
    desktop.focus(desktop.open_window("unscroll-test after", process_name="unscroll-probe"))

    def counting_again() -> bool:
        desktop.touch_input()
        return daemon.exact_seconds("unscroll-test after") > 1.0

    wait_until(counting_again, timeout=20, interval=0.3, message="counting after the X server came back")
    assert daemon.process.poll() is None
    assert "desktop available again" in daemon.paths.log_file.read_text()
