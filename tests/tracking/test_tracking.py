"""The pure span logic: merging, gaps, idleness, day boundaries, clock jumps."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from monitor.core.days import day_bounds, next_day_start
from monitor.tracking.spans import Observation, Span, advance

A = Observation("xterm", "left", "uncategorized", "left")
B = Observation("firefox", "Facebook", "social", "Facebook")
FAR = 10**12


def no_day_end(_instant: float) -> float:
    return FAR


def run(samples, *, pulse=1.5, idle_after=180.0, day_end_after=no_day_end):
    """Feed (at, observation, idle) samples and return every finished span plus the open one."""
    current: Span | None = None
    finished: list[Span] = []
    for at, observation, idle in samples:
        step = advance(current, at, observation, idle_seconds=idle, idle_after=idle_after,
                       pulse=pulse, day_end_after=day_end_after)
        finished.extend(step.closed)
        current = step.current
    return finished + ([current] if current else [])


def totals(spans):
    result: dict[str, float] = {}
    for span in spans:
        result[span.observation.name] = result.get(span.observation.name, 0.0) + span.seconds
    return result


def test_same_window_merges_into_one_span():
    spans = run([(t, A, 0.0) for t in range(100, 111)])
    assert len(spans) == 1
    assert spans[0].start == 100
    assert spans[0].end == 110


def test_switch_attributes_the_interval_to_the_new_window():
    samples = [(t, A, 0.0) for t in range(0, 9)] + [(t, B, 0.0) for t in range(9, 14)]
    spans = run(samples)
    assert [s.observation for s in spans] == [A, B]
    assert totals(spans) == {"left": 8.0, "Facebook": 5.0}
    assert spans[1].start == spans[0].end


def test_gap_longer_than_pulse_is_not_counted():
    samples = [(t, A, 0.0) for t in range(0, 5)] + [(t, A, 0.0) for t in range(60, 65)]
    spans = run(samples)
    assert len(spans) == 2
    assert sum(s.seconds for s in spans) == 8.0


def test_idle_past_threshold_closes_span_at_last_input():
    samples = [(t, A, float(max(0, t - 10))) for t in range(0, 30)]
    spans = run(samples, idle_after=5.0)
    # input stopped at t=10; at t=15 idle hits 5 s: nothing after t=10 counts
    assert sum(s.seconds for s in spans) == 10.0


def test_idle_then_back_starts_a_new_span():
    samples = [(0, A, 0.0), (1, A, 0.0), (2, A, 1.0), (7, A, 6.0), (8, A, 0.0), (9, A, 0.0)]
    spans = run(samples, idle_after=5.0)
    assert [(s.start, s.end) for s in spans] == [(0, 1), (8, 9)]


def test_no_window_ends_the_span():
    spans = run([(0, A, 0.0), (1, A, 0.0), (2, None, 0.0), (3, None, 0.0), (4, A, 0.0), (5, A, 0.0)])
    assert [(s.start, s.end) for s in spans] == [(0, 1), (4, 5)]


def test_clock_jumping_back_never_counts_negative_time():
    spans = run([(100, A, 0.0), (101, A, 0.0), (102, A, 0.0), (50, A, 0.0), (51, A, 0.0)])
    assert all(s.seconds >= 0 for s in spans)
    assert sum(s.seconds for s in spans) == 3.0


def test_span_splits_at_the_configured_day_start():
    zone = ZoneInfo("Europe/Berlin")
    boundary = day_bounds(date(2026, 3, 10), time(4, 0), zone)[1]
    samples = [(boundary + offset, A, 0.0) for offset in range(-3, 4)]
    spans = run(samples, day_end_after=lambda t: next_day_start(t, time(4, 0), zone))
    assert [(s.start - boundary, s.end - boundary) for s in spans] == [(-3, 0), (0, 3)]


def test_span_splits_when_switching_exactly_across_the_boundary():
    zone = ZoneInfo("Europe/Berlin")
    boundary = day_bounds(date(2026, 3, 10), time(4, 0), zone)[1]
    samples = [(boundary - 2, A, 0.0), (boundary - 0.5, A, 0.0), (boundary + 0.5, B, 0.0)]
    spans = run(samples, day_end_after=lambda t: next_day_start(t, time(4, 0), zone))
    parts = [(s.observation.name, s.start - boundary, s.end - boundary) for s in spans]
    assert parts == [("left", -2, -0.5), ("Facebook", -0.5, 0), ("Facebook", 0, 0.5)]
