"""A media source that asks the system for every player at each look (Windows, macOS).

The system's calls live behind a small boundary (``read``: every player seen now), so
the policy here, which keeps the book of players and says once why none can be seen, is
tested against fakes; the real boundaries are in ``gsmtc`` and ``coreaudio``. They are
asked only while the person gives no input, once a sample.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import IdleInhibitor, Player, PlayerBook

log = logging.getLogger(__name__)

Read = Callable[[float], list[Player]]
"""Every player the system shows now (``changed_at`` is the instant given)."""


class PolledSource:
    """Players read whole at each look; their changes timed by the book."""

    def __init__(self, name: str, open_reader: Callable[[], Read], *,
                 clock: Callable[[], float] = time.time) -> None:
        """``open_reader`` makes the boundary (PlatformUnavailable: it cannot be had here)."""
        self.name = name
        self.problem: str | None = None
        self.clock = clock
        self._open_reader = open_reader
        self._read: Read | None = None
        self._book = PlayerBook()

    def players(self) -> tuple[Player, ...]:
        """The players now, and the ones gone lately."""
        now = self.clock()
        try:
            if self._read is None:
                self._read = self._open_reader()
            seen = self._read(now)
        except PlatformUnavailable as exc:
            self._unavailable(now, str(exc))
        except (OSError, RuntimeError, ValueError) as exc:  # the system's own errors
            self._unavailable(now, f"reading the media players failed: {exc}")
        else:
            if self.problem is not None:
                log.info("media players can be seen again")
                self.problem = None
            self._book.sync(now, seen)
        return self._book.snapshot(now)

    def _unavailable(self, now: float, problem: str) -> None:
        if self.problem is None:
            log.warning("%s; playing media will not count while you give no input", problem)
        self.problem = problem
        self._book.drop_all(now)

    def inhibitors(self) -> tuple[IdleInhibitor, ...]:
        """None to ask on this system."""
        return ()

    def close(self) -> None:
        """Nothing is held open between looks."""
        self._read = None
