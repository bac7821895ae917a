"""The desktop's services fail under the daemon: a stop signal (a laptop asleep), the notification
service gone and back, the X server killed and restarted. The daemon never dies, counts
only what really had the user's attention, and picks up again when the service returns.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.faults.faultkit import (
    NO_BUDGETS,
    NOTICE_EVERY_SECOND,
    PROBE_APP,
    FaultDaemon,
    counted,
    daemon_config,
    integrity,
    keep_active,
    spans,
)
from tests.helpers import wait_until

INTERVAL = 0.25
SLACK = 0.35  # a tick's own latency, and the test reading its clock around the daemon's


def test_sigstop_longer_than_the_pulse_is_not_counted_and_not_replayed(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, daemon_config(INTERVAL, NO_BUDGETS))
    title = "faults asleep"
    desktop.focus(desktop.open_window(title, process_name=PROBE_APP))
    desktop.touch_input()
    try:
        daemon.start()
        awake = keep_active(desktop, 2.0)
        daemon.signal(signal.SIGSTOP)
        stopped_at = time.time()
        ticks_asleep = daemon.ticks()
        keep_active(desktop, 4.0)  # asleep for 4 s: 10 samples' worth, far past the 0.375 s pulse
        woke_at = time.time()
        daemon.signal(signal.SIGCONT)
        first_beat = wait_until(lambda: daemon.heartbeat(after=woke_at), timeout=10,
                                message="the first sample after waking")
        awake += keep_active(desktop, 2.0)
        last_beat = daemon.heartbeat()
        daemon.stop()
    finally:
        daemon.finish()
    assert integrity(daemon.paths.database) == "ok"
    # the missed runs were coalesced into at most one, not replayed (10 would be)
    assert first_beat["ticks"] - ticks_asleep <= 2
    assert last_beat is not None
    elapsed_awake = last_beat["at"] - first_beat["at"]
    assert last_beat["ticks"] - first_beat["ticks"] <= elapsed_awake / INTERVAL + 2
    # no span covers the time asleep
    for start, end, _ in spans(daemon.paths.database):
        assert end <= stopped_at + INTERVAL or start >= woke_at - 0.05, (start, end)
    total = counted(daemon.paths.database, title=title)
    assert total == pytest.approx(awake, abs=2 * (INTERVAL + SLACK))
    assert total < awake + 1.0


def test_notification_service_gone_and_back(desktop, notifications, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, daemon_config(INTERVAL, NOTICE_EVERY_SECOND))
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    desktop.touch_input()
    try:
        daemon.start()
        notifications.wait_for(1, timeout=20)
        # dunst's answer (the notice's id) may reach dbus-monitor a moment after the call itself
        wait_until(lambda: notifications.notifications[0].id is not None, timeout=10,
                   message="dunst's answer")
        desktop.stop_dunst()
        try:
            wait_until(lambda: daemon.paths.log_file.read_text().count("notice: Social") >= 2,
                       timeout=20, message="notices to reach the log while dunst is gone")
        finally:
            desktop.start_dunst()
        back = len(notifications.notifications)

        def shown_by_new_dunst() -> list:
            # (one sent while dunst was starting may have failed: it went to the log)
            answered = [n for n in notifications.notifications[back:] if n.id is not None]
            return answered if len(answered) >= 2 else []

        fresh = wait_until(shown_by_new_dunst, timeout=20, message="notices shown by the new dunst")
        # besides the budget notices, the one summary of what was missed while it was gone
        assert all(notice.summary.startswith(("Social", "While notifications were off")) for notice in fresh)
        assert any(notice.summary.startswith("Social") for notice in fresh)
        assert daemon.running()
    finally:
        daemon.finish()
    log = daemon.paths.log_file.read_text()
    assert "desktop notifications unavailable" in log
    assert "logging notices instead" in log
    assert "desktop notifications work again" in log
    assert integrity(daemon.paths.database) == "ok"


def test_x_server_killed_and_restarted(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, daemon_config(INTERVAL, NO_BUDGETS))
    desktop.focus(desktop.open_window("faults before the crash", process_name=PROBE_APP))
    desktop.touch_input()
    try:
        daemon.start()
        keep_active(desktop, 1.5)
        crashed_at = time.time()
        desktop.restart_x()
        wait_until(lambda: "desktop unavailable" in daemon.paths.log_file.read_text(), timeout=15,
                   message="the daemon to notice the X server is gone")
        keep_active(desktop, 1.0)  # the new server runs, no window has the focus
        quiet_until = time.time()
        after = desktop.open_window("faults after the crash", process_name=PROBE_APP)
        desktop.focus(after)
        focused_at = time.time()
        keep_active(desktop, 2.0)
        assert daemon.running()
        desktop.touch_input()
        stopped = time.time()  # the last input: a stop keeps what was counted up to it
        # ... once a sample has seen it (a stop between the touch and the next sample keeps
        # only what came before the input the daemon knew of, up to keep_active's 0.5 s)
        wait_until(lambda: daemon.heartbeat(after=stopped), timeout=5, message="a sample after the input")
        daemon.stop()
    finally:
        daemon.finish()
    log = daemon.paths.log_file.read_text()
    assert "desktop available again" in log
    assert integrity(daemon.paths.database) == "ok"
    before = spans(daemon.paths.database, "title = ?", ("faults before the crash",))
    assert max(end for _, end, _ in before) <= crashed_at + INTERVAL + SLACK
    # nothing is counted from the crash until a window has the focus again
    for start, end, title in spans(daemon.paths.database):
        assert end <= crashed_at + INTERVAL + SLACK or start >= quiet_until - 0.05, (start, end, title)
    after_total = counted(daemon.paths.database, title="faults after the crash")
    assert after_total == pytest.approx(stopped - focused_at, abs=INTERVAL + SLACK)
