"""The daemon's own scheduler: periods, coalescing after a sleep, a worker job, failures, stopping."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import next_weekly
from monitor.daemon.scheduler import Scheduler, every
from tests.helpers import wait_until

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def scheduler():
    made = Scheduler()
    yield made
    made.shutdown(timeout=5)


def test_a_period_runs_again_and_again(scheduler):
    runs: list[float] = []
    scheduler.add("tick", lambda: runs.append(time.time()), every(0.05), first=time.time())
    scheduler.start()
    wait_until(lambda: len(runs) >= 5, timeout=5, message="five runs")
    assert runs == sorted(runs)


def test_a_job_late_by_many_periods_runs_once_and_goes_on_from_now():
    now = [1000.0]
    runs: list[float] = []
    scheduler = Scheduler(clock=lambda: now[0])
    done = threading.Event()

    def job() -> None:
        runs.append(now[0])
        done.set()

    scheduler.add("tick", job, every(60.0), first=now[0] - 3600.0)  # due an hour ago: 60 runs missed
    scheduler.start()
    try:
        assert done.wait(5)
        wait_until(lambda: scheduler._jobs["tick"].due == 1060.0, timeout=5, message="the next due moment")
        assert runs == [1000.0]
    finally:
        scheduler.shutdown(timeout=5)


def test_a_worker_job_does_not_hold_up_the_short_ones(scheduler):
    release = threading.Event()
    ticks: list[float] = []
    worker_runs: list[str] = []

    def long_job() -> None:
        worker_runs.append(threading.current_thread().name)
        release.wait(10)

    scheduler.add("weekly", long_job, every(0.01), first=time.time(), worker=True)
    scheduler.add("tick", lambda: ticks.append(time.time()), every(0.05), first=time.time())
    scheduler.start()
    wait_until(lambda: len(ticks) >= 5, timeout=5, message="ticks while the worker job runs")
    assert worker_runs == ["unscroll-weekly"]  # one at a time: not started again while it runs
    release.set()
    wait_until(lambda: len(worker_runs) >= 2, timeout=5, message="the worker job's next run")


def test_a_failing_job_is_logged_and_runs_again(scheduler, caplog):
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    scheduler.add("bad", failing, every(0.05), first=time.time())
    scheduler.start()
    wait_until(lambda: len(calls) >= 3, timeout=5, message="three runs despite failing")
    assert "the bad job failed" in caplog.text


def test_reschedule_and_shutdown(scheduler):
    runs: list[float] = []
    scheduler.add("tick", lambda: runs.append(time.time()), every(3600.0), first=time.time())
    scheduler.start()
    wait_until(lambda: len(runs) == 1, timeout=5, message="the first run")
    scheduler.reschedule("tick", every(0.05), first=time.time())
    wait_until(lambda: len(runs) >= 3, timeout=5, message="runs at the new period")
    scheduler.shutdown(timeout=5)
    assert not scheduler.running
    count = len(runs)
    time.sleep(0.2)  # a stopped scheduler: nothing more may run in this time
    assert len(runs) == count


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).timestamp()


def test_next_weekly_is_local_wall_time_across_a_clock_change():
    sunday_six = dt_time(18, 0)
    # Thursday 24 Oct 2024 -> Sunday 27 Oct 18:00, the day the clocks went back in Berlin
    assert next_weekly(local(2024, 10, 24, 9), 6, sunday_six, BERLIN) == local(2024, 10, 27, 18)
    # exactly at the moment: the next week's
    assert next_weekly(local(2024, 10, 27, 18), 6, sunday_six, BERLIN) == local(2024, 11, 3, 18)
    # later the same day: next week
    assert next_weekly(local(2024, 10, 27, 19), 6, sunday_six, BERLIN) == local(2024, 11, 3, 18)
    # earlier the same day: today
    assert next_weekly(local(2024, 3, 31, 1), 6, sunday_six, BERLIN) == local(2024, 3, 31, 18)
