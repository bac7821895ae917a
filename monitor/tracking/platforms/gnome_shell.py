"""The GNOME Shell (Wayland) backend: the focused window through a Shell extension on D-Bus.

GNOME Shell itself tells no other program which window has focus; two extensions do:

- "Focused Window D-Bus" (extensions.gnome.org/extension/5592): ``org.gnome.Shell``
  ``/org/gnome/shell/extensions/FocusedWindow`` ``Get()`` → JSON with ``title``,
  ``wm_class``, ``pid`` (``{}`` when nothing has focus). Its early versions used the
  capitalised path and interface (``/org/gnome/Shell/Extensions/FocusedWindow``); both work.
- "Window Calls": ``/org/gnome/Shell/Extensions/Windows`` ``List()`` → JSON list of
  windows with ``focus``, ``pid``, ``wm_class``, ``title`` and ``id`` (versions without
  ``title`` in the list answer ``GetTitle(id)``).

Which one is installed is found by introspection. Idle time comes from Mutter:
``org.gnome.Mutter.IdleMonitor`` ``/org/gnome/Mutter/IdleMonitor/Core`` ``GetIdletime()``
(milliseconds).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus
from monitor.tracking.platforms.idle_notice import idle_unknown
from monitor.tracking.platforms.process import app_name

log = logging.getLogger(__name__)

SHELL = "org.gnome.Shell"
MUTTER_IDLE = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
               "org.gnome.Mutter.IdleMonitor")

FOCUSED_WINDOW_EXTENSION = "Focused Window D-Bus"
WINDOW_CALLS_EXTENSION = "Window Calls"
FOCUSED_WINDOW_URL = "https://extensions.gnome.org/extension/5592/focused-window-d-bus/"


@dataclass(frozen=True)
class Extension:
    """One way of asking GNOME Shell for the focused window."""

    label: str
    path: str
    interface: str
    method: str


CANDIDATES = (
    Extension(FOCUSED_WINDOW_EXTENSION, "/org/gnome/shell/extensions/FocusedWindow",
              "org.gnome.shell.extensions.FocusedWindow", "Get"),
    Extension(FOCUSED_WINDOW_EXTENSION, "/org/gnome/Shell/Extensions/FocusedWindow",
              "org.gnome.Shell.Extensions.FocusedWindow", "Get"),
    Extension(WINDOW_CALLS_EXTENSION, "/org/gnome/Shell/Extensions/Windows",
              "org.gnome.Shell.Extensions.Windows", "List"),
)


def missing_extension_message() -> str:
    """The paragraph shown when GNOME runs on Wayland without a focused-window extension."""
    return (
        "This is GNOME on Wayland, where GNOME Shell tells other programs which window has "
        "focus only through a Shell extension, and none is enabled. Install the "
        f"\"{FOCUSED_WINDOW_EXTENSION}\" extension ({FOCUSED_WINDOW_URL}; or \"{WINDOW_CALLS_EXTENSION}\"), "
        "turn it on in the Extensions app, log out and back in, then run `unscroll start` "
        "again. Or choose \"GNOME on Xorg\" on the login screen."
    )


def find_extension(bus: SessionBus) -> Extension | None:
    """The first focused-window extension GNOME Shell exports on ``bus``, or None.

    Raises PlatformUnavailable when the bus cannot be reached or GNOME Shell is not on it.
    """
    for candidate in CANDIDATES:
        try:
            interfaces = bus.methods(SHELL, candidate.path)
        except DBusCallFailed as err:
            if err.name.endswith(("ServiceUnknown", "NameHasNoOwner")):
                raise PlatformUnavailable(
                    "GNOME Shell is not on the D-Bus session bus (org.gnome.Shell has no owner)"
                ) from err
            log.debug("introspecting %s failed: %s", candidate.path, err)
            continue
        if candidate.method in interfaces.get(candidate.interface, set()):
            return candidate
    return None


def _pid(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def window_from_focused_window(reply: str) -> ActiveWindow | None:
    """The window in a "Focused Window D-Bus" ``Get()`` reply (``{}``: nothing has focus)."""
    data = json.loads(reply) if reply.strip() else {}
    if not isinstance(data, Mapping) or not data:
        return None
    pid = _pid(data.get("pid"))
    return ActiveWindow(app=app_name(pid, _text(data.get("wm_class")),
                                     _text(data.get("wm_class_instance"))),
                        title=_text(data.get("title")), pid=pid)


def window_from_window_calls(reply: str, get_title: Callable[[int], str | None]) -> ActiveWindow | None:
    """The focused window in a "Window Calls" ``List()`` reply, or None when none has focus."""
    data = json.loads(reply) if reply.strip() else []
    if not isinstance(data, list):
        return None
    focused = next((w for w in data if isinstance(w, Mapping) and w.get("focus") is True), None)
    if focused is None:
        return None
    pid = _pid(focused.get("pid"))
    title = _text(focused.get("title"))
    window_id = focused.get("id")
    if "title" not in focused and isinstance(window_id, int):
        title = get_title(window_id)
    return ActiveWindow(app=app_name(pid, _text(focused.get("wm_class")),
                                     _text(focused.get("wm_class_instance"))),
                        title=title, pid=pid)


class GnomeShellPlatform:
    """The focused window (through an extension) and idle time (Mutter) of a GNOME session."""

    name = "gnome"

    def __init__(self, bus_address: str | None = None, *, timeout: float = 3.0) -> None:
        self._bus = SessionBus(bus_address, timeout=timeout)
        self._extension: Extension | None = None
        self._idle_missing: str | None = None

    def _find(self) -> Extension:
        if self._extension is None:
            extension = find_extension(self._bus)
            if extension is None:
                raise PlatformUnavailable(missing_extension_message())
            self._extension = extension
        return self._extension

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None when nothing has focus."""
        extension = self._find()
        try:
            [reply] = self._bus.call(SHELL, extension.path, extension.interface, extension.method)
            if extension.method == "Get":
                return window_from_focused_window(reply)
            return window_from_window_calls(reply, lambda wid: self._title(extension, wid))
        except DBusCallFailed as err:
            self._extension = None  # turned off or updated: look again next time
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
        return _text(title)

    def idle_seconds(self) -> float:
        """Seconds since the last input, from Mutter's idle monitor."""
        if self._idle_missing is None:
            try:
                [milliseconds] = self._bus.call(*MUTTER_IDLE, "GetIdletime")
                return float(milliseconds) / 1000.0
            except DBusCallFailed as err:
                self._idle_missing = f"org.gnome.Mutter.IdleMonitor does not answer ({err})"
        return idle_unknown(self.name, self._idle_missing)

    def close(self) -> None:
        """Disconnect from the bus; a later call connects again."""
        self._bus.close()
        self._extension = None
        self._idle_missing = None
