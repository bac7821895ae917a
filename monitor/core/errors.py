"""The one exception base of unscroll: a short title and a message a person can act on."""

from __future__ import annotations

from pathlib import Path


class UnscrollError(Exception):
    """An error meant for the user; the CLI prints it on one line and exits with code 1."""

    title = "unscroll error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(UnscrollError):
    """A settings or rules file that cannot be used as written."""

    title = "Configuration error"


class DurationError(ConfigError):
    """A duration such as ``1h30m`` that could not be read."""

    title = "Invalid duration"


class StoreError(UnscrollError):
    """The SQLite store could not be opened, migrated or written."""

    title = "Storage error"


class StoreWriteError(StoreError):
    """A write to the store failed: disk full, read-only, locked too long, a constraint broken."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: the database could not be written: {reason}")
        self.path = path
        self.reason = reason
        """What SQLite said, e.g. ``database is locked``."""


class PlatformUnavailable(UnscrollError):
    """No backend can watch the running desktop session, or it went away."""

    title = "Desktop not supported"


class DaemonError(UnscrollError):
    """Starting, stopping or talking to the daemon failed."""

    title = "Daemon error"


class InputError(UnscrollError):
    """A file or argument given by the user that cannot be used."""

    title = "Invalid input"
