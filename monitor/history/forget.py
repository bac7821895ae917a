"""Forgetting for good: deleted history leaves nothing recoverable in unscroll's files.

``forget(store, selection)`` deletes the spans a Selection picks (by local days, app,
title pattern) with SQLite's ``secure_delete`` on, so the freed bytes are zeroed,
then ``VACUUM`` rebuilds the file without the free pages, and a ``TRUNCATE``
checkpoint empties the write-ahead log (``-wal``), which still held the old pages. A
selection by days only also deletes that period's notification records (prompts).

It works while the daemon runs: the daemon shares the database through WAL and
writes only its current span. If that span is among the deleted ones, the daemon's
later updates to it change nothing, so the window in focus at that moment is counted
again only from the next change of focus. Spans the daemon could not write yet (a
full disk) are written when it can, and may bring back a forgotten title: forget
again then. To keep a title from being stored in future, add it to
``tracking.exclude_titles``.

``forget_everything(paths)`` stops the daemon and deletes the database with its
``-wal`` and ``-shm`` files, the logs (rotated ones too), the lock file, the reports
folder and the config file.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from monitor.core.errors import InputError, StoreError
from monitor.core.paths import Paths
from monitor.daemon import control
from monitor.store.database import Store

log = logging.getLogger(__name__)

CHUNK = 500
CHECKPOINT_TRIES = 20
CHECKPOINT_PAUSE = 0.25


@dataclass(frozen=True)
class Selection:
    """Which spans to forget: all conditions given must hold."""

    since_utc: float | None = None
    """Spans starting at or after this instant."""
    until_utc: float | None = None
    """Spans starting before this instant."""
    app: str | None = None
    """The process name, ignoring case."""
    title: re.Pattern[str] | None = None
    """A pattern searched in the stored title (spans without a title never match)."""

    @property
    def by_days_only(self) -> bool:
        """True when only a period is given (then its notification records go too)."""
        return self.app is None and self.title is None

    @property
    def is_everything(self) -> bool:
        """True when nothing narrows the selection."""
        return self.by_days_only and self.since_utc is None and self.until_utc is None


@dataclass
class ForgetResult:
    """What forgetting removed, and the file sizes before and after."""

    spans: int = 0
    seconds: float = 0.0
    prompts: int = 0
    bytes_before: int = 0
    bytes_after: int = 0


@dataclass
class EverythingResult:
    """What ``forget_everything`` deleted."""

    daemon_stopped: bool = False
    removed: list[Path] = field(default_factory=list)


def title_pattern(text: str, where: str = "--title") -> re.Pattern[str]:
    """Compile a title pattern (case is ignored), or InputError naming ``where``."""
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"{where}: {text!r} is not a valid regular expression ({exc}); "
                         "write a Python regular expression, e.g. 'bank|salary'") from None


def _files_size(database: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += database.with_name(database.name + suffix).stat().st_size
    return total


def _matching(store: Store, selection: Selection) -> Iterator[tuple[int, float]]:
    """(id, seconds) of every span the selection picks."""
    app = None if selection.app is None else selection.app.strip().casefold()
    rows = store.connection.execute(
        "SELECT id, end_utc - start_utc, app, title FROM spans WHERE start_utc >= ? AND start_utc < ?",
        (float("-inf") if selection.since_utc is None else selection.since_utc,
         float("inf") if selection.until_utc is None else selection.until_utc))
    for span_id, seconds, span_app, title in rows:
        if app is not None and str(span_app).casefold() != app:
            continue
        if selection.title is not None and (title is None or not selection.title.search(title)):
            continue
        yield int(span_id), float(seconds)


def preview(store: Store, selection: Selection) -> tuple[int, float]:
    """How many spans, and how many seconds, ``forget`` would delete."""
    picked = list(_matching(store, selection))
    return len(picked), sum(seconds for _, seconds in picked)


def forget(store: Store, selection: Selection) -> ForgetResult:
    """Delete the selected spans (and, for a period alone, its prompts), then purge the files."""
    result = ForgetResult(bytes_before=_files_size(store.path))
    store.connection.execute("PRAGMA secure_delete = ON")
    with store.transaction() as connection:
        picked = list(_matching(store, selection))
        for first in range(0, len(picked), CHUNK):
            chunk = [span_id for span_id, _ in picked[first:first + CHUNK]]
            marks = ",".join("?" * len(chunk))
            connection.execute(f"DELETE FROM spans WHERE id IN ({marks})", chunk)  # noqa: S608
        result.spans = len(picked)
        result.seconds = sum(seconds for _, seconds in picked)
        if selection.by_days_only:
            cursor = connection.execute(
                "DELETE FROM prompts WHERE at_utc >= ? AND at_utc < ?",
                (float("-inf") if selection.since_utc is None else selection.since_utc,
                 float("inf") if selection.until_utc is None else selection.until_utc))
            result.prompts = cursor.rowcount
    purge(store)
    result.bytes_after = _files_size(store.path)
    log.info("forgot %d spans and %d notification records", result.spans, result.prompts)
    return result


def purge(store: Store) -> None:
    """Rebuild the database without free pages and empty its write-ahead log.

    Raises StoreError when another program kept the log busy for several seconds
    (the deletion itself is done; running forget again finishes the purge).
    """
    connection = store.connection
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("VACUUM")
    for _ in range(CHECKPOINT_TRIES):
        busy, _log_frames, _copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        time.sleep(CHECKPOINT_PAUSE)
    raise StoreError(f"{store.path}: deleted, but another program kept the database busy, so older "
                     "copies may remain in its -wal file; run the same forget command again")


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot be removed: {exc.strerror or exc}") from None
    removed.append(path)


def everything_paths(paths: Paths) -> list[Path]:
    """Every file and folder ``forget_everything`` deletes, where they exist now."""
    database = paths.database
    candidates = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")),
                  *sorted(paths.data_dir.glob(paths.log_file.name + "*")), paths.lock_file,
                  paths.reports_dir, paths.config_file]
    return [path for path in candidates if path.exists()]


def forget_everything(paths: Paths) -> EverythingResult:
    """Stop the daemon, then delete every file unscroll keeps (see the module doc)."""
    result = EverythingResult()
    result.daemon_stopped = control.stop(paths) is control.StopResult.STOPPED
    with contextlib.suppress(sqlite3.Error, StoreError, OSError):
        if paths.database.exists():  # zero what is deleted, in case the files are copied later
            with Store(paths.database) as store:
                store.connection.execute("PRAGMA secure_delete = ON")
                store.connection.execute("DELETE FROM spans")
                store.connection.execute("DELETE FROM prompts")
                store.connection.execute("DELETE FROM interactions")
                store.connection.execute("DELETE FROM people")
                store.connection.execute("DELETE FROM state")
                purge(store)
    for path in everything_paths(paths):
        _remove(path, result.removed)
    for folder in (paths.data_dir, paths.config_file.parent):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: the folders may hold other things
    log.info("forgot everything: %d files and folders removed", len(result.removed))
    return result
