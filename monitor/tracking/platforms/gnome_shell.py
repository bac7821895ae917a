"""The GNOME Shell (Wayland) backend: the focused window through a Shell extension on D-Bus.

GNOME Shell itself tells no other program which window has focus: an extension running
inside it must. unscroll ships its own (``gnome_focus``: ``unscroll gnome install`` puts it in
place), which also signals every change of focus or title, so the daemon samples the
moment one happens, and minimises a window for the doorway's "Leave". Where it does not
answer, the third-party "Focused Window D-Bus" and "Window Calls" extensions still serve
(``gnome_third_party``), sampled on the daemon's timer. Which one answers is found by
introspection, unscroll's own first.

Idle time comes from Mutter's idle monitor (``gnome_idle``), which also wakes the daemon at
the first input after an absence.

When GNOME Shell leaves the bus (a crash, a restart) the next sample raises
PlatformUnavailable, and the sampler opens the backend again once a Shell answers; a Shell
that came back between two samples is simply asked again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.changes import ChangeHub
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus
from monitor.tracking.platforms.gnome_focus import (
    INTERFACE,
    LEFT_BUS,
    OBJECT_PATH,
    SHELL,
    ShellSignals,
    window_from_extension,
)
from monitor.tracking.platforms.gnome_idle import MutterIdle
from monitor.tracking.platforms.gnome_third_party import (
    FOCUSED_WINDOW_EXTENSION,
    FOCUSED_WINDOW_URL,
    THIRD_PARTY,
    WINDOW_CALLS_EXTENSION,
    Extension,
    window_from_focused_window,
    window_from_window_calls,
)

if TYPE_CHECKING:
    from monitor.tracking.platforms.gnome_setup import ExtensionStatus

log = logging.getLogger(__name__)

OWN_EXTENSION = Extension("unscroll GNOME Shell", OBJECT_PATH, INTERFACE, "GetFocused")
CANDIDATES = (OWN_EXTENSION, *THIRD_PARTY)
_GONE = ("ServiceUnknown", "NameHasNoOwner")


def missing_extension_message(status: ExtensionStatus | None = None) -> str:
    """The paragraph shown when GNOME runs on Wayland and no focused-window extension answers."""
    # installing is rare: its module loads only here (the daemon stays small)
    from monitor.tracking.platforms.gnome_setup import LEFT_TO_YOU, what_to_do  # noqa: PLC0415

    advice = what_to_do(status) if status is not None else \
        f"Install unscroll's own with `unscroll gnome install`. {LEFT_TO_YOU}"
    return (
        "This is GNOME on Wayland, where GNOME Shell tells other programs which window has focus only "
        f"through a Shell extension, and none answers. {advice} (The third-party "
        f"\"{FOCUSED_WINDOW_EXTENSION}\" extension, {FOCUSED_WINDOW_URL}, or \"{WINDOW_CALLS_EXTENSION}\" "
        "work too; or choose \"GNOME on Xorg\" on the login screen.)"
    )


def find_extension(bus: SessionBus) -> Extension | None:
    """The first focused-window extension GNOME Shell exports on ``bus`` (unscroll's own first), or None.

    Raises PlatformUnavailable when the bus cannot be reached or GNOME Shell is not on it.
    """
    for candidate in CANDIDATES:
        try:
            interfaces = bus.methods(SHELL, candidate.path)
        except DBusCallFailed as err:
            if err.name.endswith(_GONE):
                raise PlatformUnavailable(
                    "GNOME Shell is not on the D-Bus session bus (org.gnome.Shell has no owner)"
                ) from err
            log.debug("introspecting %s failed: %s", candidate.path, err)
            continue
        if candidate.method in interfaces.get(candidate.interface, set()):
            return candidate
    return None


def probe_gnome(bus: SessionBus, env: Mapping[str, str]) -> None:
    """Raise PlatformUnavailable (what is missing, what to do) unless a focused-window extension answers."""
    try:
        found = find_extension(bus)
    except PlatformUnavailable as err:
        raise PlatformUnavailable(
            f"This is GNOME on Wayland, but unscroll cannot ask GNOME Shell for the focused "
            f"window: {err}. Run unscroll inside your desktop session, where "
            "DBUS_SESSION_BUS_ADDRESS is set, or choose \"GNOME on Xorg\" on the login screen."
        ) from err
    if found is None:
        raise PlatformUnavailable(missing_extension_message(_status(bus, env)))


def _status(bus: SessionBus, env: Mapping[str, str]) -> ExtensionStatus:
    from monitor.tracking.platforms.gnome_setup import read_status  # noqa: PLC0415 - see above

    return read_status(env, bus, with_settings=False)


class GnomeShellPlatform:
    """The focused window (through an extension) and idle time (Mutter) of a GNOME session."""

    name = "gnome"

    def __init__(self, bus_address: str | None = None, *, timeout: float = 3.0,
                 env: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if env is None else env
        self._bus = SessionBus(bus_address, timeout=timeout)
        self._extension: Extension | None = None
        self._changes = ChangeHub()
        self._idle = MutterIdle(self._bus, self.name)
        self._signals = ShellSignals(self._bus, self._changes, on_shell_change=self._idle.forget_watch)

    def _find(self) -> Extension:
        if self._extension is None:
            self._signals.subscribe()  # before asking: a change meanwhile is not missed
            extension = find_extension(self._bus)
            if extension is None:
                raise PlatformUnavailable(missing_extension_message(_status(self._bus, self._env)))
            if extension is not OWN_EXTENSION:
                log.info("reading the focused window through the %s extension; unscroll's own "
                         "(`unscroll gnome install`) also reports changes at once", extension.label)
            self._extension = extension
        return self._extension

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None when nothing has focus."""
        extension = self._find()
        try:
            [reply] = self._bus.call(SHELL, extension.path, extension.interface, extension.method)
            if extension is OWN_EXTENSION:
                return window_from_extension(reply)
            if extension.method == "Get":
                return window_from_focused_window(reply)
            return window_from_window_calls(reply, lambda wid: self._title(extension, wid))
        except DBusCallFailed as err:
            self._extension = None  # turned off or updated: look again next time
            if err.name.endswith(_GONE):
                raise PlatformUnavailable(self._signals.gone or f"{LEFT_BUS} ({err})") from err
            raise PlatformUnavailable(f"the {extension.label} extension stopped answering ({err})") from err
        except ValueError as err:
            raise PlatformUnavailable(f"the {extension.label} extension sent a reply that is not "
                                      f"the JSON expected: {err}") from err

    def _title(self, extension: Extension, window_id: int) -> str | None:
        try:
            [title] = self._bus.call(SHELL, extension.path, extension.interface, "GetTitle", "u",
                                     [window_id])
        except DBusCallFailed:
            return None  # the window closed meanwhile
        return title if isinstance(title, str) and title else None

    def minimise(self, handle: str) -> bool:
        """Minimise the window ``handle`` (Mutter's window id) through unscroll's extension."""
        extension = self._find()
        if extension is not OWN_EXTENSION:
            log.info("minimising a window on GNOME needs unscroll's own Shell extension "
                     "(`unscroll gnome install`); the %s extension cannot", extension.label)
            return False
        try:
            [done] = self._bus.call(SHELL, OBJECT_PATH, INTERFACE, "Minimise", "s", [handle])
        except DBusCallFailed as err:
            if err.name.endswith(_GONE):
                raise PlatformUnavailable(f"{LEFT_BUS} ({err})") from err
            log.info("GNOME Shell would not minimise window %s: %s", handle, err)
            return False
        return bool(done)

    def idle_seconds(self) -> float:
        """Seconds since the last input, from Mutter's idle monitor."""
        return self._idle.idle_seconds()

    def wait_for_change(self, timeout: float | None) -> float | None:
        """Wait for the extension's next FocusChanged signal (see ``base.ChangeSource``).

        With a third-party extension nothing is signalled: this waits out ``timeout``.
        """
        return self._changes.wait(timeout)

    def latest_change(self) -> float | None:
        """When the latest reported change happened (see ``base.ChangeSource``)."""
        return self._changes.latest

    def wake_on_input(self, wanted: bool) -> None:
        """While away, ask Mutter for a word at the next input (``AddUserActiveWatch``)."""
        self._idle.when_active(self._changes.post if wanted else None)

    def close(self) -> None:
        """Disconnect from the bus; a later call connects again."""
        self._changes.interrupt()  # wakes a thread waiting for a change
        self._bus.close()
        self._extension = None
        self._signals.reset()
        self._idle.reset()
