"""unscroll's own GNOME Shell extension, as the daemon meets it on the session bus.

The extension (``gnome_extension/``: ``legacy/`` for GNOME 43–44, ``modules/`` for 45 and
later; ``unscroll gnome install`` puts the right one in place) runs inside GNOME Shell and
exports, on the Shell's own connection (bus name ``org.gnome.Shell``), the object
``/org/unscroll/GnomeShell`` with the interface ``org.unscroll.GnomeShell1``:

- ``GetFocused() → s``: the focused window as JSON: ``id`` (Mutter's window id, a string),
  ``title``, ``wm_class`` (on Wayland the app id), ``wm_class_instance``,
  ``sandboxed_app_id`` (Flatpak, Snap), ``gtk_app_id``, ``app`` (the ``.desktop`` id GNOME
  matched, or empty) and ``pid``; ``{}`` when nothing has focus;
- the signal ``FocusChanged(s)``, the same JSON, at every change of focus and every change
  of the focused window's title (the Shell pushes it: nothing polls);
- ``Minimise(s id) → b``: minimise that window; false when it is gone or cannot be minimised;
- the property ``Version`` (``u``), the extension's version.

``ShellSignals`` listens for ``FocusChanged`` and for GNOME Shell leaving or joining the bus,
and wakes the daemon through a ``ChangeHub``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.changes import ChangeHub
from monitor.tracking.platforms.dbus_sync import SessionBus
from monitor.tracking.platforms.process import app_name

if TYPE_CHECKING:
    from dbus_fast import Message

log = logging.getLogger(__name__)

SHELL = "org.gnome.Shell"
UUID = "unscroll@unscroll.github.io"
OBJECT_PATH = "/org/unscroll/GnomeShell"
INTERFACE = "org.unscroll.GnomeShell1"
VERSION = 1
"""The version of the extension shipped with this unscroll (``version`` in its metadata.json)."""
FOCUS_SIGNAL = "FocusChanged"
LEFT_BUS = "GNOME Shell left the D-Bus session bus (it restarted or crashed)"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def window_from_extension(reply: str) -> ActiveWindow | None:
    """The window in a ``GetFocused`` reply or ``FocusChanged`` signal; None for ``{}``.

    Raises ValueError when the reply is not a JSON object.
    """
    data = json.loads(reply) if reply.strip() else {}
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    if not data:
        return None
    pid = data.get("pid")
    known_pid = pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None
    app = app_name(known_pid, _text(data.get("sandboxed_app_id")), _text(data.get("wm_class")),
                   _text(data.get("gtk_app_id")), _text(data.get("wm_class_instance")))
    return ActiveWindow(app=app, title=_text(data.get("title")), pid=known_pid,
                        handle=_text(data.get("id")))


def _name_owner_rule(name: str) -> str:
    return ("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
            f"member='NameOwnerChanged',arg0='{name}'")


class ShellSignals:
    """FocusChanged signals and GNOME Shell's comings and goings, posted to a ChangeHub.

    ``on_shell_change`` is called (on the bus's thread) when GNOME Shell leaves the bus or
    a new one takes its name: whatever the old Shell held for this connection is gone.
    """

    def __init__(self, bus: SessionBus, changes: ChangeHub,
                 on_shell_change: Callable[[], None] | None = None) -> None:
        self._bus = bus
        self._changes = changes
        self._on_shell_change = on_shell_change
        self._lock = threading.Lock()
        self._subscribed = False
        self._gone: str | None = None

    def subscribe(self) -> None:
        """Start listening on the bus (again, after ``reset``); the bus connects if needed."""
        if self._subscribed:
            return
        self._bus.add_handler(self._on_message)
        self._bus.add_match(f"type='signal',sender='{SHELL}',path='{OBJECT_PATH}',"
                            f"interface='{INTERFACE}',member='{FOCUS_SIGNAL}'")
        self._bus.add_match(_name_owner_rule(SHELL))
        self._subscribed = True

    @property
    def gone(self) -> str | None:
        """Why GNOME Shell is not on the bus now (it left and has not come back), else None."""
        with self._lock:
            return self._gone

    def reset(self) -> None:
        """Forget the subscription (the bus connection is being closed)."""
        self._subscribed = False
        with self._lock:
            self._gone = None

    def _on_message(self, message: Message) -> bool | None:
        """Runs on the bus's loop thread; never answers (other handlers see every signal too)."""
        from dbus_fast import MessageType  # noqa: PLC0415 - Linux only, loaded on use

        if message.message_type != MessageType.SIGNAL:
            return None
        if message.path == OBJECT_PATH and message.interface == INTERFACE and message.member == FOCUS_SIGNAL:
            self._changes.post(time.time())
        elif message.member == "NameOwnerChanged" and message.body[:1] == [SHELL]:
            joined = bool(message.body[2])
            with self._lock:
                self._gone = None if joined else LEFT_BUS
            log.info("GNOME Shell %s the session bus", "joined" if joined else "left")
            if self._on_shell_change is not None:
                self._on_shell_change()
            self._changes.post(time.time())  # sample at once: the focus is someone else's now
        return None
