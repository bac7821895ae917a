"""The phone: an ActivityWatch export (aw-android's, or any) dropped into ``FOLDER/inbox/``, imported once.

Each file is imported through the ActivityWatch importer (monitor.history.activitywatch:
its spans classified with this computer's rules, forgotten time left out) as a device of
its own, named after the export's host (``Pixel 7``), with an id made from that name: every
computer imports the same file under the same id, and none writes it back to the folder,
so the phone is counted once everywhere. A file is known by its contents (SHA-256):
dropped again, renamed or re-synced, it is not imported twice; a later export of the same
phone adds only what is new. A file that is not a usable export (still being copied,
perhaps) is noted and tried again when it changes.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.settings import Settings
from monitor.store.database import Store
from monitor.store.devices import PHONE, Device, get_device, save_device
from monitor.store.sync_files import file_seen, note_files
from monitor.sync.segments import CONFLICT_MARK

log = logging.getLogger(__name__)

INBOX_DEVICE = "inbox"
"""``sync_files.device`` of the inbox's files."""


@dataclass
class InboxReport:
    """What one look at the inbox did."""

    imported: list[tuple[str, int]] = field(default_factory=list)
    """(file, spans added)."""
    refused: list[tuple[str, str]] = field(default_factory=list)


def phone_id(name: str) -> str:
    """The device id of the exports of host ``name`` (the same on every computer)."""
    return "phone-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _known(store: Store, key: str, size: int, mtime: float) -> bool:
    return file_seen(store, INBOX_DEVICE, key) == (size, mtime)


def _note(store: Store, keys: list[str], size: int, mtime: float, outcome: str, now: float) -> None:
    with store.transaction() as connection:
        note_files(connection, INBOX_DEVICE, keys, size, mtime, outcome, now)


def _candidates(inbox: Path) -> list[Path]:
    try:
        return sorted(path for path in inbox.iterdir()
                      if path.suffix.lower() == ".json" and not path.name.startswith((".", "~"))
                      and CONFLICT_MARK not in path.name and path.is_file())
    except OSError:
        return []


def import_inbox(store: Store, inbox: Path, settings: Settings, now: float) -> InboxReport:
    """Import each export in ``inbox`` not imported yet."""
    report = InboxReport()
    for path in _candidates(inbox):
        try:
            status = path.stat()
            size, mtime = status.st_size, status.st_mtime
            if _known(store, path.name, size, mtime):
                continue
            digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        if _known(store, digest, 0, 0.0):
            _note(store, [path.name], size, mtime, "imported before (the same contents)", now)
            continue
        try:
            added = _import(store, path, settings, now)
        except InputError as exc:
            _note(store, [path.name], size, mtime, f"not imported: {exc.message}", now)
            report.refused.append((path.name, exc.message))
            log.warning("sync: inbox: %s", exc.message)
            continue
        _note(store, [path.name], size, mtime, f"imported: {added} spans", now)
        _note(store, [digest], 0, 0.0, f"imported from {path.name}", now)
        report.imported.append((path.name, added))
    return report


def _import(store: Store, path: Path, settings: Settings, now: float) -> int:
    """Import one export as its host's device; the spans added."""
    from monitor.history.activitywatch import import_activitywatch  # noqa: PLC0415 - only with a file to import
    from monitor.history.aw_format import read_export  # noqa: PLC0415

    hosts = sorted({bucket.hostname for bucket in read_export(path)
                    if bucket.kind in ("android", "window") and bucket.hostname not in ("", "unknown")})
    name = hosts[0] if hosts else path.stem
    device_id = phone_id(name)
    known = get_device(store.connection, device_id)
    if known is not None and known.forgotten_utc is not None:
        raise InputError(f"{path.name}: {name} was forgotten here (`unscroll devices forget`); not imported")
    if known is None:
        with store.transaction() as connection:
            save_device(connection, Device(device_id, name, PHONE))
    result = import_activitywatch(store, path, settings, device=device_id)
    log.info("sync: inbox: imported %s as %s: %d spans", path.name, name, result.spans_added)
    with store.transaction() as connection:
        device = get_device(connection, device_id) or Device(device_id, name, PHONE)
        device.read_utc = now
        device.first_utc = min(filter(None, (device.first_utc, result.first_utc)), default=None)
        device.last_utc = max(filter(None, (device.last_utc, result.last_utc)), default=None)
        device.last_segment_utc = device.last_utc
        save_device(connection, device)
    return result.spans_added
