"""The ``[tray]`` settings: whether the daemon shows its indicator in the tray (or menu bar)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.core.errors import ConfigError

TRAY_KEYS = ("enabled",)


@dataclass(frozen=True)
class TraySettings:
    """The ``[tray]`` table."""

    enabled: bool = True
    """Show the indicator while the daemon runs (read at start and after each reload)."""


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {value!r} is not true or false")
    return value


def read_tray(get: Callable[[str, Callable[[object, str], Any]], Any]) -> TraySettings:
    """The ``[tray]`` table, each key read through ``get(key, convert)`` (which names the file)."""
    return TraySettings(enabled=get("enabled", _flag))
