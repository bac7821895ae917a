"""The third-party GNOME Shell extensions unscroll falls back on when its own is not there.

- "Focused Window D-Bus" (extensions.gnome.org/extension/5592): ``org.gnome.Shell``
  ``/org/gnome/shell/extensions/FocusedWindow`` ``Get()`` → JSON with ``title``,
  ``wm_class``, ``pid`` (``{}`` when nothing has focus). Its early versions used the
  capitalised path and interface (``/org/gnome/Shell/Extensions/FocusedWindow``); both work.
- "Window Calls": ``/org/gnome/Shell/Extensions/Windows`` ``List()`` → JSON list of
  windows with ``focus``, ``pid``, ``wm_class``, ``title`` and ``id`` (versions without
  ``title`` in the list answer ``GetTitle(id)``).

Neither signals a change nor minimises a window: with them the daemon samples on its timer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.process import app_name

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


THIRD_PARTY = (
    Extension(FOCUSED_WINDOW_EXTENSION, "/org/gnome/shell/extensions/FocusedWindow",
              "org.gnome.shell.extensions.FocusedWindow", "Get"),
    Extension(FOCUSED_WINDOW_EXTENSION, "/org/gnome/Shell/Extensions/FocusedWindow",
              "org.gnome.Shell.Extensions.FocusedWindow", "Get"),
    Extension(WINDOW_CALLS_EXTENSION, "/org/gnome/Shell/Extensions/Windows",
              "org.gnome.Shell.Extensions.Windows", "List"),
)


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
