"""The daemon's periodic job: sample the desktop, fold the sample into spans, store it.

A failure inside one tick is logged and the next tick starts afresh: no window
title, vanished process, lost display or locked database ends the daemon.

The job's store connection waits at most a quarter of the sample interval for a lock
(``sampling_busy_timeout``), not the store's usual 10 s: while another program holds
the database (a long import, a ``BEGIN EXCLUSIVE``), sampling keeps its rhythm, the
recorder keeps the spans in memory, and they are written once the lock is free. With
10 s, each blocked tick would stall sampling and the attention in between would be lost.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import tzinfo

from monitor.categories import Rules, load_rules
from monitor.days import local_zone, next_day_start
from monitor.heartbeat import Heartbeat, write_heartbeat
from monitor.notify import Notifier
from monitor.nudges import Nudger
from monitor.pause import is_paused
from monitor.platforms import Platform, open_platform
from monitor.recorder import Recorder
from monitor.sampler import Sampler, observe
from monitor.settings import Settings
from monitor.settings_watch import SettingsWatcher
from monitor.store import Store

log = logging.getLogger(__name__)

ZONE_REFRESH_SECONDS = 60.0
MIN_BUSY_TIMEOUT = 0.02
MAX_BUSY_TIMEOUT = 1.0


def sampling_busy_timeout(interval: float) -> float:
    """How long (s) a tick may wait for the database lock: a quarter of the interval, 20 ms to 1 s."""
    return max(MIN_BUSY_TIMEOUT, min(interval / 4, MAX_BUSY_TIMEOUT))


class SamplingJob:
    """One tick per sample interval; owns the store connection and the desktop connection."""

    def __init__(
        self,
        watcher: SettingsWatcher,
        *,
        platform_opener: Callable[[], Platform] = open_platform,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Prepare to sample with the settings ``watcher`` keeps current."""
        self.watcher = watcher
        self.clock = clock
        settings = watcher.settings
        self.store = Store(settings.paths.database)
        self.ticks = 0
        self._busy_timeout = self._fit_busy_timeout()
        self.rules: Rules = load_rules(settings)
        self.sampler = Sampler(platform_opener)
        self._zone: tzinfo = local_zone()
        self._zone_checked = clock()
        self.recorder = Recorder(self.store, device=settings.tracking.device,
                                 day_end_after=self._day_end_after)
        self.notifier = Notifier()
        self.nudger = Nudger(settings.paths.database, self.notifier, clock=clock)

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self.watcher.settings

    @property
    def interval(self) -> float:
        """The sample interval in seconds."""
        return self.settings.tracking.sample_every.total_seconds()

    @property
    def zone(self) -> tzinfo:
        """The local time zone, re-read every minute so a zone change is noticed."""
        return self._zone

    def _fit_busy_timeout(self) -> float:
        seconds = sampling_busy_timeout(self.interval)
        self.store.connection.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")
        return seconds

    def _day_end_after(self, instant: float) -> float:
        return next_day_start(instant, self.settings.day_starts_at, self._zone)

    def tick(self) -> None:
        """Take one sample; never raises."""
        try:
            self._tick()
        except Exception:
            log.exception("a sample failed; trying again next time")

    def _refresh(self, now: float) -> None:
        if self.watcher.poll():
            try:
                self.rules = load_rules(self.settings)
            except Exception as exc:
                log.error("category rules not reloaded, keeping the last good ones: %s", exc)
            self.recorder.device = self.settings.tracking.device
            if sampling_busy_timeout(self.interval) != self._busy_timeout:
                self._busy_timeout = self._fit_busy_timeout()
        if now - self._zone_checked >= ZONE_REFRESH_SECONDS or now < self._zone_checked:
            self._zone = local_zone()
            self._zone_checked = now

    def _tick(self) -> None:
        now = self.clock()
        self.ticks += 1
        self._refresh(now)
        tracking = self.settings.tracking
        if is_paused(self.store, now):
            self.recorder.close_current()
            self._heartbeat(now, "paused")
            return
        reading = self.sampler.read()
        if reading is None:
            self.recorder.close_current()
            self._heartbeat(now, "desktop unavailable")
            return
        observation = observe(reading.window, self.rules, tracking)
        step = self.recorder.record(
            now, observation, idle_seconds=reading.idle_seconds,
            idle_after=tracking.idle_after.total_seconds(),
            pulse=tracking.pulse.total_seconds(),
        )
        status = "tracking" if step.current is not None else (
            "idle" if reading.idle_seconds >= tracking.idle_after.total_seconds() else "no window")
        self._heartbeat(now, status, reading.backend)
        if step.current is not None and not self.recorder.failing:
            self._nudge(now)  # while writes fail, the totals are stale and no notice could be recorded

    def _nudge(self, now: float) -> None:
        try:
            self.nudger.check(self.store, self.settings, now, self._zone)
        except Exception:
            log.exception("checking the budgets failed; trying again next sample")

    def _heartbeat(self, now: float, status: str, backend: str | None = None) -> None:
        if self.recorder.failing:
            return  # the store refused the spans just now: do not wait for it a second time
        try:
            write_heartbeat(self.store, Heartbeat(at=now, status=status, backend=backend,
                                                  ticks=self.ticks))
        except sqlite3.Error:
            log.debug("heartbeat not written", exc_info=True)

    def close(self) -> None:
        """Store the growing span and release the desktop and the store."""
        try:
            self.recorder.close_current()
        finally:
            self.sampler.close()
            self.notifier.close()
            self.store.close()
