"""Reloading the settings while the daemon runs, keeping the last good ones on a bad edit.

A bad edit is logged once (the same error again, after another save, is not logged
again) and handed to ``on_outcome``, which the daemon uses to record it where
``unscroll status`` reads it; a good reload hands over None.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from monitor.core.errors import ConfigError
from monitor.core.settings import Settings, load_settings

log = logging.getLogger(__name__)

SettingsCheck = Callable[[Settings], object]
"""A further check of freshly loaded settings (the category rules); raises ConfigError."""
OutcomeHandler = Callable[[str | None], None]
"""Told after each reload: the error being ridden out, or None when the new settings took effect."""


class SettingsWatcher:
    """Reloads the settings when the user's file changes, keeping the last good ones."""

    def __init__(self, settings: Settings, *, check: SettingsCheck | None = None,
                 on_outcome: OutcomeHandler | None = None) -> None:
        """Start from ``settings`` (already validated); ``check`` also vets each reload."""
        self.settings = settings
        self.check = check
        self.on_outcome = on_outcome
        self.problem: str | None = None
        """The error in the file that is being ridden out (the last good settings stay), or None."""
        self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[float, int] | None:
        try:
            stat = self.settings.paths.config_file.stat()
        except OSError:
            return None
        return stat.st_mtime, stat.st_size

    def poll(self) -> bool:
        """Reload if the file changed; True when new settings took effect."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            fresh = load_settings(self.settings.paths)
            if self.check is not None:
                self.check(fresh)
        except ConfigError as exc:
            if exc.message != self.problem:
                log.error("config not reloaded, keeping the last good settings: %s", exc)
            self.problem = exc.message
            self._tell(exc.message)
            return False
        log.info("config reloaded from %s", self.settings.paths.config_file)
        self.settings = fresh
        self.problem = None
        self._tell(None)
        return True

    def _tell(self, problem: str | None) -> None:
        if self.on_outcome is not None:
            self.on_outcome(problem)
