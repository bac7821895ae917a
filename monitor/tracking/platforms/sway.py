"""The sway backend: the focused window from sway's IPC tree, idle time from a Wayland idle protocol.

``GET_TREE`` over ``$SWAYSOCK`` returns every output, workspace and window; the node with
``"focused": true`` is the focused one. A native Wayland window names itself with
``app_id``, an XWayland one with ``window_properties.class``; both carry the client's
``pid``, which gives the process name recorded as the app (as on X11). When a container
or workspace holds the focus, the window most recently focused inside it (the first id
of its ``focus`` list, followed down) is the one the user looks at; an empty workspace
has no window.

Idle time comes from ``ext_idle_notifier_v1`` or ``org_kde_kwin_idle`` (see
``wayland_idle``); a compositor that offers neither leaves idle time unknown (0, logged once).
Focus and title changes come as they happen from a subscription (``sway_events``), and
the input that ends an absence from the idle protocol's "resumed" event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.changes import ChangeHub
from monitor.tracking.platforms.process import app_name
from monitor.tracking.platforms.sway_events import SwayEvents
from monitor.tracking.platforms.sway_ipc import GET_TREE, RUN_COMMAND, IpcConnection
from monitor.tracking.platforms.wayland_idle import CompositorIdle

log = logging.getLogger(__name__)

WINDOW_TYPES = ("con", "floating_con")


def _children(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for key in ("nodes", "floating_nodes"):
        for child in node.get(key) or ():
            if isinstance(child, Mapping):
                yield child


def find_focused(tree: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The node marked ``focused``, searching the whole tree."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.get("focused") is True:
            return node
        stack.extend(_children(node))
    return None


def is_window(node: Mapping[str, Any]) -> bool:
    """True for a node that is a client window (not a split container, workspace or output)."""
    return node.get("type") in WINDOW_TYPES and (
        node.get("app_id") is not None or node.get("window_properties") is not None
        or node.get("pid") is not None)


def focused_leaf(node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The window the focus stack leads to from ``node`` (itself when it is a window)."""
    seen: set[int] = set()
    current: Mapping[str, Any] | None = node
    while current is not None and not is_window(current):
        focus = current.get("focus") or []
        if not focus or id(current) in seen:
            return None
        seen.add(id(current))
        wanted = focus[0]
        current = next((child for child in _children(current) if child.get("id") == wanted), None)
    return current


def window_facts(node: Mapping[str, Any]) -> tuple[str | None, str | None, int | None]:
    """(app id or X11 class, title, pid) of a window node."""
    properties = node.get("window_properties")
    klass = properties.get("class") if isinstance(properties, Mapping) else None
    app_id = node.get("app_id") or klass or None
    title = node.get("name")
    pid = node.get("pid")
    return (str(app_id) if app_id else None,
            str(title) if title else None,
            int(pid) if isinstance(pid, int) and pid > 0 else None)


def active_window_from_tree(tree: Mapping[str, Any]) -> ActiveWindow | None:
    """The focused window described by a GET_TREE reply, or None (an empty workspace)."""
    focused = find_focused(tree)
    if focused is None:
        return None
    leaf = focused_leaf(focused)
    if leaf is None:
        return None
    app_id, title, pid = window_facts(leaf)
    container = leaf.get("id")
    return ActiveWindow(app=app_name(pid, app_id), title=title, pid=pid,
                        handle=str(container) if isinstance(container, int) else None)


class SwayPlatform:
    """The focused window and idle time of one sway session."""

    name = "sway"

    def __init__(self, ipc_path: str, wayland_path: str | None, *, timeout: float = 5.0) -> None:
        self.ipc_path = ipc_path
        self.wayland_path = wayland_path
        self._ipc = IpcConnection(ipc_path, timeout=timeout)
        self._idle = CompositorIdle(self.name, wayland_path)
        self._changes = ChangeHub()
        self._events = SwayEvents(ipc_path, self._changes, timeout=timeout)

    def __repr__(self) -> str:
        return f"SwayPlatform({self.ipc_path!r})"

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None on an empty workspace."""
        tree = self._ipc.request_json(GET_TREE)
        if not isinstance(tree, Mapping):
            raise PlatformUnavailable(f"sway at {self.ipc_path} sent a tree that is not an object")
        return active_window_from_tree(tree)

    def minimise(self, handle: str) -> bool:
        """Move the window to the scratchpad, sway's minimise (``scratchpad show`` brings it back)."""
        if not handle.isdigit():
            return False
        replies = self._ipc.request_json(RUN_COMMAND, f"[con_id={handle}] move scratchpad".encode())
        done = isinstance(replies, list) and all(isinstance(r, Mapping) and r.get("success") for r in replies)
        if not done:
            log.info("sway would not move window %s to the scratchpad: %s", handle, replies)
        return done

    def idle_seconds(self) -> float:
        """Seconds since the last input on the seat, or 0 when sway offers no idle protocol."""
        return self._idle.idle_seconds()

    def wait_for_change(self, timeout: float | None) -> float | None:
        """Wait for sway to report a focus or title change (see ``base.ChangeSource``)."""
        try:
            self._events.start()
        except (OSError, ValueError) as err:
            raise PlatformUnavailable(f"cannot subscribe to sway's events at {self.ipc_path}: {err}") from err
        return self._changes.wait(timeout)

    def latest_change(self) -> float | None:
        """When the latest reported change happened (see ``base.ChangeSource``)."""
        return self._changes.latest

    def wake_on_input(self, wanted: bool) -> None:
        """While away, report the input that ends it (the idle protocol's "resumed")."""
        self._idle.when_resumed(self._changes.post if wanted else None)

    def close(self) -> None:
        """Close the IPC and Wayland connections; a later call connects again."""
        self._changes.interrupt()  # wakes a thread waiting for a change
        self._events.close()
        self._ipc.close()
        self._idle.close()
