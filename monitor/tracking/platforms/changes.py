"""A meeting point for changes that backends learn of on threads of their own.

Some desktops push what changed (sway's IPC events, the KWin script's calls, a Wayland
idle protocol's "resumed"): their reader posts the instant here, and the daemon's thread
waiting for changes (``base.ChangeSource.wait_for_change``) takes it. Changes posted
while nobody waits are kept as the earliest one, so none is missed and none is late.
"""

from __future__ import annotations

import threading


class ChangeHub:
    """The earliest change not yet taken, and a way to wait for one."""

    def __init__(self) -> None:
        """Start with nothing posted."""
        self._cond = threading.Condition()
        self._pending: float | None = None
        self._interruptions = 0
        self.wants_input = False
        """Set while the person is away: a backend then posts the next input too."""
        self.latest: float | None = None
        """The latest change posted, taken or not (``base.ChangeSource.latest_change``)."""

    def post(self, at: float) -> None:
        """Note a change at ``at`` (UTC seconds); wakes a waiting thread."""
        with self._cond:
            if self._pending is None or at < self._pending:
                self._pending = at
            if self.latest is None or at > self.latest:
                self.latest = at
            self._cond.notify_all()

    def wait(self, timeout: float | None) -> float | None:
        """The earliest change posted (waiting up to ``timeout``), or None (timeout, interrupted)."""
        with self._cond:
            began = self._interruptions
            self._cond.wait_for(lambda: self._pending is not None or self._interruptions != began,
                                timeout)
            if self._interruptions != began:
                return None
            at, self._pending = self._pending, None
            return at

    def interrupt(self) -> None:
        """Wake every thread waiting now with None (the backend is closing); later waits wait."""
        with self._cond:
            self._interruptions += 1
            self._pending = None
            self._cond.notify_all()
