"""One sync pass: write this computer's news, read the others', import the inbox.

The daemon runs a pass every ``sync.every`` (monitor.daemon.sync_job); tests and tools
can run one directly. A folder that cannot be used (its parent missing: a share not
mounted, a sync program not set up) is said once in the log and looked at again on the
next pass; nothing is created outside an existing parent folder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.core.days import day_of
from monitor.core.paths import ensure_private_dir
from monitor.core.settings import Settings
from monitor.store.database import Store
from monitor.store.devices import PEER, all_devices
from monitor.store.sync_capture import capturing, start_capture, stop_capture
from monitor.sync.export import Written, export
from monitor.sync.identity import Identity, this_device
from monitor.sync.ingest import IngestReport, Reader
from monitor.sync.segments import INBOX

if TYPE_CHECKING:
    from monitor.sync.inbox import InboxReport

log = logging.getLogger(__name__)


@dataclass
class PassReport:
    """What one pass did (None: that part did not run)."""

    identity: Identity | None = None
    written: Written | None = None
    ingested: IngestReport | None = None
    inbox: InboxReport | None = None
    problem: str | None = None


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be used as the synced folder now (None: it can; it is created if need be)."""
    if folder.is_dir():
        return None
    if folder.exists():
        return f"{folder}: sync.folder is a file, not a folder; point it at a folder"
    if not folder.parent.is_dir():
        return (f"{folder}: its parent folder {folder.parent} does not exist (a share not mounted, or a "
                "sync program not set up yet?); sync waits for it")
    return None


class Syncer:
    """Runs passes; remembers, between them, what was logged and whether marking has started."""

    def __init__(self) -> None:
        """A syncer that has not run yet."""
        self._reader: Reader | None = None
        self._started = False
        self._said: str | None = None

    def run(self, store: Store, settings: Settings, now: float, zone: tzinfo) -> PassReport:
        """One pass at ``now`` (or, with sync off, stop marking changes)."""
        if settings.sync.folder is None:
            if capturing(store):
                stop_capture(store)
                log.info("sync is off: this computer's changes are no longer kept for the synced folder")
            self._started = False
            return PassReport(problem="sync is off")
        folder = settings.sync.folder
        problem = folder_problem(folder)
        if problem is not None:
            if problem != self._said:
                log.warning("sync: %s", problem)
                self._said = problem
            return PassReport(problem=problem)
        self._said = None
        identity = this_device(store, settings.sync.device_name)
        own = ensure_private_dir(folder / identity.id)
        full = start_capture(store) if not self._started else False
        self._started = True
        report = PassReport(identity=identity)
        report.written = export(store, own, identity, now, clocks=_clocks(store), full=full)
        if self._reader is None or self._reader.this_device != identity.id:
            self._reader = Reader(identity.id)
        starts_at = settings.day_starts_at

        def local_day(instant: float) -> date:
            return day_of(instant, starts_at, zone)

        report.ingested = self._reader.ingest(store, folder, now, local_day)
        inbox = folder / INBOX
        if inbox.is_dir():
            from monitor.sync.inbox import import_inbox  # noqa: PLC0415 - only with an inbox

            report.inbox = import_inbox(store, inbox, settings, now)
        return report


def _clocks(store: Store) -> dict[str, float]:
    """What this computer found of each other device's clock lead (lower bounds), for its manifest."""
    return {device.id: device.clock_low for device in all_devices(store.connection)
            if device.kind == PEER and device.clock_low is not None}
