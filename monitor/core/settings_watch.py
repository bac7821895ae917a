"""Reloading the settings while the daemon runs, keeping the last good ones on a bad edit."""

from __future__ import annotations

import logging

from monitor.core.errors import ConfigError
from monitor.core.settings import Settings, load_settings

log = logging.getLogger(__name__)


class SettingsWatcher:
    """Reloads the settings when the user's file changes, keeping the last good ones."""

    def __init__(self, settings: Settings) -> None:
        """Start from ``settings`` (already validated)."""
        self.settings = settings
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
        except ConfigError as exc:
            log.error("config not reloaded, keeping the last good settings: %s", exc)
            return False
        log.info("config reloaded from %s", self.settings.paths.config_file)
        self.settings = fresh
        return True
