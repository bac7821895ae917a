"""The daemon's periodic job: sample the desktop, fold the sample into spans, store it.

A failure inside one tick is logged and the next tick starts afresh: no window
title, vanished process, lost display or locked database ends the daemon.

The job's store connection waits at most a quarter of the sample interval for a lock
(``sampling_busy_timeout``), not the store's usual 10 s: while another program holds
the database (a long import, a ``BEGIN EXCLUSIVE``), sampling keeps its rhythm, the
recorder keeps the spans in memory, and they are written once the lock is free. With
10 s, each blocked tick would stall sampling and the attention in between would be lost.

With ``tracking.focus_events`` on, where the desktop reports focus and title changes
(X11, sway, KWin), ``follow_changes`` runs on a thread of its own and samples the moment
one happens, so a switch is credited at its instant, not at the sample before it; a
timer's sample that would follow such a sample closely is skipped.

Each local day's budgets are recorded (monitor.store.day_budgets) when the job first
samples the day and again when the settings change during it, so that a week gone by is
judged against the budgets of its own days.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, tzinfo

from monitor.core.days import day_of, local_zone, next_day_start
from monitor.core.errors import StoreWriteError
from monitor.core.settings import Budgets, Settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon.doorway_job import DoorwayJob
from monitor.nudge.notify import Notifier
from monitor.nudge.nudger import Nudger
from monitor.store.database import Store
from monitor.store.day_budgets import record_day_budgets
from monitor.tracking.categories import Rules, load_rules
from monitor.tracking.heartbeat import Heartbeat, read_heartbeat, write_heartbeat
from monitor.tracking.observe import CachedObserver
from monitor.tracking.pause import is_paused
from monitor.tracking.platforms import Platform, open_platform
from monitor.tracking.recorder import Recorder, Write
from monitor.tracking.sampler import Sampler

log = logging.getLogger(__name__)

ZONE_REFRESH_SECONDS = 60.0
MIN_BUSY_TIMEOUT = 0.02
MAX_BUSY_TIMEOUT = 1.0
CHANGE_WAIT_SECONDS = 600.0
"""How long one wait for a focus event lasts; closing the backend ends it sooner."""
SKIP_AFTER_CHANGE = 0.45
"""A timer's sample this soon (a fraction of the interval) after a change's sample is skipped."""
EVENT_GAP_SECONDS = 0.2
"""Events closer together than this are folded into one sample (a title ticking like a clock)."""


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
        self.observe = CachedObserver()
        self._zone: tzinfo = local_zone()
        self._zone_checked = clock()
        self.recorder = Recorder(self.store, device=settings.tracking.device,
                                 day_end_after=self._day_end_after)
        self.notifier = Notifier()
        self.nudger = Nudger(settings.paths.database, self.notifier, clock=clock)
        self.doorway = DoorwayJob(settings.paths.database, self.sampler, self.notifier,
                                  lambda: self.nudger.people, lambda: self.settings, clock)
        self.on_reload: Callable[[Settings], None] | None = None
        """Called with the new settings after the config file was reloaded (the daemon reschedules)."""
        self._lock = threading.Lock()
        """Samples come from the scheduler's thread and from ``follow_changes``: one at a time."""
        self._closed = False
        self._change_sampled_at: float | None = None
        self._budgets_kept: tuple[date, Budgets] | None = None
        """The day whose budgets were last recorded, and the budgets (settings) they came from."""
        self._budgets_failing = False
        beat = read_heartbeat(self.store)
        if beat is not None and beat.last_input is not None:
            self.recorder.recover(beat.last_input)  # the last daemon may have died while you were away

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
        self.store.set_busy_timeout(seconds)
        return seconds

    def _day_end_after(self, instant: float) -> float:
        return next_day_start(instant, self.settings.day_starts_at, self._zone)

    def tick(self, switch_at: float | None = None) -> None:
        """Take one sample (``switch_at``: the instant the desktop reported a change); never raises.

        A timer's sample soon after a change's sample (``SKIP_AFTER_CHANGE`` of an interval) is
        skipped: it would add nothing but work, and the next one still joins the span (the gap
        stays under the pulse of 1.5 intervals).
        """
        with self._lock:
            if self._closed:
                return
            now = self.clock()
            if switch_at is None and self._change_sampled_at is not None:
                recent = 0 <= now - self._change_sampled_at < self.interval * SKIP_AFTER_CHANGE
                self._change_sampled_at = None
                if recent:
                    return
            elif switch_at is not None:
                self._change_sampled_at = now
            try:
                self._tick(switch_at)
            except Exception:
                log.exception("a sample failed; trying again next time")

    def follow_changes(self, stopping: threading.Event) -> None:
        """Sample whenever the desktop reports a focus or title change, until ``stopping`` is set.

        Runs on a thread of its own; returns at once where the backend reports no changes.
        """
        if not self.settings.tracking.focus_events:
            return  # off in the settings (read when the daemon starts)
        last_tick = 0.0
        while not stopping.is_set() and self.sampler.reports_changes is not False:
            started = time.monotonic()
            changed_at = self.sampler.wait_for_change(CHANGE_WAIT_SECONDS)
            if stopping.is_set():
                return
            if changed_at is not None:
                # at most one sample per EVENT_GAP_SECONDS (a title ticking like a clock), each
                # credited at the instant its change was seen
                stopping.wait(last_tick + EVENT_GAP_SECONDS - time.monotonic())
                self.tick(switch_at=changed_at)
                last_tick = time.monotonic()
            elif time.monotonic() - started < CHANGE_WAIT_SECONDS / 2:  # none to wait for now
                if self.sampler.reports_changes is None:
                    self.sampler.opened.wait(self.interval)  # no backend open yet: until one is
                else:
                    stopping.wait(self.interval)  # the desktop went away: look after a sample

    def _refresh(self, now: float) -> None:
        if self.watcher.poll():
            try:
                self.rules = load_rules(self.settings)
            except Exception as exc:
                log.error("category rules not reloaded, keeping the last good ones: %s", exc)
            self.recorder.device = self.settings.tracking.device
            if sampling_busy_timeout(self.interval) != self._busy_timeout:
                self._busy_timeout = self._fit_busy_timeout()
            if self.on_reload is not None:
                self.on_reload(self.settings)
        if now - self._zone_checked >= ZONE_REFRESH_SECONDS or now < self._zone_checked:
            self._zone = local_zone()
            self._zone_checked = now

    def _tick(self, switch_at: float | None) -> None:
        now = self.clock()
        self.ticks += 1
        self._refresh(now)
        self._keep_budgets(now)
        tracking = self.settings.tracking
        if is_paused(self.store, now):
            self.recorder.close_current(self._heartbeat(now, "paused"))
            return
        reading = self.sampler.read()
        if reading is None:
            self.recorder.close_current(self._heartbeat(now, "desktop unavailable"))
            return
        # the sample's instant is when the desktop answered: its idle time counts to then, and
        # the work before it (the settings, the store) can take a while on a busy machine
        now = self.clock()
        if switch_at is None and tracking.focus_events:
            switch_at = self._unsampled_switch()
        observation = self.observe(reading.window, self.rules, tracking)
        idle_after = tracking.idle_after.total_seconds()
        # watching is not away: with no input, is the focused window's media playing?
        playback = self.sampler.playback(reading.window) if reading.idle_seconds >= idle_after else None

        def status() -> str:  # asked once the sample is folded in, inside the recorder's write
            if self.recorder.current is not None:
                return "watching" if self.recorder.current.watching else "tracking"
            return "idle" if reading.idle_seconds >= idle_after else "no window"

        step = self.recorder.record(
            now, observation, idle_seconds=reading.idle_seconds, idle_after=idle_after,
            pulse=tracking.pulse.total_seconds(), switch_at=switch_at, playback=playback,
            watching_max=tracking.watching_max.total_seconds(),
            also=self._heartbeat(now, status, reading.backend, last_input=now - reading.idle_seconds),
        )
        if tracking.focus_events:
            self.sampler.wake_on_input(reading.idle_seconds >= idle_after)  # a return, timed to the input
        if step.current is not None and not self.recorder.failing:
            self._nudge(now)  # while writes fail, the totals are stale and no notice could be recorded
        focused = None if step.current is None else step.current.observation.category
        self.doorway.check(self.store, self.settings, now, self._zone, focused,
                           None if reading.window is None else reading.window.handle)

    def _unsampled_switch(self) -> float | None:
        """A change the desktop reported after the growing span's last sample, if any.

        A timer's sample can find the focus moved before the change's own sample runs (the
        events thread waits for the desktop to settle, and for the lock): the switch is still
        credited to when it happened, not to this span's last sample.
        """
        current, latest = self.recorder.current, self.sampler.latest_change()
        if current is None or latest is None or latest <= current.end:
            return None
        return latest

    def _keep_budgets(self, now: float) -> None:
        """Record the day's budgets when the day is new to the job or the settings changed.

        The weekly report judges each day by them; the last write of a day wins.
        """
        day = day_of(now, self.settings.day_starts_at, self._zone)
        budgets = self.settings.budgets
        kept = self._budgets_kept
        if kept is not None and kept[0] == day and kept[1] is budgets:  # reloaded settings: new objects
            return
        try:
            record_day_budgets(self.store, day, {name: value.total_seconds()
                                                 for name, value in budgets.for_day(day).items()})
        except StoreWriteError as exc:
            if not self._budgets_failing:
                log.warning("the day's budgets are not recorded yet (%s); trying again each sample", exc)
            self._budgets_failing = True
            return
        self._budgets_kept, self._budgets_failing = (day, budgets), False

    def _nudge(self, now: float) -> None:
        try:
            self.nudger.check(self.store, self.settings, now, self._zone)
        except Exception:
            log.exception("checking the budgets failed; trying again next sample")

    def _heartbeat(self, now: float, status: str | Callable[[], str], backend: str | None = None,
                   last_input: float | None = None) -> Write:
        """The heartbeat, written with the sample's spans (and, like them, retried next sample)."""
        ticks = self.ticks

        def write(store: Store) -> None:
            word = status if isinstance(status, str) else status()
            write_heartbeat(store, Heartbeat(at=now, status=word, backend=backend, ticks=ticks,
                                             last_input=last_input))
        return write

    def close(self) -> None:
        """Store the growing span (without the time after the last input) and release everything."""
        self.sampler.close()  # first: wakes a thread waiting for a focus change
        with self._lock:
            self._closed = True
            try:
                self.recorder.settle()
            finally:
                self.doorway.close()
                self.sampler.close()
                self.notifier.close()
                self.store.close()
