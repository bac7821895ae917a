"""One reading of the desktop: the focused window and the idle time, as the platform says them.

The sampler owns the platform connection: when the desktop goes away it closes it,
logs once, and tries again on later samples, so the daemon never dies with the display.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow, Platform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """What the desktop said at one instant."""

    backend: str
    window: ActiveWindow | None
    idle_seconds: float


class Sampler:
    """Reads the focused window and idle time, reconnecting after the desktop comes back."""

    def __init__(self, open_platform: Callable[[], Platform]) -> None:
        """Use ``open_platform`` to (re)connect to the desktop when needed."""
        self._open_platform = open_platform
        self._platform: Platform | None = None
        self._failing = False

    def read(self) -> Reading | None:
        """One reading, or None while the desktop is unavailable (logged once per outage)."""
        try:
            if self._platform is None:
                self._platform = self._open_platform()
            window = self._platform.active_window()
            idle = self._platform.idle_seconds()
            backend = self._platform.name
        except PlatformUnavailable as exc:
            self._drop(f"desktop unavailable: {exc}")
            return None
        except Exception as exc:  # a backend bug must not end the daemon
            self._drop(f"reading the desktop failed ({type(exc).__name__}): {exc}")
            return None
        if self._failing:
            log.info("desktop available again (%s)", backend)
            self._failing = False
        return Reading(backend=backend, window=window, idle_seconds=max(idle, 0.0))

    def _drop(self, reason: str) -> None:
        if not self._failing:
            log.warning("%s; not counting until it is back", reason)
            self._failing = True
        self.close()

    def close(self) -> None:
        """Release the desktop connection."""
        if self._platform is not None:
            try:
                self._platform.close()
            except Exception:  # closing a dead connection can fail in many ways
                log.debug("closing the platform failed", exc_info=True)
            self._platform = None
