"""Turning an X server's event stamp into the instant it happened (pure; no display)."""

from __future__ import annotations

import pytest

from monitor.tracking.platforms.x11_events import MAX_EVENT_LAG_SECONDS, instant_of_stamp

WALL = 1_796_000_000.0  # some UTC instant in 2026


def test_a_stamp_from_this_machines_clock_is_that_long_before_now():
    monotonic = 28_882.500  # seconds since boot
    assert instant_of_stamp(28_882_200, monotonic, WALL) == pytest.approx(WALL - 0.3)


def test_a_stamp_of_this_very_millisecond_is_now():
    assert instant_of_stamp(1_000, 1.0004, WALL) == pytest.approx(WALL)


def test_the_32_bit_stamp_wraps_after_49_7_days():
    monotonic = (1 << 32) / 1000 + 0.250  # 250 ms after the wrap
    stamp = (1 << 32) - 750  # 750 ms before it
    assert instant_of_stamp(stamp, monotonic, WALL) == pytest.approx(WALL - 1.0)


@pytest.mark.parametrize("lag", [MAX_EVENT_LAG_SECONDS + 0.001, 3600.0, 40 * 86400.0])
def test_a_stamp_from_longer_ago_is_from_a_clock_of_its_own(lag):
    monotonic = 50 * 86400.0
    assert instant_of_stamp(int((monotonic - lag) * 1000), monotonic, WALL) is None


def test_a_stamp_ahead_of_this_clock_is_from_a_clock_of_its_own():
    # a remote server's clock, 2 s ahead of ours: modulo 2**32 that is a lag of 49.7 days
    assert instant_of_stamp(10_002_000, 10_000.0, WALL) is None


def test_the_lag_limit_itself_still_tells():
    monotonic = 100.0
    stamp = int((monotonic - MAX_EVENT_LAG_SECONDS) * 1000)
    assert instant_of_stamp(stamp, monotonic, WALL) == pytest.approx(WALL - MAX_EVENT_LAG_SECONDS)
