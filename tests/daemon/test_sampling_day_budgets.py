"""The sampling job keeps each day's budgets: on the day's first sample, again when the settings change.

The job runs with an injected clock and a fake desktop (one window, the user active) into
a real store; the settings are reloaded from a real config file, as the daemon does.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon import sampling_job
from monitor.store.database import Store
from monitor.store.day_budgets import day_budgets_between
from monitor.tracking.platforms.base import ActiveWindow
from tests.conftest import write_config

BERLIN = ZoneInfo("Europe/Berlin")
MON, SAT = date(2026, 5, 11), date(2026, 5, 16)
CONFIG = '[tracking]\nsample_every = "1s"\n[budgets]\ntotal = "2h"\nsocial = "{social}"\n' \
         '[budgets.weekend]\ntotal = "3h"\n'


class FakePlatform:
    """Stands in for the desktop: one focused window, the user always active."""

    name = "fake"

    def active_window(self) -> ActiveWindow:
        return ActiveWindow("editor", "notes", 1)

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass


def berlin(day: date, hour: int) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC).timestamp()


def edit_config(paths, social: str, stamp: float) -> None:
    """Rewrite the config file with a new social budget, and a new modification time."""
    write_config(paths, CONFIG.format(social=social))
    os.utime(paths.config_file, (stamp, stamp))


def kept(paths) -> dict[date, dict[str, float]]:
    with Store(paths.database) as store:
        return day_budgets_between(store, MON, SAT)


@pytest.fixture
def job(user_paths, monkeypatch):
    monkeypatch.setattr(sampling_job, "local_zone", lambda: BERLIN)
    edit_config(user_paths, "30m", 1_000_000)
    writes: list[date] = []
    real = sampling_job.record_day_budgets

    def counted(store, day, budgets):
        writes.append(day)
        real(store, day, budgets)

    monkeypatch.setattr(sampling_job, "record_day_budgets", counted)
    now = [berlin(MON, 10)]
    running = sampling_job.SamplingJob(SettingsWatcher(load_settings(user_paths)),
                                       platform_opener=FakePlatform, clock=lambda: now[0])
    running.now = now  # type: ignore[attr-defined]
    running.writes = writes  # type: ignore[attr-defined]
    yield running
    running.close()


def ticks(job, count: int) -> None:
    for _ in range(count):
        job.tick()
        job.now[0] += 1.0


def test_the_first_sample_of_a_day_keeps_its_budgets_once(job, user_paths):
    ticks(job, 30)
    assert kept(user_paths) == {MON: {"total": 7200.0, "social": 1800.0}}
    assert job.writes == [MON]  # not once per sample


def test_a_change_during_the_day_replaces_them_and_the_next_day_gets_its_own(job, user_paths):
    ticks(job, 5)
    edit_config(user_paths, "45m", 2_000_000)  # the person loosens the social budget in the evening
    ticks(job, 5)
    assert kept(user_paths) == {MON: {"total": 7200.0, "social": 2700.0}}  # the last of the day wins
    job.now[0] = berlin(SAT, 10)
    ticks(job, 5)
    assert kept(user_paths) == {MON: {"total": 7200.0, "social": 2700.0},
                                SAT: {"total": 10800.0, "social": 2700.0}}  # the weekend's total
    assert job.writes == [MON, MON, SAT]


def test_a_locked_store_delays_the_record_without_stopping_sampling(job, user_paths, caplog):
    other = sqlite3.connect(user_paths.database, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with caplog.at_level(logging.WARNING, logger="monitor.daemon.sampling_job"):
            ticks(job, 3)
        other.execute("ROLLBACK")
    finally:
        other.close()
    warnings = [r.getMessage() for r in caplog.records if "budgets are not recorded" in r.getMessage()]
    assert len(warnings) == 1  # said once, not every sample
    assert "locked" in warnings[0]
    assert job.ticks == 3
    ticks(job, 2)
    assert kept(user_paths) == {MON: {"total": 7200.0, "social": 1800.0}}
