"""The daemon's word about its settings, kept in the state table for ``unscroll status``.

Which file the running daemon read, when the settings in force were loaded, and the
error it is riding out (a bad edit: the last good settings stay in force until the file
is fixed). Written when the daemon starts and after each reload of the file.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from monitor.core.errors import StoreError
from monitor.store.database import Store

log = logging.getLogger(__name__)

SETTINGS_KEY = "daemon.settings"
WRITE_WAIT_SECONDS = 1.0
"""How long a write waits for another program's lock: it runs on the sampling thread."""


@dataclass(frozen=True)
class SettingsRecord:
    """The settings a running daemon holds: their file, since when, and any error ridden out."""

    file: str
    loaded_at: float
    """When the settings in force were read (Unix time)."""
    problem: str | None = None
    """The error in the file since the last good reload, or None."""
    problem_since: float | None = None
    """When that error was first seen."""


def write_settings_record(store: Store, record: SettingsRecord) -> None:
    """Keep ``record`` as the daemon's word about its settings."""
    with store.transaction():
        store.set_state(SETTINGS_KEY, json.dumps(asdict(record)))


def read_settings_record(store: Store) -> SettingsRecord | None:
    """The record the daemon last wrote, or None (none yet, or unreadable)."""
    text = store.get_state(SETTINGS_KEY)
    if not text:
        return None
    try:
        data = json.loads(text)
        since = data.get("problem_since")
        return SettingsRecord(file=str(data["file"]), loaded_at=float(data["loaded_at"]),
                              problem=None if data.get("problem") is None else str(data["problem"]),
                              problem_since=None if since is None else float(since))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class SettingsReporter:
    """Records, for ``unscroll status``, what the daemon's settings watcher found."""

    def __init__(self, database: Path, config_file: Path,
                 clock: Callable[[], float] = time.time) -> None:
        """Write into the store at ``database`` about the settings read from ``config_file``."""
        self.database = database
        self.clock = clock
        self.record = SettingsRecord(file=str(config_file), loaded_at=0.0)
        """What was last written; ``started`` writes the first."""

    def started(self) -> None:
        """The daemon started on freshly loaded, valid settings."""
        self.record = replace(self.record, loaded_at=self.clock(), problem=None, problem_since=None)
        self._write()

    def __call__(self, problem: str | None) -> None:
        """After a reload: ``problem`` is the error being ridden out, None if the new settings hold."""
        if problem is None:
            self.record = replace(self.record, loaded_at=self.clock(), problem=None, problem_since=None)
        elif problem != self.record.problem:
            self.record = replace(self.record, problem=problem, problem_since=self.clock())
        else:
            return
        self._write()

    def _write(self) -> None:
        """Write the record in a short connection of its own; a failure is logged, never raised."""
        try:
            with Store(self.database) as store:
                store.set_busy_timeout(WRITE_WAIT_SECONDS)
                write_settings_record(store, self.record)
        except StoreError as exc:
            log.warning("could not record the settings' state for `unscroll status`: %s", exc)
