"""Idle time on GNOME from Mutter's own idle monitor, and a wake-up at the next input.

``org.gnome.Mutter.IdleMonitor`` at ``/org/gnome/Mutter/IdleMonitor/Core`` answers
``GetIdletime()`` with the milliseconds since the last keyboard or pointer input.
``AddUserActiveWatch()`` asks Mutter to send this connection ``WatchFired(id)`` at the next
input (once); ``RemoveWatch(id)`` takes the request back. GNOME Shell runs Mutter in its
own process, so a watch dies with the Shell: ``forget_watch`` is called when it restarts.

This is the raw input idle time. Whether a playing video keeps a window "watched" while
there is no input (issue #16) is decided above the backends, from the focused window's
pid; nothing here changes the idle time for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus
from monitor.tracking.platforms.idle_notice import idle_unknown

if TYPE_CHECKING:
    from dbus_fast import Message

log = logging.getLogger(__name__)

MUTTER_IDLE = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
               "org.gnome.Mutter.IdleMonitor")


class MutterIdle:
    """Mutter's idle time on one bus, and an optional callback at the next input."""

    def __init__(self, bus: SessionBus, backend: str) -> None:
        self._bus = bus
        self._backend = backend
        self._missing: str | None = None
        self._lock = threading.Lock()
        self._watch: int | None = None
        self._on_input: Callable[[float], None] | None = None
        self._listening = False

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0 (logged once) where Mutter does not answer."""
        if self._missing is None:
            try:
                [milliseconds] = self._bus.call(*MUTTER_IDLE, "GetIdletime")
                return float(milliseconds) / 1000.0
            except DBusCallFailed as err:
                self._missing = f"org.gnome.Mutter.IdleMonitor does not answer ({err})"
        return idle_unknown(self._backend, self._missing)

    def when_active(self, callback: Callable[[float], None] | None) -> None:
        """Call ``callback(now)`` at the next input (once), or stop waiting for one (None)."""
        with self._lock:
            self._on_input = callback
            watch = self._watch
        if callback is None:
            if watch is not None:
                self._remove(watch)
            return
        if watch is None:
            self._add()

    def _add(self) -> None:
        if not self._listening:
            self._bus.add_handler(self._on_message)
            self._listening = True
        try:
            [watch] = self._bus.call(*MUTTER_IDLE, "AddUserActiveWatch")
        except DBusCallFailed as err:
            log.debug("Mutter will not watch for input: %s", err)
            return
        with self._lock:
            self._watch = int(watch)

    def _remove(self, watch: int) -> None:
        with self._lock:
            self._watch = None
        try:
            self._bus.call(*MUTTER_IDLE, "RemoveWatch", "u", [watch])
        except (DBusCallFailed, PlatformUnavailable) as err:
            log.debug("removing Mutter's watch %s failed: %s", watch, err)

    def forget_watch(self) -> None:
        """The Shell (and Mutter with it) restarted: its watch is gone; ask again next time."""
        with self._lock:
            self._watch = None

    def reset(self) -> None:
        """Forget everything tied to the bus connection (it is being closed)."""
        with self._lock:
            self._watch, self._on_input = None, None
        self._listening = False
        self._missing = None

    def _on_message(self, message: Message) -> bool | None:
        """``WatchFired`` for our watch: input has come (runs on the bus's loop thread)."""
        if message.member != "WatchFired" or message.path != MUTTER_IDLE[1]:
            return None
        with self._lock:
            if not message.body or message.body[0] != self._watch:
                return None
            self._watch = None
            on_input = self._on_input
        if on_input is not None:
            on_input(time.time())
        return None
