"""Counting against the truth: a scripted, seeded session on the real X desktop.

The session (tests/desktop/accuracy.py) switches windows at random moments, goes away for
longer than ``idle_after`` while the focus moves before and after the timeout, a window
closes, a dialog and a screen locker take the focus. Every window's counted time must
be within 0.3 s of the truth with focus events, and within one sample interval per
switch on the polling path.
"""

from __future__ import annotations

import pytest

from monitor.core.paths import Paths
from tests.desktop.accuracy import APP, WORK_TITLES, Person
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.helpers import wait_until

INTERVAL = 2.0
IDLE_AFTER = 5.0
EVENT_BOUND = 0.3


def run_session(desktop, tmp_path, *, events: bool, seed: int) -> tuple[dict, dict, int]:
    """Play one session under a fresh daemon; return (counted, truth, switches)."""
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, f'[tracking]\nsample_every = "{INTERVAL:g}s"\nidle_after = "{IDLE_AFTER:g}s"\n'
                             f'focus_events = {"true" if events else "false"}\n')
    daemon = DaemonProcess(desktop.env, paths)
    person = Person(desktop, IDLE_AFTER, seed)
    try:
        for title in WORK_TITLES:
            person.open(title)
        person.wait_idle()
        daemon.start()
        session = person.play()
        gone = session.inputs[-1] + IDLE_AFTER + INTERVAL
        wait_until(lambda: (daemon.heartbeat() or {"at": 0})["at"] > gone, timeout=20,
                   message="the daemon to see the person gone")
    finally:
        daemon.stop()
        person.close()
    truth = session.truth()
    counted = {title: daemon.exact_seconds(title) for title in {*truth, *person.titles.values()}}
    return counted, truth, session.switches


def test_with_focus_events_every_window_is_within_a_third_of_a_second(desktop, tmp_path):
    counted, truth, _switches = run_session(desktop, tmp_path, events=True, seed=20261130)
    assert sum(truth.values()) > 20  # the session really had the person's attention
    report = {title: (round(counted[title], 3), round(truth.get(title, 0.0), 3)) for title in counted}
    for title in counted:
        assert counted[title] == pytest.approx(truth.get(title, 0.0), abs=EVENT_BOUND), report
    assert counted["accuracy passing"] == pytest.approx(truth["accuracy passing"], abs=EVENT_BOUND)


def test_polling_only_is_within_one_interval_per_switch(desktop, tmp_path):
    counted, truth, switches = run_session(desktop, tmp_path, events=False, seed=20261201)
    total_error = sum(abs(counted[title] - truth.get(title, 0.0)) for title in counted)
    for title in counted:
        assert counted[title] == pytest.approx(truth.get(title, 0.0), abs=INTERVAL * switches), title
    # each switch moves at most one interval from one window to another: twice that in errors
    assert total_error <= 2 * INTERVAL * switches + EVENT_BOUND
    assert APP  # the windows' process, so no category rule names the items
