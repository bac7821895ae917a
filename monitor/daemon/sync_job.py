"""The daemon's sync job: every ``sync.every``, one pass of monitor.sync (write, read, inbox).

It runs on a worker thread of the scheduler (a pass that reads a large merged segment must
not hold up sampling), with a connection of its own to the store for each pass. The sync wing is
imported on the first pass with a folder set: a daemon that does not sync never loads it.
With sync turned off in the settings, ``stop_if_off`` ends the marking of changes once.
A pass that fails (the folder unplugged, the disk full) is logged once per kind of
failure, and the next pass tries again; counting never depends on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING

from monitor.core.errors import UnscrollError
from monitor.core.settings import Settings
from monitor.store.database import Store

if TYPE_CHECKING:
    from monitor.sync.cycle import Syncer

log = logging.getLogger(__name__)


class SyncJob:
    """Runs sync passes with the settings in force."""

    def __init__(self, settings: Callable[[], Settings], *, zone: Callable[[], tzinfo],
                 clock: Callable[[], float], on_news: Callable[[], None] = lambda: None) -> None:
        """Sync with ``settings()`` at ``clock()``, deciding local days in ``zone()``.

        ``on_news`` is called after a pass that brought another device's time or prompts in
        (the nudger then looks at the day at once instead of trusting its headroom).
        """
        self.settings = settings
        self.zone = zone
        self.clock = clock
        self.on_news = on_news
        self._syncer: Syncer | None = None
        self._failure: str | None = None

    def run(self) -> None:
        """One pass (the scheduler calls this every ``sync.every``)."""
        settings = self.settings()
        try:
            if self._syncer is None:
                from monitor.sync.cycle import Syncer  # noqa: PLC0415 - loaded only by a daemon that syncs

                self._syncer = Syncer()
            with Store(settings.paths.database) as store:
                report = self._syncer.run(store, settings, self.clock(), self.zone())
        except (UnscrollError, OSError) as exc:
            failure = exc.message if isinstance(exc, UnscrollError) else f"{exc.strerror or exc}"
            if failure != self._failure:
                log.warning("sync: this pass failed (%s); the next one tries again", failure)
                self._failure = failure
            return
        except Exception:
            log.exception("sync: this pass failed; the next one tries again")
            return
        self._failure = None
        written = report.written
        if written is not None and written.segment is not None:
            log.debug("sync: wrote %s (%d entries)", written.segment.file, written.entries)
        read = report.ingested is not None and bool(report.ingested.applied)
        if read or (report.inbox is not None and bool(report.inbox.imported)):
            self.on_news()

    def stop_if_off(self) -> None:
        """With sync off in the settings, stop marking this computer's changes (if it was)."""
        from monitor.store.sync_capture import capturing, stop_capture  # noqa: PLC0415 - small, on use

        settings = self.settings()
        if settings.sync.on:
            return
        try:
            with Store(settings.paths.database) as store:
                if capturing(store):
                    stop_capture(store)
                    log.info("sync is off: this computer's changes are no longer kept for a synced folder")
        except UnscrollError as exc:
            log.warning("sync: %s", exc.message)
