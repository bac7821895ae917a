"""Settings: the shipped defaults overridden key by key by the user's config.toml, validated.

Every problem is reported as a ConfigError naming the file, the key (or TOML line)
and what would be accepted, so a person can fix it from one line of output.
"""

from __future__ import annotations

import functools
import re
import socket
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from monitor.core.config_check import check_budget_categories, check_category_names, known_categories
from monitor.core.doorway_settings import DOORWAY_KEYS, DoorwaySettings, default_doorway, read_doorway
from monitor.core.durations import parse_duration
from monitor.core.errors import ConfigError
from monitor.core.experiment_settings import EXPERIMENT_KEYS, ExperimentSettings, read_experiment
from monitor.core.paths import Paths, resolve_paths, shipped_file
from monitor.core.people_settings import PEOPLE_KEYS, PeopleSettings, read_people_settings
from monitor.core.sync_settings import SYNC_KEYS, SyncSettings, read_sync
from monitor.core.tray_settings import TRAY_KEYS, TraySettings, read_tray

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUDGET_OVERRIDE_TABLES = ("weekend", "weekdays", *WEEKDAYS)
LOG_LEVELS = ("debug", "info", "warning", "error")
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@functools.cache
def shipped_categories() -> Mapping[str, Any]:
    """The shipped ``categories.toml`` as read (once): the category names and rules."""
    return read_toml(shipped_file("categories.toml"))


@dataclass(frozen=True)
class TrackingSettings:
    """How the daemon samples and what it keeps."""

    sample_every: timedelta
    idle_after: timedelta
    store_titles: bool
    exclude_titles: tuple[re.Pattern[str], ...]
    device: str
    focus_events: bool = False
    """Sample the moment the desktop reports a focus or title change, where it can."""
    watching_max: timedelta = timedelta(hours=4)  # media playing counts without input this long at most

    @property
    def pulse(self) -> timedelta:
        """Samples further apart than this are not joined: 1.5 × the sample interval."""
        return self.sample_every * 1.5


@dataclass(frozen=True)
class Budgets:
    """Daily budgets per category (and ``total``), with weekday or weekend overrides."""

    daily: Mapping[str, timedelta]
    overrides: Mapping[str, Mapping[str, timedelta]] = field(default_factory=dict)
    count_watching: bool = True  # time counted while watching (media, no input) counts against budgets

    def for_day(self, day: date) -> dict[str, timedelta]:
        """The budgets in force on ``day`` (a local, day-start-adjusted date)."""
        name = WEEKDAYS[day.weekday()]
        group = "weekend" if day.weekday() >= 5 else "weekdays"
        merged = dict(self.daily)
        for table in (group, name):
            merged.update(self.overrides.get(table, {}))
        return {key: value for key, value in merged.items() if value is not None}


@dataclass(frozen=True)
class PromptSettings:
    """When and how often notifications may be sent."""

    warn_before: timedelta
    repeat_every: timedelta
    max_per_day: int
    quiet_hours: tuple[time, time] | None
    suggest_gap: timedelta
    """Nobody named in a notice, or talked to, within this long is suggested (at least an hour)."""
    suggest_people_on: tuple[str, ...]


@dataclass(frozen=True)
class ReportSettings:
    """When the weekly report is made."""

    weekly_weekday: int
    weekly_time: time


@dataclass(frozen=True)
class Settings:
    """Everything the daemon and the commands need to know about the user's choices."""

    paths: Paths
    tracking: TrackingSettings
    day_starts_at: time
    budgets: Budgets
    prompts: PromptSettings
    reports: ReportSettings
    log_level: str
    categories: Mapping[str, Any]
    """The user's own ``[categories]`` table, read by ``monitor.tracking.categories``."""
    people: PeopleSettings = field(default_factory=PeopleSettings)
    doorway: DoorwaySettings = field(default_factory=default_doorway)
    tray: TraySettings = field(default_factory=TraySettings)
    experiment: ExperimentSettings = field(default_factory=ExperimentSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)  # [sync]: the folder shared with other computers


def _fail(source: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{source}: {key}: {problem}")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax and read errors into a ConfigError naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def parse_clock(value: object, where: str) -> time:
    """Read a local time of day written ``HH:MM``."""
    if not isinstance(value, str) or not _HHMM.fullmatch(value.strip()):
        raise ConfigError(f"{where}: {value!r} is not a time of day like \"04:00\" (HH:MM, 24-hour)")
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


class _Reader:
    """Reads one merged table, remembering which file each user-set key came from."""

    def __init__(self, merged: dict[str, Any], user: Mapping[str, Any], user_file: Path,
                 defaults_file: Path) -> None:
        self.merged = merged
        self.user = user
        self.user_file = user_file
        self.defaults_file = defaults_file

    def source(self, section: str, key: str | None = None) -> Path:
        table = self.user.get(section)
        if key is None:
            return self.user_file if section in self.user else self.defaults_file
        if isinstance(table, Mapping) and key in table:
            return self.user_file
        return self.defaults_file

    def where(self, section: str, key: str) -> str:
        return f"{self.source(section, key)}: {section}.{key}"

    def table(self, section: str) -> dict[str, Any]:
        value = self.merged.get(section, {})
        if not isinstance(value, dict):
            raise _fail(self.source(section), section, "must be a table like [" + section + "]")
        return value

    def get(self, section: str, key: str, convert: Callable[[object, str], Any]) -> Any:
        return convert(self.table(section).get(key), self.where(section, key))


def _duration(value: object, where: str) -> timedelta:
    return parse_duration(value, where=where)


def _positive_duration(value: object, where: str) -> timedelta:
    result = parse_duration(value, where=where)
    if result <= timedelta(0):
        raise ConfigError(f"{where}: must be longer than zero, like \"2s\"")
    return result


def _suggest_gap(value: object, where: str) -> timedelta:
    """``prompts.suggest_gap``: an hour or more, or a person could be named again at once."""
    result = parse_duration(value, where=where)
    if result < timedelta(hours=1):
        raise ConfigError(f"{where}: {value!r} is too short; write an hour or more, like \"3d\" "
                          "(a person you just talked to would be suggested again)")
    return result


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {value!r} is not true or false")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is not a string in quotes")
    return value


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: {value!r} is not a whole number of 0 or more")
    return value


def _names(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(f"{where}: expected a list of category names in quotes, like [\"social\"]")
    return tuple(value)


def _patterns(value: object, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of regular expressions in quotes")
    compiled = []
    for item in value:
        try:
            compiled.append(re.compile(item, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(f"{where}: {item!r} is not a valid regular expression: {exc}") from None
    return tuple(compiled)


def _quiet_hours(value: object, where: str) -> tuple[time, time] | None:
    if value in ("", None):
        return None
    if not isinstance(value, str) or value.count("-") != 1:
        raise ConfigError(f"{where}: {value!r} is not a time window like \"22:00-08:00\" (or \"\")")
    start, end = value.split("-")
    return parse_clock(start, where), parse_clock(end, where)


def _weekly_at(value: object, where: str) -> tuple[int, time]:
    accepted = 'a weekday and a time like "sun 18:00" (or "sun 18:00:30")'
    if not isinstance(value, str) or len(value.split()) != 2:
        raise ConfigError(f"{where}: {value!r} is not {accepted}")
    day, clock = value.lower().split()
    if day[:3] not in WEEKDAYS:
        raise ConfigError(f"{where}: {day!r} is not a weekday; expected {accepted}")
    seconds = 0
    if clock.count(":") == 2:
        clock, _, second_text = clock.rpartition(":")
        if not (second_text.isdigit() and len(second_text) == 2 and int(second_text) < 60):
            raise ConfigError(f"{where}: {value!r} is not {accepted}")
        seconds = int(second_text)
    return WEEKDAYS.index(day[:3]), parse_clock(clock, where).replace(second=seconds)


def _budget_table(table: Mapping[str, Any], reader: _Reader, prefix: str) -> dict[str, timedelta]:
    budgets: dict[str, timedelta] = {}
    for key, value in table.items():
        if isinstance(value, Mapping) or (key == "count_watching" and prefix == "budgets"):
            continue
        where = f"{reader.source('budgets')}: {prefix}.{key}"
        if value == "":
            continue
        # zero needs no unit: "0" (or 0) is "0s", no time at all, as `budget set social 0` writes
        zero = value in ("0", 0) and not isinstance(value, bool)
        budgets[key] = timedelta(0) if zero else parse_duration(value, where=where)
    return budgets


_SCHEMA: dict[str, tuple[str, ...]] = {
    "tracking": ("sample_every", "idle_after", "store_titles", "exclude_titles", "device", "focus_events",
                 "watching_max"),
    "day": ("starts_at",),
    "budgets": (),
    "prompts": ("warn_before", "repeat_every", "max_per_day", "quiet_hours", "suggest_gap",
                "suggest_people_on"),
    "reports": ("weekly_at",),
    "logging": ("level",), "categories": (),
    "people": PEOPLE_KEYS, "doorway": DOORWAY_KEYS, "tray": TRAY_KEYS,
    "experiment": EXPERIMENT_KEYS, "sync": SYNC_KEYS,
}


def _check_known_keys(user: Mapping[str, Any], user_file: Path) -> None:
    for section, value in user.items():
        if section not in _SCHEMA:
            known = ", ".join(f"[{name}]" for name in _SCHEMA)
            raise _fail(user_file, section, f"unknown section; the known ones are {known}")
        if not isinstance(value, Mapping):
            raise _fail(user_file, section, f"must be a table, written [{section}]")
        allowed = _SCHEMA[section]
        if not allowed:
            continue
        for key in value:
            if key not in allowed:
                raise _fail(user_file, f"{section}.{key}",
                            f"unknown key; [{section}] accepts {', '.join(allowed)}")
    budgets = user.get("budgets", {})
    for key, value in budgets.items():
        if isinstance(value, Mapping) and key not in BUDGET_OVERRIDE_TABLES:
            raise _fail(user_file, f"budgets.{key}",
                        "unknown override table; use one of " + ", ".join(BUDGET_OVERRIDE_TABLES))


def _tracking(reader: _Reader) -> TrackingSettings:
    """The ``[tracking]`` table: sampling, idle time, titles and the device name."""
    device = reader.get("tracking", "device", _text) or socket.gethostname()
    return TrackingSettings(
        sample_every=reader.get("tracking", "sample_every", _positive_duration),
        idle_after=reader.get("tracking", "idle_after", _positive_duration),
        store_titles=reader.get("tracking", "store_titles", _bool),
        exclude_titles=reader.get("tracking", "exclude_titles", _patterns),
        device=device,
        focus_events=reader.get("tracking", "focus_events", _bool),
        watching_max=reader.get("tracking", "watching_max", _positive_duration),
    )


def _budgets(reader: _Reader) -> Budgets:
    """The ``[budgets]`` table and its day overrides (``[budgets.weekend]`` …)."""
    budget_table = reader.table("budgets")
    return Budgets(
        daily=_budget_table(budget_table, reader, "budgets"),
        overrides={name: _budget_table(table, reader, f"budgets.{name}")
                   for name, table in budget_table.items() if isinstance(table, Mapping)},
        count_watching=reader.get("budgets", "count_watching", _bool),
    )


def _prompts(reader: _Reader) -> PromptSettings:
    """The ``[prompts]`` table: when and how often notices may be sent."""
    return PromptSettings(
        warn_before=reader.get("prompts", "warn_before", _duration),
        repeat_every=reader.get("prompts", "repeat_every", _positive_duration),
        max_per_day=reader.get("prompts", "max_per_day", _count),
        quiet_hours=reader.get("prompts", "quiet_hours", _quiet_hours),
        suggest_gap=reader.get("prompts", "suggest_gap", _suggest_gap),
        suggest_people_on=reader.get("prompts", "suggest_people_on", _names),
    )


def _log_level(reader: _Reader) -> str:
    """``[logging] level``, lower case, one of LOG_LEVELS."""
    level: str = reader.get("logging", "level", _text).lower()
    if level not in LOG_LEVELS:
        raise ConfigError(f"{reader.where('logging', 'level')}: {level!r} is not one of "
                          + ", ".join(LOG_LEVELS))
    return level


def load_settings(paths: Paths | None = None) -> Settings:
    """Load and validate the settings for ``paths`` (by default from the environment)."""
    paths = paths or resolve_paths()
    defaults_file = shipped_file("default.toml")
    defaults = read_toml(defaults_file)
    user: dict[str, Any] = read_toml(paths.config_file) if paths.config_file.exists() else {}
    _check_known_keys(user, paths.config_file)
    reader = _Reader(_merge(defaults, user), user, paths.config_file, defaults_file)
    known = known_categories(shipped_categories(), user.get("categories", {}))
    # read in this order, so that of several mistakes the same one is reported first
    tracking = _tracking(reader)
    budgets = _budgets(reader)
    check_budget_categories(user.get("budgets", {}), known, paths.config_file)
    prompts = _prompts(reader)
    check_category_names(prompts.suggest_people_on, known, key=("prompts", "suggest_people_on"),
                         file=reader.source("prompts", "suggest_people_on"))
    doorway = read_doorway(lambda key, convert: reader.get("doorway", key, convert))
    check_category_names(doorway.categories, known, key=("doorway", "categories"),
                         file=reader.source("doorway", "categories"))
    weekday, weekly_time = reader.get("reports", "weekly_at", _weekly_at)
    level = _log_level(reader)
    return Settings(
        paths=paths,
        tracking=tracking,
        day_starts_at=reader.get("day", "starts_at", parse_clock),
        budgets=budgets,
        prompts=prompts,
        reports=ReportSettings(weekly_weekday=weekday, weekly_time=weekly_time), log_level=level,
        categories=user.get("categories", {}),
        people=read_people_settings(lambda key, convert: reader.get("people", key, convert)),
        doorway=doorway, tray=read_tray(lambda key, convert: reader.get("tray", key, convert)),
        experiment=read_experiment(lambda key, convert: reader.get("experiment", key, convert)),
        sync=read_sync(lambda key, convert: reader.get("sync", key, convert)),
    )
