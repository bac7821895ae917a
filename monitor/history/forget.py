"""Forgetting for good: deleted history leaves nothing recoverable in unscroll's files.

``forget(store, selection)`` deletes the spans a Selection picks (by local days, app,
title pattern) with SQLite's ``secure_delete`` on, so the freed bytes are zeroed,
then ``VACUUM`` rebuilds the file without the free pages, and a ``TRUNCATE``
checkpoint empties the write-ahead log (``-wal``), which still held the old pages. A
selection by days only also deletes that period's notification records (prompts).

Each forget is also recorded (``monitor.store.forgetting.Forgotten``): the UTC range
from the period's start (or the beginning) to its end or the moment of the forget,
whichever comes first, with the ``--app`` and ``--title`` pattern it was limited to.
An import leaves that time out, so a re-import does not bring it back.

It works while the daemon runs: the daemon shares the database through WAL and
writes only its current span. If that span is among the deleted ones, the daemon
finds it gone at its next sample and stores the window again from the moment of the
forget (``monitor.tracking.recorder``): counting never stops. After a forget by
title, that window is stored without its title until the focus moves. Spans the
daemon could not write yet (a full disk) are cut by the same record when they are
written. To keep a title from being stored in future, add it to
``tracking.exclude_titles``.

``forget_everything(paths)`` deletes the database with its ``-wal`` and ``-shm``
files, the logs (rotated ones too), the lock file, the reports folder and the config
file. Stop the daemon first (``unscroll forget --all`` does): this wing does not
start or stop it. The SQL of both lives in ``monitor.store.forgetting``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from monitor.core.errors import InputError, StoreError
from monitor.core.paths import Paths
from monitor.store import forgetting
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten

log = logging.getLogger(__name__)


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


@dataclass
class ForgetResult:
    """What forgetting removed, and the file sizes before and after."""

    spans: int = 0
    seconds: float = 0.0
    prompts: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    record: Forgotten | None = None
    """What imports will leave out from now on (None: the period lies wholly ahead)."""


@dataclass
class EverythingResult:
    """What ``forget_everything`` deleted."""

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
    for span_id, seconds, span_app, title in forgetting.spans_starting(store, selection.since_utc,
                                                                     selection.until_utc):
        if app is not None and span_app.casefold() != app:
            continue
        if selection.title is not None and (title is None or not selection.title.search(title)):
            continue
        yield span_id, seconds


def preview(store: Store, selection: Selection) -> tuple[int, float]:
    """How many spans, and how many seconds, ``forget`` would delete."""
    picked = list(_matching(store, selection))
    return len(picked), sum(seconds for _, seconds in picked)


def forgotten_record(selection: Selection, now: float) -> Forgotten | None:
    """The record a forget at ``now`` keeps: the selection's time up to ``now`` (None: none yet)."""
    start = 0.0 if selection.since_utc is None else selection.since_utc
    end = now if selection.until_utc is None else min(selection.until_utc, now)
    if end <= start:
        return None
    app = None if selection.app is None else selection.app.strip()
    pattern = None if selection.title is None else selection.title.pattern
    return Forgotten(start_utc=start, end_utc=end, app=app, title_pattern=pattern, forgotten_utc=now)


def forget(store: Store, selection: Selection, *, now: float) -> ForgetResult:
    """Delete the selected spans (and, for a period alone, its prompts), record it, purge the files."""
    result = ForgetResult(bytes_before=_files_size(store.path), record=forgotten_record(selection, now))
    forgetting.secure_delete(store)
    with store.transaction():
        if result.record is not None:
            forgetting.record_forgotten(store, result.record)
        picked = list(_matching(store, selection))
        forgetting.delete_spans(store, [span_id for span_id, _ in picked])
        result.spans = len(picked)
        result.seconds = sum(seconds for _, seconds in picked)
        if selection.by_days_only:
            result.prompts = forgetting.delete_prompts(store, selection.since_utc, selection.until_utc)
    forgetting.purge(store)
    result.bytes_after = _files_size(store.path)
    log.info("forgot %d spans and %d notification records", result.spans, result.prompts)
    return result


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
    """Delete every file unscroll keeps (see the module doc); the daemon must be stopped first."""
    result = EverythingResult()
    with contextlib.suppress(StoreError, OSError):
        if paths.database.exists():  # zero what is deleted, in case the files are copied later
            forgetting.wipe(paths.database)
    for path in everything_paths(paths):
        _remove(path, result.removed)
    for folder in (paths.data_dir, paths.config_file.parent):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: the folders may hold other things
    log.info("forgot everything: %d files and folders removed", len(result.removed))
    return result
