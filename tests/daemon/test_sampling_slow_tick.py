"""Samples on a busy machine: a slow tick, and a timer's sample that finds a switch first.

A sample whose tick is slow before it reads the desktop still times the person's input right.

On a busy machine the work a tick does before it reads the desktop (the settings, the
store) can take most of a second. The idle time the desktop reports counts to when it
was read, so the last input is that long before the reading, not before the tick began:
otherwise the window at a return gains that second and the one before an absence loses it.
A timer's sample that finds the focus moved before the change's own sample has run
credits the switch to when the desktop said it happened. The desktops here are stand-ins
(as in test_time_faults.py); their clock is the job's.
"""

from __future__ import annotations

import pytest

from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon import sampling_job
from monitor.store.database import Store
from monitor.tracking.platforms.base import ActiveWindow
from tests.conftest import write_config

START = 1_796_000_000.0
SLOW = 0.7
"""Seconds each tick works before it reads the desktop."""
INPUTS = [START + k * 0.5 for k in range(201)] + [START + 110.75 + k * 0.5 for k in range(20)]
"""Input every half second for 100 s, away until 110.75 s (between a tick's start and its
reading of the desktop, so that reading sees the first input back), back for 9.5 s, gone."""


class FakeDesktop:
    """One window; the person's inputs are INPUTS; reading it finds the clock moved on by SLOW."""

    name = "fake"

    def __init__(self, now: list[float]) -> None:
        self.now = now

    def active_window(self) -> ActiveWindow:
        self.now[0] += SLOW  # the tick's work before the desktop answers
        return ActiveWindow("editor", "notes", 1)

    def idle_seconds(self) -> float:
        return self.now[0] - max(at for at in INPUTS if at <= self.now[0])

    def close(self) -> None:
        pass


Spans = list[tuple[str, float, float]]


def spans_of_timer_samples(user_paths, tracking: str, desktop: type, samples: int) -> Spans:
    """(app, start, end) of the spans stored by ``samples`` timer samples every 2 s on ``desktop``,
    in seconds after START; ``tracking`` is the rest of the [tracking] table."""
    write_config(user_paths, f'[tracking]\nsample_every = "2s"\n{tracking}'
                             '[budgets]\ntotal = ""\nsocial = ""\n')
    now = [START]
    job = sampling_job.SamplingJob(SettingsWatcher(load_settings(user_paths)),
                                   platform_opener=lambda: desktop(now), clock=lambda: now[0])
    try:
        for sample in range(samples):
            now[0] = START + 2.0 * sample + 0.1  # the timer's schedule, whatever the last tick took
            job.tick()
    finally:
        job.close()
    with Store(user_paths.database) as store:
        return store.connection.execute("SELECT app, start_utc - ?, end_utc - ? FROM spans "
                                        "ORDER BY start_utc", (START, START)).fetchall()


def test_a_slow_tick_times_the_return_and_the_last_input_to_the_input(user_paths):
    spans = [(start, end) for _, start, end in
             spans_of_timer_samples(user_paths, 'idle_after = "5s"\n', FakeDesktop, 70)]
    before, after = spans[-2], spans[-1]
    assert before[1] == pytest.approx(100.0, abs=0.01)  # cut back to the last input before the absence
    assert after[0] == pytest.approx(110.75, abs=0.01)  # the return, at its input
    assert after[1] == pytest.approx(120.25, abs=0.01)  # cut back to the last input of all


class SwitchingDesktop:
    """Reports its changes as they happen (a ChangeSource): "editor" until SWITCH, then "browser"."""

    name = "fake"
    SWITCH = START + 10.3

    def __init__(self, now: list[float]) -> None:
        self.now = now

    def active_window(self) -> ActiveWindow:
        return ActiveWindow("editor", "notes", 1) if self.now[0] < self.SWITCH else ActiveWindow(
            "browser", "news", 2)

    def idle_seconds(self) -> float:
        return 0.2  # the person is there all along

    def wait_for_change(self, timeout: float | None) -> float | None:
        return None  # the change's own sample is late: the timer's sample finds the switch first

    def wake_on_input(self, wanted: bool) -> None:
        pass

    def latest_change(self) -> float | None:
        return self.SWITCH if self.now[0] >= self.SWITCH else None

    def close(self) -> None:
        pass


def test_a_timer_sample_that_finds_a_reported_switch_first_credits_it_when_it_happened(user_paths):
    spans = spans_of_timer_samples(user_paths, "focus_events = true\n", SwitchingDesktop, 10)
    [(first, _, end), (second, start, _)] = spans
    assert (first, second) == ("editor", "browser")
    # at the switch, not at the editor's last sample (10.1 s): the timer knew when it happened
    assert end == pytest.approx(10.3, abs=0.001)
    assert start == pytest.approx(10.3, abs=0.001)
