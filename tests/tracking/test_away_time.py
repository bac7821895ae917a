"""Away time is never counted: whatever moves the focus after the last input, it is cut back.

The case found side by side with ActivityWatch: the last input at 0 s with one window
focused, then at +100 s, with nobody there, the focus moves to another window. Time after
the last input is provisional until input comes back within ``idle_after``; when the
timeout passes first, every span touched since the last input is cut back to it.
"""

from __future__ import annotations

import random

import pytest

from monitor.store.database import Store
from monitor.tracking.heartbeat import Heartbeat, read_heartbeat, write_heartbeat
from monitor.tracking.recorder import Recorder
from monitor.tracking.spans import Observation, Span, advance, cut_back

SIGNAL = Observation("signal-desktop", "Signal", "social", "Signal")
EDITOR = Observation("code", "notes.md", "work", "notes.md")
DIALOG = Observation("zenity", "Update available", "uncategorized", "Update available")
IDLE_AFTER = 180.0
PULSE = 3.0


def never(_instant: float) -> float:
    return 1e12


def stored(store: Store) -> dict[str, float]:
    rows = store.connection.execute("SELECT name, SUM(end_utc - start_utc) FROM spans GROUP BY name")
    return {str(name): float(seconds) for name, seconds in rows}


def play(recorder: Recorder, samples: list[tuple[float, Observation | None, float]]) -> None:
    """Feed (at, observation, last input) samples every few seconds, as the daemon would."""
    for at, observation, last_input in samples:
        recorder.record(at, observation, idle_seconds=at - last_input, idle_after=IDLE_AFTER, pulse=PULSE)


def test_cut_back_shortens_spans_that_ran_past_the_last_input_and_empties_later_ones():
    before = Span(0.0, 40.0, SIGNAL, span_id=1)
    across = Span(40.0, 100.0, SIGNAL, span_id=2)
    after = Span(100.0, 120.0, EDITOR, span_id=3)
    shortened, emptied = cut_back([before, across, after], last_input=50.0)
    assert shortened == (Span(40.0, 50.0, SIGNAL, span_id=2),)
    assert emptied == (after,)


def test_a_switch_the_desktop_reported_is_credited_at_its_instant():
    current = Span(0.0, 10.0, SIGNAL)
    step = advance(current, 11.2, EDITOR, idle_seconds=0.0, idle_after=IDLE_AFTER, pulse=PULSE,
                   day_end_after=never, switch_at=10.7)
    assert step.closed == (Span(0.0, 10.7, SIGNAL),)
    assert step.current == Span(10.7, 11.2, EDITOR)


def test_the_away_switch_counts_nothing_after_the_last_input(tmp_path):
    """Last input at 1000 on Signal; focus moves to the editor at +100 s; nobody comes back."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(1000.0 + t, SIGNAL, 1000.0) for t in range(-20, 100, 2)]
        samples += [(1000.0 + t, EDITOR, 1000.0) for t in range(100, 240, 2)]
        play(recorder, samples)
        assert stored(store) == pytest.approx({"Signal": 20.0})


def test_a_dialog_taking_focus_then_closing_while_away_counts_nothing(tmp_path):
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(t, SIGNAL, 0.0) for t in range(0, 60, 2)]
        samples += [(t, DIALOG, 0.0) for t in range(60, 70, 2)]
        samples += [(t, SIGNAL, 0.0) for t in range(70, 200, 2)]
        play(recorder, samples)
        assert stored(store) == {}


def test_input_coming_back_in_time_keeps_every_second(tmp_path):
    """Reading for two minutes without input, switching, then typing again: all of it counts."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(t, SIGNAL, 0.0) for t in range(0, 120, 2)]
        samples += [(t, EDITOR, 0.0) for t in range(120, 170, 2)]
        samples += [(t, EDITOR, float(t)) for t in range(170, 200, 2)]
        play(recorder, samples)
        recorder.close_current()
        assert stored(store) == pytest.approx({"Signal": 118.0, "notes.md": 80.0})


def test_provisional_time_is_cut_even_when_writes_failed_meanwhile(tmp_path, monkeypatch):
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        play(recorder, [(t, SIGNAL, 0.0) for t in range(0, 50, 2)])
        store.connection.execute("PRAGMA query_only = ON")  # every write fails from here
        play(recorder, [(t, EDITOR, 0.0) for t in range(50, 100, 2)])
        store.connection.execute("PRAGMA query_only = OFF")
        play(recorder, [(t, EDITOR, 0.0) for t in range(100, 200, 2)])
        assert stored(store) == {}


def test_after_a_crash_the_next_start_cuts_what_was_provisional(tmp_path):
    """The daemon dies 60 s after the last input: nobody can say they came back."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        for at in range(0, 60, 2):
            recorder.record(float(at), SIGNAL, idle_seconds=at - 10.0 if at > 10 else 0.0,
                            idle_after=IDLE_AFTER, pulse=PULSE,
                            also=lambda s, at=at: write_heartbeat(
                                s, Heartbeat(float(at), "tracking", "x11", last_input=10.0)))
        assert stored(store) == pytest.approx({"Signal": 58.0})
        beat = read_heartbeat(store)
        assert beat is not None
        assert beat.last_input == 10.0
        # a new daemon on the same file
        Recorder(store, device="test", day_end_after=never).recover(beat.last_input)
        assert stored(store) == pytest.approx({"Signal": 10.0})


def test_a_graceful_stop_counts_nothing_after_the_last_input(tmp_path):
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(t, SIGNAL, 0.0) for t in range(0, 30, 2)] + [(t, EDITOR, 0.0) for t in range(30, 60, 2)]
        play(recorder, samples)
        recorder.settle()
        assert stored(store) == {}


@pytest.mark.parametrize("seed", range(40))
def test_random_sessions_count_exactly_the_attended_time(tmp_path, seed):
    """Seeded sessions of inputs, switches and away stretches against the truth computed here.

    Truth: an instant counts for the focused window when the gap between the inputs around
    it is shorter than ``idle_after``; switches happen at samples (the polling path).
    """
    rng = random.Random(seed)
    windows = [SIGNAL, EDITOR, DIALOG]
    inputs: list[float] = [0.0]
    focus: list[tuple[float, Observation]] = [(0.0, SIGNAL)]
    t = 0.0
    while t < 1500:
        t += rng.choice([2.0, 4.0, 6.0, 30.0, 150.0, 200.0, 400.0])  # never exactly idle_after
        inputs.append(t)
        if rng.random() < 0.4:
            focus.append((float(int(t - rng.uniform(0, 100)) // 2 * 2), rng.choice(windows)))
    focus.sort(key=lambda item: item[0])
    end = inputs[-1]

    def focused(at: float) -> Observation:
        return [o for start, o in focus if start <= at][-1]

    def last_input(at: float) -> float:
        return max(i for i in inputs if i <= at)

    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        play(recorder, [(float(at), focused(at), last_input(at)) for at in range(0, int(end) + 1, 2)])
        recorder.close_current()
        counted = stored(store)
    truth: dict[str, float] = {}
    for at in range(0, int(end), 2):  # the 2 s up to the next sample go to that sample's window
        gap_start = last_input(at)
        gap_end = min(i for i in inputs if i > at)
        if gap_end - gap_start < IDLE_AFTER:
            name = focused(at + 2).name
            truth[name] = truth.get(name, 0.0) + 2.0
    for name in set(truth) | set(counted):
        assert counted.get(name, 0.0) == pytest.approx(truth.get(name, 0.0), abs=1e-6), (seed, name)


def test_coming_back_is_credited_at_the_input_that_ended_the_absence(tmp_path):
    """Away, then a key pressed at 301.3 s, between two samples 2 s apart: counting starts there."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        play(recorder, [(float(t), EDITOR, 0.0) for t in range(100, 302, 2)])  # away since 0
        play(recorder, [(302.0, EDITOR, 301.3), (304.0, EDITOR, 303.9)])
        recorder.close_current()
        assert stored(store) == pytest.approx({"notes.md": 304.0 - 301.3})
