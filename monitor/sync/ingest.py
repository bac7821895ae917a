"""Reading the other devices' folders into this store: only new segments, each whole or not at all.

For each ``FOLDER/<device id>/`` but this computer's: its manifest names the device (a
new name replaces the old; the id stays) and says what it saw of our clock; then, from
the segments present, the one that reaches furthest past what was applied of that device
and starts no later than the next number is applied in one transaction, again until none
is left (a gap waits for the missing segment; Syncthing may deliver files in any order).

Left alone, and logged once: a folder whose manifest or segments name another device (a
folder copied under a second name: counting it would count that device twice), a
forgotten device, names that are not segments (Syncthing's ``*.sync-conflict-*`` copies,
its partial ``.syncthing.*.tmp`` files). A segment that cannot be read is set aside (its
size and time are kept, and it is tried again once it changes); the device's later
segments wait meanwhile, so nothing is half-read or read out of order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from monitor.store.database import Store
from monitor.store.devices import PEER, SELF, Device, all_devices, drop_device, get_device, save_device
from monitor.store.forgetting import forgotten_since
from monitor.store.sync_files import file_seen, forget_files, note_files
from monitor.sync import clock
from monitor.sync.apply import Applying, apply_segment
from monitor.sync.segments import (
    DEVICE_ID,
    INBOX,
    BadSegment,
    CopiedFolder,
    SegmentName,
    decode,
    read_manifest,
    segment_files,
    stray_files,
)

log = logging.getLogger(__name__)

FOLDER_GONE = "its folder is no longer in the synced folder"


@dataclass
class IngestReport:
    """What one pass read."""

    applied: list[tuple[str, SegmentName]] = field(default_factory=list)
    set_aside: list[tuple[str, str, str]] = field(default_factory=list)
    """(device, file, reason) of the segments that could not be read."""
    problems: dict[str, str] = field(default_factory=dict)
    """Device id → what keeps it from being read."""


def _bounds(device: Device) -> clock.ClockBounds:
    return clock.ClockBounds(device.clock_low, device.clock_low_at, device.clock_high)


def _set_bounds(device: Device, bounds: clock.ClockBounds) -> None:
    device.clock_low, device.clock_low_at, device.clock_high = bounds.low, bounds.low_at, bounds.high
    device.offset_s = clock.correction(bounds)


def _set_aside_unchanged(store: Store, device: str, path: Path) -> bool:
    """True when ``path`` was set aside before and has not changed since."""
    seen = file_seen(store, device, path.name)
    if seen is None:
        return False
    try:
        status = path.stat()
    except OSError:
        return True
    return seen == (status.st_size, status.st_mtime)


def _set_aside(store: Store, device: Device, path: Path, reason: str, now: float) -> None:
    try:
        status = path.stat()
        size, mtime = status.st_size, status.st_mtime
    except OSError:
        size, mtime = -1, 0.0
    with store.transaction() as connection:
        note_files(connection, device.id, [path.name], size, mtime, f"set aside: {reason}", now)
        device.problem = f"{path.name} set aside ({reason}); its later segments wait"
        save_device(connection, device)
    log.warning("sync: %s set aside: %s", path, reason)


class Reader:
    """Reads the other devices' folders; remembers what it already logged, so each problem is logged once."""

    def __init__(self, this_device: str) -> None:
        """Read for the device ``this_device``."""
        self.this_device = this_device
        self.day_of: Callable[[float], date] = lambda instant: date.fromtimestamp(instant)
        self._logged: set[str] = set()

    def _once(self, message: str, *args: object) -> None:
        key = message % args
        if key not in self._logged:
            self._logged.add(key)
            log.warning("sync: " + message, *args)

    def ingest(self, store: Store, folder: Path, now: float, day_of: Callable[[float], date]) -> IngestReport:
        """Apply whatever is new in ``folder`` from the other devices (``day_of``: an instant's local day)."""
        self.day_of = day_of
        report = IngestReport()
        present: set[str] = set()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self._once("%s cannot be read: %s", folder, exc.strerror or exc)
            return report
        for entry in entries:
            if entry.name in (self.this_device, INBOX) or entry.name.startswith(".") or not entry.is_dir():
                continue  # this computer's, the inbox, the sync program's own (.stfolder), files
            if not DEVICE_ID.fullmatch(entry.name):
                self._once("%s: not a device's folder; left alone", entry.path)
                continue
            present.add(entry.name)
            self._device(store, Path(entry.path), now, report)
        self._missing(store, present, report)
        return report

    def _missing(self, store: Store, present: set[str], report: IngestReport) -> None:
        """Note the devices read before whose folder is gone (their time stays counted)."""
        for device in all_devices(store.connection):
            if device.kind == PEER and device.id not in present and device.problem != FOLDER_GONE:
                with store.transaction() as connection:
                    if device.applied_through == 0:  # nothing read of it (a copied folder): no trace
                        drop_device(connection, device.id)
                        continue
                    device.problem = FOLDER_GONE
                    save_device(connection, device)
                report.problems[device.id] = FOLDER_GONE
                self._once("device %s (%s): %s; what was read of it stays counted", device.name, device.id,
                           FOLDER_GONE)

    def _device(self, store: Store, path: Path, now: float, report: IngestReport) -> None:
        device_id = path.name
        known = get_device(store.connection, device_id)
        device = replace(known) if known is not None else Device(device_id, device_id[:8], PEER)
        if device.kind == SELF:
            return
        try:
            manifest = read_manifest(path)
        except BadSegment as exc:
            self._once("%s: %s", path, exc.reason)
            manifest = None
        if manifest is not None and manifest.device != device_id:
            self._copy(store, device, manifest.device, report)
            return
        if manifest is not None:
            device.name = manifest.name
            device.first_utc, device.last_utc = manifest.first_utc, manifest.last_utc
            _set_bounds(device, clock.with_peer_view(_bounds(device), manifest.clocks.get(self.this_device)))
        if device.problem == FOLDER_GONE:
            device.problem = None
        for stray in stray_files(path):
            self._once("%s: %s is not a segment (a conflict copy or another program's file); left alone",
                       path, stray)
        if device.forgotten_utc is None:
            self._segments(store, device, path, now, report)
        if device != known:  # no write on a pass with nothing new
            with store.transaction() as connection:
                save_device(connection, device)

    def _copy(self, store: Store, device: Device, original: str, report: IngestReport) -> None:
        device.problem = f"a copy of device {original}'s folder: not counted (delete it)"
        with store.transaction() as connection:
            save_device(connection, device)
        report.problems[device.id] = device.problem
        self._once("%s is %s", device.id, device.problem)

    def _segments(self, store: Store, device: Device, folder: Path, now: float, report: IngestReport) -> None:
        files = segment_files(folder)
        while True:
            ready = [name for name in files if name.first <= device.applied_through + 1
                     and name.last > device.applied_through]
            ready = [name for name in ready if not _set_aside_unchanged(store, device.id, files[name])]
            if not ready:
                return
            name = max(ready, key=lambda n: (n.last, -n.first))
            path = files.pop(name)
            try:
                self._apply(store, device, path, now)
            except CopiedFolder as exc:
                self._copy(store, device, exc.original, report)
                return
            except BadSegment as exc:
                _set_aside(store, device, path, exc.reason, now)
                report.set_aside.append((device.id, path.name, exc.reason))
                continue
            except FileNotFoundError:
                continue  # merged and deleted by its device meanwhile
            report.applied.append((device.id, name))

    def _apply(self, store: Store, device: Device, path: Path, now: float) -> None:
        data = path.read_bytes()
        changed = path.stat().st_ctime
        segment = decode(data, device.id)
        sample = clock.arrival_sample(segment.written_utc, changed, now)
        _set_bounds(device, clock.with_sample(_bounds(device), sample, now))
        at = Applying(device=device.id, this_device=self.this_device, offset=device.offset_s,
                      day_of=self.day_of, forgotten=forgotten_since(store))
        done = replace(device, name=segment.name, applied_through=segment.last, read_utc=now, problem=None,
                       last_segment_utc=max(device.last_segment_utc or 0.0, segment.written_utc))
        try:
            with store.transaction() as connection:
                apply_segment(store, segment, at)
                save_device(connection, done)
                forget_files(connection, device.id)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadSegment(f"an entry it holds cannot be used ({exc!r})") from None
        device.__dict__.update(done.__dict__)
        log.info("sync: read %s of %s (%s): %s", path.name, device.name, device.id,
                 ", ".join(f"{count} {what}" for what, count in sorted(at.counts.items())) or "nothing new")
