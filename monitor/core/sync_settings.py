"""The ``[sync]`` settings: the synced folder shared by the person's computers, and this one's name.

Off by default (``folder = ""``). With a folder (``"~/Sync/unscroll"``: a folder that
Syncthing, Nextcloud, Dropbox or a network share keeps the same on every computer), each
computer writes its own files under ``FOLDER/<device id>/`` and reads the others'
(monitor.sync). ``device_name`` is what the others call this computer (the host name
when empty); the device id itself is made once and kept in the data folder.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitor.core.durations import parse_duration
from monitor.core.errors import ConfigError

SYNC_KEYS = ("folder", "device_name", "every")
MIN_EVERY = timedelta(seconds=1)
MAX_EVERY = timedelta(hours=1)
MAX_NAME_LENGTH = 80


@dataclass(frozen=True)
class SyncSettings:
    """The ``[sync]`` table."""

    folder: Path | None = None
    """The synced folder (``~`` expanded); None: sync is off."""
    device_name: str = ""
    """What the other computers call this one (never empty once read: the host name by default)."""
    every: timedelta = timedelta(seconds=20)
    """How often this computer writes its news to the folder and reads the others'."""

    @property
    def on(self) -> bool:
        """True when a folder is set."""
        return self.folder is not None


def _folder(value: object, where: str) -> Path | None:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is not a folder in quotes, like \"~/Sync/unscroll\" "
                          "(or \"\" for no sync)")
    if not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    if not path.is_absolute():
        raise ConfigError(f"{where}: {value!r} is not a full path; write one like \"~/Sync/unscroll\" "
                          "or \"/mnt/share/unscroll\"")
    return path


def _name(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is not a name in quotes, like \"laptop\" (or \"\" for the "
                          "host name)")
    name = " ".join(value.split()) or socket.gethostname()
    if len(name) > MAX_NAME_LENGTH or any(not char.isprintable() for char in name):
        raise ConfigError(f"{where}: {value!r} is not a short name; write up to {MAX_NAME_LENGTH} "
                          "printable characters, like \"laptop\"")
    return name


def _every(value: object, where: str) -> timedelta:
    every = parse_duration(value, where=where)
    if not MIN_EVERY <= every <= MAX_EVERY:
        raise ConfigError(f"{where}: {value!r} must be between \"1s\" and \"1h\", like \"20s\"")
    return every


def read_sync(get: Callable[[str, Callable[[object, str], Any]], Any]) -> SyncSettings:
    """The ``[sync]`` table, each key read through ``get(key, convert)`` (which names the file)."""
    return SyncSettings(folder=get("folder", _folder), device_name=get("device_name", _name),
                        every=get("every", _every))
