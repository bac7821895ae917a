"""The one-time warning when a desktop offers no way to measure idle time."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

_warned: set[str] = set()
_lock = threading.Lock()


def idle_unknown(backend: str, reason: str) -> float:
    """Log once per backend that idle time is unknown, and return 0 (the user counts as active).

    With idle at 0 the daemon keeps counting the focused window while the user is away,
    so time away from the screen is counted as time spent in that window.
    """
    with _lock:
        first = backend not in _warned
        _warned.add(backend)
    if first:
        log.warning(
            "%s: idle time is unknown (%s). Time away from the keyboard will be counted as "
            "time in the focused window; use `unscroll pause` when you step away.", backend, reason)
    return 0.0
