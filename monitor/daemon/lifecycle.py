"""The daemon's lifecycle: lock, logging, scheduler, signals, and one clean shutdown.

The work of each sample lives in monitor.daemon.sampling_job; this module only starts and
stops things, and keeps the last good configuration when the file is edited badly.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from datetime import tzinfo
from enum import Enum
from types import FrameType
from typing import TYPE_CHECKING

from monitor.core.days import next_weekly
from monitor.core.errors import DaemonError
from monitor.core.lean_process import refuse_openssl
from monitor.core.paths import Paths
from monitor.core.settings import ReportSettings, Settings, load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon.lock import InstanceLock
from monitor.daemon.logs import setup_logging
from monitor.daemon.memory import (
    FIRST_TRIM_AFTER_SECONDS,
    TRIM_EVERY_SECONDS,
    release_free_memory,
)
from monitor.daemon.scheduler import Scheduler, every
from monitor.daemon.settings_record import SettingsReporter
from monitor.daemon.sync_job import SyncJob
from monitor.daemon.weekly_job import WeeklyJob
from monitor.store.database import ensure_data_folder
from monitor.tray.runner import TrayRunner

if TYPE_CHECKING:
    from monitor.daemon.sampling_job import SamplingJob

log = logging.getLogger(__name__)

SYNC_OFF_CHECK_SECONDS = 3600.0
"""With sync turned off while running, how often the sync job still looks (it does nothing then)."""
STOP_CHECK_SECONDS = 1.0 if sys.platform == "win32" else 300.0
"""How often the main thread wakes on its own. A signal wakes it at once on POSIX; on
Windows a wait is not interrupted, so it looks every second there."""

if sys.platform == "win32":  # Windows has no SIGHUP or SIGQUIT; Ctrl+Break sends SIGBREAK
    SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGBREAK)
else:
    SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


class StartResult(Enum):
    """How an attempt to run the daemon ended."""

    STOPPED = "stopped"
    ALREADY_RUNNING = "already running"


class Daemon:
    """Runs the sampling job on a scheduler until a signal asks it to stop."""

    def __init__(self, paths: Paths) -> None:
        """Prepare to run for the user whose files are at ``paths``."""
        self.paths = paths
        self._stop = threading.Event()

    def shutdown(self, signum: int | None = None, _frame: FrameType | None = None) -> None:
        """Ask the daemon to stop; every signal comes here."""
        if signum is not None:
            log.info("received %s, shutting down", signal.Signals(signum).name)
        self._stop.set()

    def run(self, *, foreground: bool) -> StartResult:
        """Run until stopped; return ALREADY_RUNNING when another daemon holds the lock."""
        refuse_openssl()  # imported already under `unscroll start --foreground`: as far as it can
        from monitor.daemon.sampling_job import SamplingJob  # noqa: PLC0415
        from monitor.tracking.categories import load_rules  # noqa: PLC0415

        scheduler = Scheduler()
        os.umask(0o077)
        settings = load_settings(self.paths)
        ensure_data_folder(self.paths.data_dir, for_writing=True)
        lock = InstanceLock(self.paths.lock_file)
        if not lock.acquire():
            return StartResult.ALREADY_RUNNING
        setup_logging(self.paths.log_file, settings.log_level, to_stderr=foreground)
        for signum in SHUTDOWN_SIGNALS:
            signal.signal(signum, self.shutdown)
        job: SamplingJob | None = None
        tray = TrayRunner(self.paths, on_quit=self.shutdown)  # its process starts with the jobs
        try:
            reporter = SettingsReporter(self.paths.database, self.paths.config_file)
            reporter.started()
            watcher = SettingsWatcher(settings, check=load_rules, on_outcome=reporter)
            job = SamplingJob(watcher)
            _start_jobs(scheduler, watcher, job, tray)
            changes = threading.Thread(target=job.follow_changes, args=(self._stop,), daemon=True,
                                       name="unscroll-focus-events")
            changes.start()
            log.info("unscroll daemon started (pid %d, sampling every %g s)", os.getpid(), job.interval)
            while not self._stop.wait(timeout=STOP_CHECK_SECONDS):
                continue  # the jobs run on the scheduler's threads; this thread waits for a signal
        except Exception as exc:
            log.exception("the daemon failed")
            raise DaemonError(f"the daemon failed: {exc}; see {self.paths.log_file}") from exc
        finally:
            scheduler.shutdown()
            tray.close()
            if job is not None:
                job.close()
            lock.release()
            log.info("unscroll daemon stopped")
        return StartResult.STOPPED


def _start_jobs(scheduler: Scheduler, watcher: SettingsWatcher, job: SamplingJob, tray: TrayRunner) -> None:
    """Schedule sampling (each sample told to the tray), the weekly report and the memory trim; start."""
    weekly = WeeklyJob(lambda: watcher.settings, job.notifier, zone=lambda: job.zone, clock=time.time)
    weekly.start_counting(time.time())
    sync = SyncJob(lambda: watcher.settings, zone=lambda: job.zone, clock=time.time,
                   on_news=job.nudger.news_from_elsewhere)
    plan = _Plan(scheduler, job, weekly, tray, sync)
    job.on_reload = plan.follow
    plan.follow(watcher.settings)
    scheduler.add("trim", release_free_memory, every(TRIM_EVERY_SECONDS),
                  first=time.time() + FIRST_TRIM_AFTER_SECONDS)
    scheduler.start()


class _Plan:
    """The scheduler's jobs and the tray, kept in step with the settings: sampling, the weekly report."""

    def __init__(self, scheduler: Scheduler, job: SamplingJob, weekly: WeeklyJob, tray: TrayRunner,
                 sync: SyncJob) -> None:
        self.scheduler = scheduler
        self.job = job
        self.weekly = weekly
        self.tray = tray
        self.sync = sync
        self.interval: float | None = None
        self.weekly_at: ReportSettings | None = None
        self.sync_every: float | None = None

    def follow(self, settings: Settings) -> None:
        """(Re)schedule what ``settings`` changed; called at start and after each reload."""
        interval = self.job.interval
        if self.interval is None:
            self.scheduler.add("sample", self.sample, every(interval), first=time.time())
        elif interval != self.interval:
            self.scheduler.reschedule("sample", every(interval), first=time.time() + interval)
            log.info("sampling every %g s now", interval)
        self.interval = interval
        if settings.reports != self.weekly_at:
            self._schedule_weekly(settings, self.job.zone)
            self.weekly_at = settings.reports
        self.tray.follow(settings.tray.enabled)
        self._schedule_sync(settings)

    def _schedule_sync(self, settings: Settings) -> None:
        """Sync every ``sync.every`` while a folder is set; once more when it is unset (marking stops)."""
        sync_every = settings.sync.every.total_seconds() if settings.sync.on else None
        if sync_every is None and self.sync_every is None:
            self.sync.stop_if_off()  # a daemon that synced before may still mark changes
        if sync_every != self.sync_every:
            self.scheduler.add("sync", self.sync.run, every(sync_every or SYNC_OFF_CHECK_SECONDS),
                               first=time.time(), worker=True)
            self.sync_every = sync_every

    def sample(self) -> None:
        """One sample, then a word to the tray so that it shows it (it never polls the store)."""
        self.job.tick()
        self.tray.notify()

    def _sample(self) -> None:
        """One sample, then the tray hears of it (it reads today again at once)."""
        self.job.tick()
        self.tray.notify()

    def _schedule_weekly(self, settings: Settings, zone: tzinfo) -> None:
        """(Re)schedule the weekly report: one run after a sleep across its moment, not several."""
        at = settings.reports

        def following(moment: float) -> float:
            return next_weekly(moment, at.weekly_weekday, at.weekly_time, zone)

        self.scheduler.add("weekly", self.weekly.run, following, first=following(time.time()), worker=True)


def main() -> None:
    """``python -m monitor.daemon``: run the daemon in this process, logging to its file only.

    This is what ``unscroll start`` detaches and what autostart runs: it skips the
    command-line layer (click and the commands' modules), a few MB that a process
    running all day should not carry.
    """
    from monitor.core.errors import UnscrollError  # noqa: PLC0415
    from monitor.core.paths import resolve_paths  # noqa: PLC0415

    try:
        result = Daemon(resolve_paths()).run(foreground=False)
    except UnscrollError as exc:
        print(f"unscroll: {exc.message}", file=sys.stderr)
        sys.exit(1)
    if result is StartResult.ALREADY_RUNNING:
        print("unscroll is already running; nothing changed.", file=sys.stderr)

