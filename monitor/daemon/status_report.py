"""What ``unscroll status`` tells: the daemon, today against the budgets, snoozes, settings, notices.

The notices are those no notification service showed today (monitor.nudge.missed).

Gathered from the files alone (the lock, the store, the config file), so it works whether
the daemon runs or not, and while the config file has an error: then the budgets cannot
be read, and the error is what is shown. ``gather_status`` takes ``now`` and the zone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, tzinfo
from typing import Any

from monitor.core.days import day_bounds, day_of
from monitor.core.errors import ConfigError
from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.core.vocabulary import MORE, NOT_TODAY, TOTAL
from monitor.daemon.control import DaemonStatus
from monitor.daemon.control import status as daemon_status
from monitor.daemon.settings_record import SettingsRecord, read_settings_record
from monitor.doorway.standing import DoorwayStanding, read_standing
from monitor.nudge.missed import MissedNotice, missed_today
from monitor.nudge.policy import Snooze
from monitor.nudge.prompt_log import snoozes_of_day
from monitor.store.database import Store
from monitor.store.device_totals import screen_seconds
from monitor.store.spans import category_totals
from monitor.tray.standing import NO_TRAY, TrayStanding
from monitor.tray.standing import read_standing as read_tray_standing


@dataclass(frozen=True)
class BudgetStanding:
    """One budget in force today, and today's use of it."""

    category: str
    used_s: float
    budget_s: float

    @property
    def over(self) -> bool:
        """True once the budget is spent (a zero budget: at the first second of use)."""
        return self.used_s > 0 and self.used_s >= self.budget_s


@dataclass(frozen=True)
class SnoozeStanding:
    """A snooze in force: "15 more minutes" (until some more use) or "Not today"."""

    category: str
    action: str
    """``more`` or ``not-today`` (monitor.core.vocabulary)."""
    chosen_at: float
    use_left_s: float | None
    """Further use of the category before notices resume; None for "Not today"."""
    earliest_end: float | None
    """The soonest notices can resume (now plus ``use_left_s``, if used without a break)."""


@dataclass(frozen=True)
class SettingsStanding:
    """The settings file in force, and any error in it."""

    file: str
    """The file this command reads (``UNSCROLL_CONFIG`` or the usual place)."""
    exists: bool
    error: str | None
    """What is wrong with the file as it is now, or None."""
    daemon_file: str | None = None
    """The file the running daemon reads (None when it is not running)."""
    daemon_loaded_at: float | None = None
    """When the running daemon loaded the settings it holds."""
    ridden_out: str | None = None
    """The error the running daemon is riding out on its last good settings, or None."""
    ridden_out_since: float | None = None


@dataclass(frozen=True)
class DoorwayStatus:
    """The doorway's mode and categories, and where the daemon last said it stands."""

    when: str
    categories: tuple[str, ...]
    after_away_s: float
    standing: DoorwayStanding

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the settings, ``unavailable`` (+ since) and ``continue_until``."""
        return {"when": self.when, "categories": list(self.categories),
                "after_away_seconds": self.after_away_s, **self.standing.to_dict()}


@dataclass(frozen=True)
class StatusReport:
    """Everything ``unscroll status`` shows."""

    daemon: DaemonStatus
    day: date | None
    """Today (the configured day start applied); None when the settings cannot be read."""
    budgets: tuple[BudgetStanding, ...]
    snoozes: tuple[SnoozeStanding, ...]
    settings: SettingsStanding
    missed_notices: tuple[MissedNotice, ...] | None
    """Today's notices no notification service showed (monitor.nudge.missed); None: unknown."""
    doorway: DoorwayStatus | None = None
    """The doorway's mode and where it stands; None when the settings cannot be read."""
    tray: TrayStanding = NO_TRAY
    """The tray: ``shown``, ``no tray host``, ``off``, ``starting`` or ``error: …`` (off: no daemon)."""

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data; the daemon's own keys stay at the top level."""
        data: dict[str, Any] = json.loads(self.daemon.to_json())
        data["day"] = None if self.day is None else self.day.isoformat()
        data["budgets"] = [{"category": b.category, "used_seconds": round(b.used_s, 1),
                            "budget_seconds": round(b.budget_s, 1), "over": b.over}
                           for b in self.budgets]
        data["snoozes"] = [asdict(snooze) for snooze in self.snoozes]
        data["settings"] = asdict(self.settings)
        data["missed_notifications"] = (None if self.missed_notices is None
                                        else [asdict(notice) for notice in self.missed_notices])
        data["doorway"] = None if self.doorway is None else self.doorway.to_dict()
        data["tray"] = self.tray.state
        return data


def _read_settings(paths: Paths) -> tuple[Settings | None, str | None]:
    """The settings, or None and the error (of the settings or the category rules)."""
    from monitor.tracking.categories import load_rules  # noqa: PLC0415 - the rules' parser, on use

    try:
        settings = load_settings(paths)
        load_rules(settings)
    except ConfigError as exc:
        return None, exc.message
    return settings, None


def budget_standings(budgets: dict[str, float], totals: dict[str, float]) -> tuple[BudgetStanding, ...]:
    """Each budget (seconds) against today's use, ``total`` (all categories together) last."""
    used = dict(totals)
    used.setdefault(TOTAL, float(sum(totals.values())))  # ``totals`` may hold it: counted once across devices
    order = sorted(budgets, key=lambda name: (name == TOTAL, name))
    return tuple(BudgetStanding(name, used.get(name, 0.0), budgets[name]) for name in order)


def snooze_standings(snoozes: Sequence[Snooze], totals: dict[str, float],
                     now: float) -> tuple[SnoozeStanding, ...]:
    """The snoozes still in force, one per category, as the alert policy reads them.

    "Not today" holds all day; otherwise the latest "15 more minutes" holds until the
    category's use reaches its level (spent ones are left out).
    """
    standings = []
    for category in sorted({snooze.category for snooze in snoozes}):
        mine = [snooze for snooze in snoozes if snooze.category == category]
        rest_of_day = [snooze for snooze in mine if snooze.until_used_s is None]
        if rest_of_day:
            chosen = min(snooze.at for snooze in rest_of_day).timestamp()
            standings.append(SnoozeStanding(category, NOT_TODAY, chosen, None, None))
            continue
        latest = max(mine, key=lambda snooze: snooze.at)
        left = (latest.until_used_s or 0.0) - totals.get(category, 0.0)
        if left > 0:
            standings.append(SnoozeStanding(category, MORE, latest.at.timestamp(), left, now + left))
    return tuple(standings)


def _settings_standing(paths: Paths, error: str | None, daemon: DaemonStatus,
                       record: SettingsRecord | None) -> SettingsStanding:
    standing = SettingsStanding(file=str(paths.config_file), exists=paths.config_file.exists(), error=error)
    if not daemon.running or record is None:
        return standing
    return SettingsStanding(file=standing.file, exists=standing.exists, error=error,
                            daemon_file=record.file, daemon_loaded_at=record.loaded_at,
                            ridden_out=record.problem, ridden_out_since=record.problem_since)


def gather_status(paths: Paths, now: float, zone: tzinfo) -> StatusReport:
    """What ``unscroll status`` shows at ``now``; opens the store only if it exists."""
    daemon = daemon_status(paths)
    settings, error = _read_settings(paths)
    day = None if settings is None else day_of(now, settings.day_starts_at, zone)
    budgets: tuple[BudgetStanding, ...] = ()
    snoozes: tuple[SnoozeStanding, ...] = ()
    record = None
    missed: tuple[MissedNotice, ...] | None = None
    standing = DoorwayStanding()
    tray = NO_TRAY
    if settings is not None and day is not None:
        limits = {name: value.total_seconds() for name, value in settings.budgets.for_day(day).items()}
        budgets = budget_standings(limits, {})
        missed = ()
    if paths.database.exists():
        with Store(paths.database) as store:
            record = read_settings_record(store)
            if settings is not None and day is not None:
                bounds = day_bounds(day, settings.day_starts_at, zone)
                watching = settings.budgets.count_watching
                totals = category_totals(store, *bounds, count_watching=watching)
                totals[TOTAL] = screen_seconds(store, *bounds, totals, count_watching=watching)
                budgets = budget_standings({b.category: b.budget_s for b in budgets}, totals)
                snoozes = snooze_standings(snoozes_of_day(store, day, zone), totals, now)
                missed = tuple(missed_today(store, now, settings.day_starts_at, zone))
            standing = read_standing(store) or standing
            tray = (read_tray_standing(store) if daemon.running else None) or tray
    return StatusReport(daemon=daemon, day=day, budgets=budgets, snoozes=snoozes,
                        settings=_settings_standing(paths, error, daemon, record), missed_notices=missed,
                        doorway=None if settings is None else DoorwayStatus(
                            settings.doorway.when, settings.doorway.categories,
                            settings.doorway.after_away.total_seconds(), standing), tray=tray)

