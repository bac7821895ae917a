"""Process names for the backends that learn a window's pid from the desktop."""

from __future__ import annotations

import psutil


def process_name(pid: int | None) -> str | None:
    """The name of process ``pid``, or None when there is no pid or it is gone or hidden."""
    if pid is None or pid <= 0:
        return None
    try:
        return psutil.Process(pid).name() or None
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        # ZombieProcess is a NoSuchProcess: the window's process exited after we read its pid.
        return None


def app_name(pid: int | None, *fallbacks: str | None) -> str:
    """The app to record: the process name, else the first non-empty fallback, else "unknown"."""
    name = process_name(pid)
    if name:
        return name
    for candidate in fallbacks:
        if candidate:
            return candidate
    return "unknown"
