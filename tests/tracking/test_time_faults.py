"""Time going strange: daylight-saving changes, a zone change while running, the day start,
and a clock set back (an NTP correction). No span is negative, none crosses its day's
bounds, no second is counted twice, and the day totals add up to the time sampled.

Spans go through the real Recorder into a real Store; the sampling job runs with an
injected clock, a fake platform (a desktop cannot be made to live through a DST change)
and a patched ``local_zone`` standing in for the machine's zone setting.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.core.days import day_bounds, day_of, day_start, next_day_start
from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon import sampling_job
from monitor.store.database import Store
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.recorder import Recorder
from monitor.tracking.spans import Observation
from tests.conftest import write_config

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
A = Observation("editor", "notes", "uncategorized", "notes")
B = Observation("firefox", "Feed | LinkedIn", "social", "LinkedIn")
ZONES = [BERLIN, NEW_YORK, TOKYO, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("America/Havana"),
         ZoneInfo("America/Santiago"), ZoneInfo("Pacific/Apia"), ZoneInfo("Asia/Tehran"), UTC]


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def transitions(zone, first_year: int = 2010, last_year: int = 2030) -> list[float]:
    """The instants (UTC) at which ``zone`` changes its offset, found day by day then bisected."""
    found = []
    day = utc(first_year, 1, 1)
    offset = datetime.fromtimestamp(day, zone).utcoffset()
    while day < utc(last_year, 1, 1):
        following = day + 86400
        if datetime.fromtimestamp(following, zone).utcoffset() != offset:
            low, high = day, following
            while high - low > 1:
                middle = (low + high) // 2
                if datetime.fromtimestamp(middle, zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(float(high))
            offset = datetime.fromtimestamp(following, zone).utcoffset()
        day = following
    return found


CHANGES = [(zone, moment) for zone in ZONES for moment in transitions(zone)]


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(change=st.sampled_from(CHANGES), offset=st.floats(min_value=-36 * 3600, max_value=36 * 3600),
       hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 45]))
def test_every_instant_lies_inside_the_bounds_of_its_day(change, offset, hour, minute):
    """Near every offset change 2010-2030 of nine zones, whatever hour the day starts at."""
    zone, moment = change
    instant = moment + offset
    starts_at = time(hour, minute)
    day = day_of(instant, starts_at, zone)
    start, end = day_bounds(day, starts_at, zone)
    assert start <= instant < end
    assert next_day_start(instant, starts_at, zone) == end > instant


@pytest.mark.parametrize(("moment", "starts_at"), [
    (utc(2026, 10, 25, 1, 15), time(2, 30)),   # Berlin falls back: 02:30 happens twice
    (utc(2026, 10, 25, 0, 45), time(2, 30)),
    (utc(2026, 3, 29, 1, 15), time(2, 30)),    # Berlin springs forward: 02:30 never happens
    (utc(2026, 3, 29, 0, 45), time(2, 30)),
])
def test_a_day_starting_inside_the_changed_hour_is_still_one_day(moment, starts_at):
    day = day_of(moment, starts_at, BERLIN)
    start, end = day_bounds(day, starts_at, BERLIN)
    assert start <= moment < end


def record_stream(store: Store, zone, starts_at: time, first: float, last: float, step: float = 5.0,
                  *, clock_jumps: dict[float, float] | None = None, switch_every: int = 10**9) -> Recorder:
    """Sample every ``step`` s from ``first`` to ``last`` (real time); the clock read may jump.

    The focus moves between two windows every ``switch_every`` samples (``A`` only by
    default), so spans start everywhere. ``clock_jumps`` maps a real instant to how far
    the clock moves then (negative: back).
    """
    recorder = Recorder(store, device="test", day_end_after=lambda t: next_day_start(t, starts_at, zone))
    offset = 0.0
    for number in range(round((last - first) / step) + 1):
        real = first + number * step
        offset += sum(jump for when, jump in (clock_jumps or {}).items() if real - step < when <= real)
        seen = A if number % switch_every < switch_every // 2 + 1 else B
        recorder.record(real + offset, seen, idle_seconds=0.0, idle_after=180.0, pulse=step * 1.5)
    recorder.close_current()
    return recorder


def stored(store: Store) -> list[tuple[float, float]]:
    return [(row[0], row[1]) for row in store.connection.execute(
        "SELECT start_utc, end_utc FROM spans ORDER BY start_utc, end_utc")]


def assert_sound(spans: list[tuple[float, float]], zone, starts_at: time) -> None:
    """No negative span, none overlapping another, each inside the bounds of its day."""
    for (start, end), following in zip(spans, [*spans[1:], None], strict=True):
        assert end >= start
        day_start_utc, day_end_utc = day_bounds(day_of(start, starts_at, zone), starts_at, zone)
        assert day_start_utc <= start <= end <= day_end_utc
        if following is not None:
            assert following[0] >= end, "two spans overlap: time counted twice"


@pytest.mark.parametrize("starts_at", [time(4, 0), time(2, 30), time(3, 0), time(0, 0)])
@pytest.mark.parametrize(("first", "last"), [
    (utc(2026, 10, 24, 22, 0), utc(2026, 10, 25, 4, 0)),   # autumn: the night is 25 h long
    (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 4, 0)),     # spring: 23 h
])
def test_a_night_across_a_daylight_saving_change(tmp_path, starts_at, first, last):
    with Store(tmp_path / "u.sqlite3") as store:
        record_stream(store, BERLIN, starts_at, first, last, switch_every=7)
        spans = stored(store)
        assert_sound(spans, BERLIN, starts_at)
        assert sum(end - start for start, end in spans) == pytest.approx(last - first)
        days = {day_of(start, starts_at, BERLIN) for start, _ in spans}
        by_day = 0.0
        for day in days:
            low, high = day_bounds(day, starts_at, BERLIN)
            by_day += store.connection.execute(
                "SELECT SUM(end_utc - start_utc) FROM spans WHERE start_utc >= ? AND start_utc < ?",
                (low, high)).fetchone()[0]
        assert by_day == pytest.approx(last - first)  # the day totals add up, nothing twice


def test_the_day_start_splits_a_late_night(tmp_path):
    starts_at = time(4, 0)
    boundary = day_start(date(2026, 6, 2), starts_at, BERLIN)
    with Store(tmp_path / "u.sqlite3") as store:
        record_stream(store, BERLIN, starts_at, boundary - 600, boundary + 600)
        spans = stored(store)
    assert spans == [(boundary - 600, boundary), (boundary, boundary + 600)]
    assert [day_of(start, starts_at, BERLIN) for start, _ in spans] == [date(2026, 6, 1), date(2026, 6, 2)]


@pytest.mark.parametrize("back", [1.5, 30.0, 600.0])
def test_a_clock_set_back_counts_no_second_twice(tmp_path, caplog, back):
    first, last = utc(2026, 5, 4, 10, 0), utc(2026, 5, 4, 11, 0)
    jump_at = first + 1800
    caplog.set_level(logging.INFO, logger="monitor.tracking.recorder")
    with Store(tmp_path / "u.sqlite3") as store:
        record_stream(store, BERLIN, time(4, 0), first, last, step=1.0, clock_jumps={jump_at: -back})
        spans = stored(store)
    assert_sound(spans, BERLIN, time(4, 0))
    counted = sum(end - start for start, end in spans)
    # every instant from first to last is counted once at most; what is lost is the jump
    assert counted <= last - first
    assert counted >= last - first - back - 2.0
    assert "the clock went back" in caplog.text
    assert "counting again" in caplog.text


def test_a_clock_set_back_by_hours_counts_on_from_the_new_time(tmp_path, caplog):
    first = utc(2026, 5, 4, 10, 0)
    with Store(tmp_path / "u.sqlite3") as store:
        record_stream(store, BERLIN, time(4, 0), first, first + 600, step=1.0,
                      clock_jumps={first + 300: -7200.0})
        spans = stored(store)
    assert all(end >= start for start, end in spans)
    # 300 s before the jump, and the 300 s after it, counted at the new (earlier) time
    assert sum(end - start for start, end in spans) == pytest.approx(600, abs=2)
    assert "counting on from the new time" in caplog.text


class FakePlatform:
    """Stands in for the desktop: one focused window, the user always active."""

    name = "fake"

    def active_window(self) -> ActiveWindow:
        return ActiveWindow("editor", "notes", 1)

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass


def test_a_zone_change_while_running_moves_the_day_boundary_fake_platform(user_paths, monkeypatch):
    """The user flies Berlin → New York: within a minute the job follows the new zone."""
    write_config(user_paths, '[tracking]\nsample_every = "10s"\n[budgets]\ntotal = ""\nsocial = ""\n')
    zone = [BERLIN]
    monkeypatch.setattr(sampling_job, "local_zone", lambda: zone[0])
    now = [utc(2026, 6, 1, 20, 0)]  # 22:00 in Berlin, 16:00 in New York
    job = sampling_job.SamplingJob(SettingsWatcher(load_settings(user_paths)),
                                   platform_opener=FakePlatform, clock=lambda: now[0])
    try:
        for _ in range(60):  # ten minutes on Berlin time
            job.tick()
            now[0] += 10
        zone[0] = NEW_YORK
        end = utc(2026, 6, 2, 10, 0)  # 06:00 in New York the next morning
        while now[0] <= end:
            job.tick()
            now[0] += 10
        assert job.zone is NEW_YORK
    finally:
        job.close()
    starts_at = time(4, 0)
    with Store(user_paths.database) as store:
        spans = stored(store)
    assert_sound(spans, NEW_YORK, starts_at)
    assert sum(b - a for a, b in spans) == pytest.approx(end - utc(2026, 6, 1, 20, 0), abs=10)
    # the day boundary that counts is New York's 04:00, not Berlin's
    boundary = day_start(date(2026, 6, 2), starts_at, NEW_YORK)
    assert boundary in {a for a, _ in spans}
    assert day_start(date(2026, 6, 2), starts_at, BERLIN) not in {a for a, _ in spans}


def test_the_job_after_a_clock_set_back_fake_platform(user_paths):
    """An NTP step back under the running job: nothing is counted twice, the job keeps going."""
    write_config(user_paths, '[tracking]\nsample_every = "1s"\n[budgets]\ntotal = ""\nsocial = ""\n')
    now = [utc(2026, 6, 1, 9, 0)]
    job = sampling_job.SamplingJob(SettingsWatcher(load_settings(user_paths)),
                                   platform_opener=FakePlatform, clock=lambda: now[0])
    try:
        for second in range(240):
            job.tick()
            now[0] += 1.0 if second != 120 else -45.0
    finally:
        job.close()
    with Store(user_paths.database) as store:
        spans = stored(store)
    assert_sound(spans, BERLIN, time(4, 0))
    assert 240 - 45 - 3 <= sum(b - a for a, b in spans) <= 240 - 45 + 1
    assert timedelta(seconds=spans[-1][1] - spans[0][0]) <= timedelta(seconds=240)
