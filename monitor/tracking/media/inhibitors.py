"""Idle inhibitors on Linux: apps that asked the desktop not to go idle, a second sign of watching.

A video player or a browser playing a video asks the desktop not to blank the screen:
through logind (``org.freedesktop.login1.Manager.ListInhibitors`` on the system bus,
each with the pid that holds it; ``what`` includes ``idle``) or, on GNOME, through the
session manager (``org.gnome.SessionManager.GetInhibitors``: each inhibitor's app id and
flags, 8 being idle), which is also where GNOME puts ``org.freedesktop.ScreenSaver.Inhibit``
calls. Neither says when an inhibitor ends, so they are read on demand (only while the
person gives no input and no player of the focused window plays), at most once every
``cache_seconds``, so a person away for hours costs one call every ten seconds; a service
that is not there is asked again after ``ABSENT_RETRY_SECONDS``.
They count only where they name the focused app (monitor.tracking.media.focus).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import IdleInhibitor
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus

log = logging.getLogger(__name__)

LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
GNOME_SESSION = ("org.gnome.SessionManager", "/org/gnome/SessionManager", "org.gnome.SessionManager")
GNOME_INHIBITOR = "org.gnome.SessionManager.Inhibitor"
GNOME_IDLE_FLAG = 8
SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"
ABSENT_RETRY_SECONDS = 60.0
CACHE_SECONDS = 10.0
"""An inhibitor's release is seen within this long (watching it held ends at the last sample that saw it)."""


class LinuxInhibitors:
    """Reads logind's and GNOME's idle inhibitors, on demand; see the module docstring."""

    def __init__(self, session: Callable[[], SessionBus | None], *, system_address: str | None = None,
                 clock: Callable[[], float] = time.time, cache_seconds: float = CACHE_SECONDS) -> None:
        """``session`` gives the open session bus (or None); logind is asked on the system bus."""
        self._session = session
        self.system_address = system_address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") \
            or SYSTEM_BUS_DEFAULT
        self.clock = clock
        self.cache_seconds = cache_seconds
        self._system: SessionBus | None = None
        self._cached: tuple[float, tuple[IdleInhibitor, ...]] | None = None
        self._absent_until: dict[str, float] = {}

    def read(self) -> tuple[IdleInhibitor, ...]:
        """The idle inhibitors held now (none where no service answers)."""
        now = self.clock()
        if self._cached is not None and 0 <= now - self._cached[0] < self.cache_seconds:
            return self._cached[1]
        found = (*self._ask("logind", now, self._logind), *self._ask("gnome", now, self._gnome))
        self._cached = (now, found)
        return found

    def _ask(self, service: str, now: float,
             read: Callable[[], list[IdleInhibitor]]) -> list[IdleInhibitor]:
        if now < self._absent_until.get(service, 0.0):
            return []
        try:
            return read()
        except (DBusCallFailed, PlatformUnavailable, ValueError, TypeError) as exc:
            log.debug("no idle inhibitors from %s: %s", service, exc)
            self._absent_until[service] = now + ABSENT_RETRY_SECONDS
            return []

    def _logind(self) -> list[IdleInhibitor]:
        if self._system is None:
            self._system = SessionBus(self.system_address)
        [entries] = self._system.call(*LOGIND, "ListInhibitors")
        return [IdleInhibitor(who=str(who), pid=int(pid) or None, why=str(why))
                for what, who, why, _mode, _uid, pid in entries if "idle" in str(what).split(":")]

    def _gnome(self) -> list[IdleInhibitor]:
        bus = self._session()
        if bus is None:
            return []
        [paths] = bus.call(*GNOME_SESSION, "GetInhibitors")
        found = []
        for path in paths:
            [flags] = bus.call(GNOME_SESSION[0], path, GNOME_INHIBITOR, "GetFlags")
            if int(flags) & GNOME_IDLE_FLAG:
                [app_id] = bus.call(GNOME_SESSION[0], path, GNOME_INHIBITOR, "GetAppId")
                [reason] = bus.call(GNOME_SESSION[0], path, GNOME_INHIBITOR, "GetReason")
                found.append(IdleInhibitor(who=str(app_id), pid=None, why=str(reason)))
        return found

    def close(self) -> None:
        """Leave the system bus."""
        system, self._system = self._system, None
        if system is not None:
            system.close()
