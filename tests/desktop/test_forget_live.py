"""``unscroll forget`` while the real daemon counts a focused window: the count goes on from the forget."""

from __future__ import annotations

import re
import time

import pytest

from monitor.core.paths import Paths
from monitor.store.database import Store
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.desktop.test_daemon_tracking import active_until, hold

INTERVAL = 1.0
APP = "unscroll-probe"  # no category rule knows it
TITLE = "unscroll-test forget me"
TOLERANCE = INTERVAL + 0.25  # one sample interval, plus xdotool's own latency


@pytest.fixture
def daemon(desktop: Desktop, tmp_path) -> DaemonProcess:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, '[tracking]\nsample_every = "1s"\nidle_after = "30s"\n')
    process = DaemonProcess(desktop.env, paths)
    yield process
    process.stop()


def stored(daemon: DaemonProcess) -> tuple[list[tuple[float, float]], list[float]]:
    """The spans of TITLE (start, end) and the instants every forget ran, from the database."""
    with Store(daemon.paths.database) as store:
        spans = [(float(start), float(end)) for start, end in store.connection.execute(
            "SELECT start_utc, end_utc FROM spans WHERE title = ? ORDER BY start_utc", (TITLE,))]
        forgets = [float(row[0]) for row in store.connection.execute("SELECT forgotten_utc FROM forgotten")]
    return spans, forgets


def test_forgetting_today_while_a_window_is_focused_keeps_counting_it(desktop, daemon):
    desktop.focus(desktop.open_window(TITLE, process_name=APP))
    daemon.start()
    active_until(desktop, lambda: daemon.exact_seconds(TITLE) >= 3.0, timeout=15,
                 message="the daemon to count the focused window")

    result = daemon.cli("forget", "--since", "today", "--until", "today", "--yes")
    returned = time.monotonic()
    assert re.search(r"Forgot [1-9]\d* spans? \(", result.stdout), result.stdout
    [forgot_at] = stored(daemon)[1]
    active_until(desktop, lambda: daemon.exact_seconds(TITLE) > 0, timeout=2 * INTERVAL + 0.5,
                 message="counting to resume within two sample intervals of the forget")
    print(f"counting resumed {time.monotonic() - returned:.2f} s after the forget command returned")

    hold(desktop, 5)
    spans, _ = stored(daemon)
    assert spans[0][0] == pytest.approx(forgot_at)  # from the forget on: nothing before it came back
    counted = daemon.exact_seconds(TITLE)
    assert counted == pytest.approx(time.time() - forgot_at, abs=TOLERANCE)
    assert "Traceback" not in daemon.stderr()
