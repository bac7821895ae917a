"""The phone: an ActivityWatch export (aw-android's, or any) dropped into ``FOLDER/inbox/``, imported once.

Each file is imported through the ActivityWatch importer (monitor.history.activitywatch:
its spans classified with this computer's rules, forgotten time left out), in a process of
its own (``inbox_child``: the daemon never holds an export in memory), as a device of
its own, named after the export's host (``Pixel 7``), with an id made from that name: every
computer imports the same file under the same id, and none writes it back to the folder,
so the phone is counted once everywhere. A file is known by its contents (SHA-256):
dropped again, renamed or re-synced, it is not imported twice; a later export of the same
phone adds only what is new. A file that is not a usable export (still being copied,
perhaps) is noted and tried again when it changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.settings import Settings
from monitor.store.database import Store
from monitor.store.sync_files import file_seen, note_files
from monitor.sync.inbox_child import REFUSED
from monitor.sync.segments import CONFLICT_MARK

log = logging.getLogger(__name__)

IMPORT_TIMEOUT_S = 3600
"""The longest an import may take (a year's export takes seconds)."""
INBOX_DEVICE = "inbox"
"""``sync_files.device`` of the inbox's files."""


@dataclass
class InboxReport:
    """What one look at the inbox did."""

    imported: list[tuple[str, int]] = field(default_factory=list)
    """(file, spans added)."""
    refused: list[tuple[str, str]] = field(default_factory=list)


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
            with path.open("rb") as stream:  # a piece at a time: the daemon never holds the file
                digest = "sha256:" + hashlib.file_digest(stream, "sha256").hexdigest()
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
    """Import one export as its host's device, in a process of its own (``inbox_child``); the spans added."""
    command = [sys.executable, "-m", "monitor.sync.inbox_child", str(settings.paths.config_file),
               str(settings.paths.data_dir), str(store.path), str(path), repr(now)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=IMPORT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"{path.name}: the import did not finish ({exc}); "
                         "it is tried again when the file changes") from None
    if done.returncode == 0:
        return int(json.loads(done.stdout.strip().splitlines()[-1])["spans"])
    last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    if done.returncode != REFUSED:
        log.warning("sync: inbox: the import of %s failed: %s", path.name, done.stderr.strip())
    raise InputError(last if done.returncode == REFUSED else f"{path.name}: the import failed: {last}")
