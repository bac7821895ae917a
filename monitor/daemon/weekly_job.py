"""The weekly report: drawn at ``reports.weekly_at`` and announced with its headline.

The week reported is the one the moment falls in when that moment is on a weekend,
else the week before (a Monday-morning report looks back). Each week is announced
once: the last one sent is kept in the state table, so a missed moment (the machine
asleep or off) is caught up once on waking, never several times.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from monitor.core.days import day_of
from monitor.core.opener import open_with_desktop
from monitor.core.settings import Settings
from monitor.core.vocabulary import WEEKLY
from monitor.nudge.notice import Notice
from monitor.nudge.notify import Notifier
from monitor.store.database import Store
from monitor.store.prompts import record_action, record_prompt

log = logging.getLogger(__name__)

LAST_SENT_KEY = "weekly.last_sent"
DRAW_TIMEOUT = 300.0
OPEN = "open"


def last_moment(settings: Settings, now: float, zone: tzinfo) -> datetime:
    """The latest report moment (``weekly_at`` in local time) at or before ``now``."""
    local = datetime.fromtimestamp(now, zone)
    days_back = (local.weekday() - settings.reports.weekly_weekday) % 7
    day = local.date() - timedelta(days=days_back)
    moment = datetime.combine(day, settings.reports.weekly_time, tzinfo=zone)
    if moment.timestamp() > now:
        moment = datetime.combine(day - timedelta(days=7), settings.reports.weekly_time, tzinfo=zone)
    return moment


def week_label_for(moment: datetime) -> str:
    """The ISO week reported at ``moment``: its own on a weekend, else the week before."""
    reported = moment if moment.weekday() >= 5 else moment - timedelta(days=7)
    year, week, _ = reported.isocalendar()
    return f"{year}-W{week:02d}"


def draw_in_child(settings: Settings, week_label: str, path: Path) -> None:
    """Draw the page with ``unscroll report`` in a child process.

    matplotlib costs about 60 MB that would stay in the daemon for the rest of its
    life if the page were drawn here; the child gives it all back when it exits.
    """
    env = {**os.environ, "UNSCROLL_CONFIG": str(settings.paths.config_file),
           "UNSCROLL_DATA_DIR": str(settings.paths.data_dir)}
    done = subprocess.run([sys.executable, "-m", "monitor", "report", "--week", week_label,
                           "--out", str(path)], env=env, capture_output=True, text=True,
                          timeout=DRAW_TIMEOUT, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise RuntimeError(f"drawing the report for {week_label} failed: {reason}")


class WeeklyJob:
    """Renders and announces the week that is due, once."""

    def __init__(self, settings: Callable[[], Settings], notifier: Notifier,
                 zone: Callable[[], tzinfo], clock: Callable[[], float]) -> None:
        """Use the current ``settings()``, the daemon's notifier, the local ``zone()`` and ``clock``.

        The job opens its own store connection each run: it runs on a scheduler thread
        beside the sampling job and must never share that job's transactions.
        """
        self._settings = settings
        self.notifier = notifier
        self._zone = zone
        self.clock = clock

    def due(self, store: Store, now: float) -> str | None:
        """The week label to report at ``now``, or None when it was already sent."""
        label = week_label_for(last_moment(self._settings(), now, self._zone()))
        return None if store.get_state(LAST_SENT_KEY) == label else label

    def start_counting(self, now: float) -> None:
        """On the very first run, mark the week already past as sent: no report of nothing."""
        with Store(self._settings().paths.database) as store:
            if store.get_state(LAST_SENT_KEY) is None:
                store.set_state(LAST_SENT_KEY,
                                week_label_for(last_moment(self._settings(), now, self._zone())))

    def run(self) -> None:
        """Report the due week if it has not been reported; never raises."""
        try:
            self._run()
        except Exception:
            log.exception("the weekly report failed; trying again at the next check")

    def _run(self) -> None:
        from reports.weekly import default_report_path, report_for  # noqa: PLC0415 - no matplotlib
        from reports.weeks import parse_week  # noqa: PLC0415

        now = self.clock()
        settings = self._settings()
        zone = self._zone()
        with Store(settings.paths.database) as store:
            label = self.due(store, now)
            if label is None:
                return
            week = parse_week(label)
            headline = report_for(store, settings, week, zone=zone, now=now).headline_text
            path = default_report_path(settings, week)
            draw_in_child(settings, label, path)
            with store.transaction():
                store.set_state(LAST_SENT_KEY, label)
                prompt_id = record_prompt(store, at=now, day=day_of(now, settings.day_starts_at, zone),
                                          kind=WEEKLY, category=None, message=headline)
        target = str(path)

        def act(action: str) -> None:
            with Store(settings.paths.database) as store:
                record_action(store, prompt_id, action, self.clock())
            open_with_desktop(target)

        way = self.notifier.send(Notice(
            kind=WEEKLY, category=None, used_s=0.0,
            title=f"Your week {week.label[-3:]}: {headline.split(';')[0]}",
            body=headline[:1].upper() + headline[1:] + ".", buttons=(("Open report", OPEN),),
            on_action=act,
        ))
        log.info("weekly report for %s written to %s and announced (%s)", label, path, way)
