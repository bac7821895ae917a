"""Focus and title changes on X11 as they happen: PropertyNotify, on a connection of its own.

The root window's ``_NET_ACTIVE_WINDOW`` changes when the focus moves; the focused
window's ``_NET_WM_NAME`` / ``WM_NAME`` when its title does. A thread of the daemon waits
here (``wait``) and samples at once when one changes, so a switch is timed to the event
rather than to the next sample. While the person is away, XInput 2 raw events also wake
it at the first input (``wake_on_input``), so coming back is timed to the event too; they
are not selected otherwise (every pointer move would be one). The connection is separate
from the one that reads the window, so neither waits for the other; ``close`` and
``wake_on_input`` reach a waiting thread through a pipe.

A change is timed by the server's own stamp on its event where the server keeps time by
this machine's monotonic clock (a local Xorg, Xvfb or Xwayland does), so a daemon that gets
the CPU late (a busy machine) still credits the switch to the instant it happened.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

import Xlib.error
from Xlib import X, Xatom
from Xlib.ext import ge, xinput

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.x11_deadline import Deadline

log = logging.getLogger(__name__)

_LOST = (Xlib.error.ConnectionClosedError, Xlib.error.DisplayError, OSError)
SETTLE_SECONDS = 0.03
"""A change is read once the desktop has been quiet this long after it (a focus move is two events)."""
SETTLE_LIMIT_SECONDS = 0.15
MAX_EVENT_LAG_SECONDS = 5.0
"""An event stamped longer ago than this is from a server with a clock of its own (a remote display)."""
_RAW_INPUT = xinput.RawKeyPressMask | xinput.RawButtonPressMask | xinput.RawMotionMask


class FocusEvents:
    """Waits for the focus or the focused window's title to change on one X display."""

    def __init__(self, open_display: Callable[[], Any], timeout: float) -> None:
        """Connect with ``open_display()`` on first use; X requests may take ``timeout`` s."""
        self._open_display = open_display
        self._timeout = timeout
        self._display: Any = None
        self._watched: Any = None
        self._atoms: dict[str, int] = {}
        self._wake_read, self._wake_write = os.pipe()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._input_wanted = False
        self._input_selected = False
        self._has_xinput = False
        self._changes = 0
        self.latest_change: float | None = None
        """When the latest focus or title change happened; set before ``changes_seen`` moves."""

    def changes_seen(self) -> int | None:
        """A count of the focus and title changes read so far; None while not watching.

        While it stays the same the focused window and its title have not changed, so a
        sample can reuse what it read last time instead of asking the server again.
        """
        return None if self._display is None else self._changes
    def wait(self, timeout: float | None) -> float | None:
        """Block until a change (return its time, UTC seconds) or ``timeout`` (return None).

        Raises PlatformUnavailable when the display is gone; after ``close`` returns None.
        """
        if self._closed.is_set():
            return None
        display = self._connect()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._closed.is_set():
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([display.fileno(), self._wake_read], [], [], left)
            if self._closed.is_set():
                return None
            if self._wake_read in readable:
                os.read(self._wake_read, 64)
                self._select_input(display)
                continue
            if not readable:
                return None  # the timeout passed with no change
            changed_at = self._drain(display, received_at=time.time())
            if changed_at is not None:
                self._settle(display)
                return changed_at
        return None

    def _settle(self, display: Any) -> None:
        """Let a focus change finish: window managers clear the active window, then set it."""
        quiet_until = time.monotonic() + SETTLE_SECONDS
        latest = time.monotonic() + SETTLE_LIMIT_SECONDS
        while (now := time.monotonic()) < min(quiet_until, latest):
            readable, _, _ = select.select([display.fileno()], [], [], min(quiet_until, latest) - now)
            if not readable:
                return
            if self._drain(display, received_at=time.time()) is not None:
                quiet_until = time.monotonic() + SETTLE_SECONDS

    def wake_on_input(self, wanted: bool) -> None:
        """Return from ``wait`` at the next keyboard or mouse input too (``wanted``), or no longer."""
        if wanted != self._input_wanted:
            self._input_wanted = wanted
            with contextlib.suppress(OSError):
                os.write(self._wake_write, b"i")  # the waiting thread selects the events itself

    def close(self) -> None:
        """Stop waiting (wakes a thread in ``wait``) and release the connection."""
        self._closed.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"x")
        with self._lock:
            display, self._display = self._display, None
        if display is not None:
            with contextlib.suppress(*_LOST):
                display.close()

    def _connect(self) -> Any:
        with self._lock:
            if self._display is None:
                display = self._open_display()
                try:
                    with Deadline(display.display.socket, self._timeout):
                        self._atoms = {name: display.intern_atom(name)
                                       for name in ("_NET_ACTIVE_WINDOW", "_NET_WM_NAME")}
                        display.screen().root.change_attributes(event_mask=X.PropertyChangeMask)
                        self._has_xinput = _xinput_2(display)
                        self._changes += 1  # what was read before this connection may be stale
                        self._display = display
                        self._follow_active(display)
                        self._input_selected = False
                        self._select_input(display)
                except (*_LOST, Xlib.error.XError) as err:
                    with contextlib.suppress(OSError):
                        display.display.socket.close()
                    self._display = None
                    raise PlatformUnavailable(f"cannot watch the X display for focus changes: {err}") from err
            return self._display

    def _drain(self, display: Any, received_at: float) -> float | None:
        """Read every queued event; the instant of the first change that matters, if any.

        A change is timed by its server stamp where that tells (``instant_of_stamp``), else
        to ``received_at``, when its events were seen.
        """
        changed: float | None = None
        try:
            with Deadline(display.display.socket, self._timeout):
                # a reply read meanwhile (the active window's id) can queue more events:
                # empty the queue, or select() would sleep on events already read
                while display.pending_events():
                    event = display.next_event()
                    if event.type == ge.GenericEventCode:
                        if changed is None and self._input_selected:  # input while away: they are back
                            changed = received_at
                        continue
                    if event.type != X.PropertyNotify:
                        continue
                    focus = event.atom == self._atoms["_NET_ACTIVE_WINDOW"]
                    if focus or (self._watched is not None and event.window.id == self._watched.id
                                 and event.atom in (self._atoms["_NET_WM_NAME"], Xatom.WM_NAME)):
                        instant = self._note_change(event.time, received_at)
                        changed = instant if changed is None else changed  # the first one is the switch
                    if focus:
                        self._follow_active(display)
        except _LOST as err:
            self._drop()
            raise PlatformUnavailable(f"lost the X display while watching focus changes: {err}") from err
        return changed

    def _note_change(self, server_ms: int, received_at: float) -> float:
        """Count a change and note when it happened (before the count moves: see ``latest_change``)."""
        self.latest_change = _stamped(server_ms, received_at)
        self._changes += 1
        return self.latest_change

    def _follow_active(self, display: Any) -> None:
        """Listen to the title of the window that has the focus now (and no longer to the last)."""
        root = display.screen().root
        prop = root.get_property(self._atoms["_NET_ACTIVE_WINDOW"], Xatom.WINDOW, 0, 1)
        window_id = int(prop.value[0]) if prop is not None and len(prop.value) else 0
        if self._watched is not None and self._watched.id == window_id:
            return
        if self._watched is not None:  # it may have closed: an error about it is of no interest
            self._watched.change_attributes(event_mask=X.NoEventMask, onerror=_ignore)
        self._watched = None
        if window_id:
            self._watched = display.create_resource_object("window", window_id)
            self._watched.change_attributes(event_mask=X.PropertyChangeMask, onerror=_ignore)
        display.flush()  # a request without a reply waits in the buffer otherwise

    def _select_input(self, display: Any) -> None:
        """Select XInput 2 raw input events on the root while wanted, and only then."""
        wanted = self._input_wanted and self._has_xinput
        if wanted == self._input_selected:
            return
        try:
            with Deadline(display.display.socket, self._timeout):
                display.screen().root.xinput_select_events(
                    [(xinput.AllMasterDevices, _RAW_INPUT if wanted else 0)])
                display.flush()
        except _LOST as err:
            self._drop()
            raise PlatformUnavailable(f"lost the X display while watching for input: {err}") from err
        self._input_selected = wanted
        log.debug("%s raw input events", "selected" if wanted else "deselected")

    def _drop(self) -> None:
        with self._lock:
            display, self._display = self._display, None
        self._watched = None
        if display is not None:
            with contextlib.suppress(OSError):
                display.display.socket.close()


def _stamped(server_ms: int, received_at: float) -> float:
    """When an event happened: by its server stamp where that tells, else ``received_at``."""
    instant = instant_of_stamp(server_ms, time.monotonic(), time.time())
    return received_at if instant is None else min(instant, received_at)


def instant_of_stamp(server_ms: int, monotonic_now: float, wall_now: float) -> float | None:
    """The wall-clock instant (UTC seconds) of an X server stamp, or None if it cannot tell.

    A local server stamps events with this machine's monotonic clock in milliseconds, cut
    to 32 bits (it wraps every 49.7 days). A stamp from the last ``MAX_EVENT_LAG_SECONDS``
    by that clock is that long before ``wall_now``; any other is from a clock of its own.
    """
    lag_ms = (int(monotonic_now * 1000) - server_ms) % (1 << 32)
    if lag_ms > MAX_EVENT_LAG_SECONDS * 1000:
        return None
    return wall_now - lag_ms / 1000.0


def _ignore(*_error: object) -> None:
    """An X error about a window that closed meanwhile: nothing to do."""


def _xinput_2(display: Any) -> bool:
    """Announce XInput 2 to the server (it sends raw events only then); False without it."""
    if not display.has_extension("XInputExtension"):
        log.info("the X server has no XInput extension: coming back is timed to the next sample")
        return False
    try:
        reply = display.xinput_query_version()  # announces 2.0
    except Xlib.error.XError as err:
        log.info("XInput 2 unavailable (%s): coming back is timed to the next sample", err)
        return False
    return bool(reply.major_version >= 2)
