"""The X11 backend: the focused window via EWMH and python-xlib, idle time via XScreenSaver.

Reading the focused window:
root ``_NET_ACTIVE_WINDOW`` → title from ``_NET_WM_NAME`` (any property type), else
``WM_NAME`` (COMPOUND_TEXT decoded, see ``x11_text``) → pid from ``_NET_WM_PID``, else the
X-Resource extension (``res_query_client_ids`` with the LocalClientPID mask) → app name
``psutil.Process(pid).name()``, else the ``WM_CLASS`` class name, else ``"unknown"``.

Idle time comes from the MIT-SCREEN-SAVER extension; where the server lacks it, pynput
listeners (started on first use) record the time of the last input.

The display opens on first use, never at import. Every request runs under a deadline:
if the server does not answer within ``timeout`` seconds (stopped, wedged) the socket is
shut down, so a call can never hang for ever. A lost connection raises
``PlatformUnavailable``; the platform then stays unavailable until ``close()`` (after which
the next call connects again), so the daemon can close it and open a new one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import Xlib.display
import Xlib.error
from Xlib import X, Xatom
from Xlib.ext import res as xres

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.process import process_name
from monitor.tracking.platforms.x11_deadline import Deadline
from monitor.tracking.platforms.x11_display import EventsDisplay, open_display
from monitor.tracking.platforms.x11_input_clock import InputClock
from monitor.tracking.platforms.x11_minimise import is_minimised, request_minimise
from monitor.tracking.platforms.x11_text import decode_string, decode_text_property

if TYPE_CHECKING:
    from monitor.tracking.platforms.x11_events import FocusEvents

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0
MINIMISE_DEADLINE = 1.0
"""Seconds a window manager has to minimise a window before we say it would not."""
MINIMISE_POLL = 0.05
"""Seconds an X request (or opening the display) may take before the server counts as gone."""

MAX_PROPERTY_LONGS = 16384
"""Longest text property read, in 32-bit units (64 KiB): longer titles are cut there."""

APP_NAME_CACHE = 256
"""Process names remembered per (window, pid); the cache starts over when it is full."""

PID_REUSED_READS = 30
"""Reads of the same focused window that reuse its pid before it is asked for again.

A window keeps its process, so while the focus stays on one window its pid is not
requested on every sample (one X round trip of the four a sample makes); it is asked
again now and then all the same, in case the server gave a closed window's id to another.
"""

_CONNECTION_ERRORS = (Xlib.error.ConnectionClosedError, Xlib.error.DisplayError, OSError)


def choose_app(process: str | None, wm_class: tuple[str, str] | None) -> str:
    """The app name to record: the process name, else the WM_CLASS class (or instance) name."""
    if process:
        return process
    if wm_class is not None:
        instance, klass = wm_class
        if klass or instance:
            return klass or instance
    return "unknown"


def parse_wm_class(value: bytes) -> tuple[str, str] | None:
    """Split a WM_CLASS value (``instance NUL class NUL``) into (instance, class)."""
    parts = decode_string(value).split("\0")
    if len(parts) < 2:
        return None
    return parts[0], parts[1]


@dataclass(frozen=True)
class _WindowFacts:
    window_id: int
    title: str | None
    pid: int | None


class _Connection:
    """One open display with its interned atoms and the extensions it offers."""

    def __init__(self, display: Any) -> None:
        self.display = display
        self.root = display.screen().root
        display.set_error_handler(self._async_error)
        self._atoms: dict[str, int] = {}
        self._local_pids: dict[tuple[int, int], bool] = {}
        """(window, pid) -> whether the window's client runs on this host (WM_CLIENT_MACHINE)."""
        names = ("_NET_ACTIVE_WINDOW", "_NET_WM_NAME", "_NET_WM_PID", "UTF8_STRING",
                 "COMPOUND_TEXT", "WM_CLIENT_MACHINE")
        for atom_name in names:
            self._atoms[atom_name] = display.intern_atom(atom_name)
        self._type_names = {
            Xatom.STRING: "STRING",
            self._atoms["UTF8_STRING"]: "UTF8_STRING",
            self._atoms["COMPOUND_TEXT"]: "COMPOUND_TEXT",
        }
        self.has_screensaver = bool(display.has_extension("MIT-SCREEN-SAVER"))
        self.has_xres = False
        if display.has_extension("X-Resource"):
            try:
                version = display.res_query_version()
            except Xlib.error.XError as err:
                log.debug("X-Resource version query failed: %s", err)
            else:
                self.has_xres = (version.server_major, version.server_minor) >= (1, 2)
        self.hostname = socket.gethostname()
        self._known_pid: tuple[int, int, int] | None = None
        """The last focused window's id, its pid, and how many more reads may reuse it."""

    @staticmethod
    def _async_error(err: Any, request: Any) -> None:
        log.debug("X error on a request without reply: %s", err)

    @property
    def socket(self) -> socket.socket:
        sock: socket.socket = self.display.display.socket
        return sock

    def atom(self, name: str) -> int:
        return self._atoms[name]

    def text(self, window: Any, atom: int) -> str | None:
        prop = window.get_property(atom, X.AnyPropertyType, 0, MAX_PROPERTY_LONGS)
        if prop is None or prop.format != 8:
            return None
        value = prop.value if isinstance(prop.value, bytes) else bytes(prop.value)
        type_name = self._type_names.get(prop.property_type, "")
        return decode_text_property(type_name, value)

    def cardinal(self, window: Any, atom: int) -> int | None:
        prop = window.get_property(atom, Xatom.CARDINAL, 0, 1)
        if prop is None or prop.format != 32 or len(prop.value) < 1:
            return None
        return int(prop.value[0])

    def xres_pid(self, window_id: int) -> int | None:
        if not self.has_xres:
            return None
        reply = self.display.res_query_client_ids(
            [{"client": window_id, "mask": xres.LocalClientPIDMask}]
        )
        for client_id in reply.ids:
            if client_id.spec.mask & xres.LocalClientPIDMask and len(client_id.value) > 0:
                return int(client_id.value[0])
        return None

    def _pid_is_local(self, window: Any, window_id: int, pid: int) -> bool:
        """Whether ``pid`` is a process of this host, asked once per window and pid."""
        key = (window_id, pid)
        local = self._local_pids.get(key)
        if local is None:
            machine = self.text(window, self.atom("WM_CLIENT_MACHINE"))
            local = not machine or machine == self.hostname
            if len(self._local_pids) >= APP_NAME_CACHE:
                self._local_pids.clear()
            self._local_pids[key] = local
        return local

    def read_active(self) -> _WindowFacts | None:
        window_id = 0
        try:
            prop = self.root.get_property(self.atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 0, 1)
            if prop is None or prop.format != 32 or len(prop.value) < 1 or not prop.value[0]:
                return None  # no EWMH window manager, or nothing has focus
            window_id = int(prop.value[0])
            window = self.display.create_resource_object("window", window_id)
            title = self.text(window, self.atom("_NET_WM_NAME"))
            if not title:
                title = self.text(window, Xatom.WM_NAME)
            pid = self._pid_of(window, window_id)
        except Xlib.error.XError as err:
            # Usually BadWindow: the window closed between reading its id and its properties.
            log.debug("cannot read window 0x%x: %s", window_id, err)
            return None
        return _WindowFacts(window_id, title or None, pid)

    def _pid_of(self, window: Any, window_id: int) -> int | None:
        """The window's local process: reused while it stays focused (``PID_REUSED_READS``)."""
        known = self._known_pid
        if known is not None and known[0] == window_id and known[2] > 0:
            self._known_pid = (window_id, known[1], known[2] - 1)
            return known[1]
        pid = self.cardinal(window, self.atom("_NET_WM_PID"))
        if pid is not None and not self._pid_is_local(window, window_id, pid):
            pid = None  # a client on another host (ssh -X): its pid means nothing here
        if pid is None:
            pid = self.xres_pid(window_id)
        # a window without a pid yet may set one soon: only a pid found is reused
        self._known_pid = None if pid is None else (window_id, pid, PID_REUSED_READS)
        return pid

    def wm_class(self, window_id: int) -> tuple[str, str] | None:
        window = self.display.create_resource_object("window", window_id)
        try:
            prop = window.get_property(Xatom.WM_CLASS, X.AnyPropertyType, 0, 1024)
        except Xlib.error.XError:
            return None  # the window is gone
        if prop is None or prop.format != 8:
            return None
        value = prop.value if isinstance(prop.value, bytes) else bytes(prop.value)
        return parse_wm_class(value)

    def idle_ms(self) -> int:
        return int(self.root.screensaver_query_info().idle)

    def ping(self) -> None:
        self.display.get_input_focus()


class X11Platform:
    """The focused window and idle time of one X display (``None``: ``$DISPLAY``)."""

    name = "x11"

    def __init__(self, display_name: str | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.display_name = display_name
        self.timeout = timeout
        self._label = display_name or os.environ.get("DISPLAY") or "(unset)"
        self._lock = threading.RLock()
        self._conn: _Connection | None = None
        self._lost: str | None = None
        self._clock: InputClock | None = None
        self._app_names: dict[tuple[int, int | None], str] = {}
        self._events: FocusEvents | None = None
        self._last_read: tuple[int, ActiveWindow | None] | None = None
        self._minimised = threading.Event()  # never set: its wait paces the minimise poll

    def __repr__(self) -> str:
        return f"X11Platform({self._label!r})"

    # -- the Platform protocol -------------------------------------------------------------

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None when nothing has focus or it closed while read.

        While the focus events connection has seen no focus or title change since the last
        read, that read's answer is still true and the server is not asked again.
        """
        events = self._events
        mark = None if events is None else events.changes_seen()
        if mark is not None and self._last_read is not None and self._last_read[0] == mark:
            return self._last_read[1]
        window = self._read_active_window()
        self._last_read = None if mark is None else (mark, window)
        return window

    def _read_active_window(self) -> ActiveWindow | None:
        facts = self._call(lambda conn: conn.read_active())
        if facts is None:
            return None
        # a window keeps its process: look its name up once, not on every sample
        key = (facts.window_id, facts.pid)
        app = self._app_names.get(key)
        if app is None:
            app = process_name(facts.pid)
            if app is not None:
                if len(self._app_names) >= APP_NAME_CACHE:
                    self._app_names.clear()
                self._app_names[key] = app
        if app is None:
            app = choose_app(None, self._call(lambda conn: conn.wm_class(facts.window_id)))
        return ActiveWindow(app=app, title=facts.title, pid=facts.pid, handle=f"0x{facts.window_id:x}")

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or mouse input on this display."""
        with self._lock:
            conn = self._connection()
            if conn.has_screensaver:
                return self._call(lambda c: c.idle_ms()) / 1000.0
            self._call(lambda c: c.ping())  # notice a lost server even on the pynput path
            if self._clock is None:
                self._clock = InputClock(self.display_name, self._label, self.timeout)
            return self._clock.idle_seconds()

    def minimise(self, handle: str) -> bool:
        """Ask the window manager to minimise the window; True once it has (within a second)."""
        window_id = int(handle, 16)
        self._call(lambda conn: request_minimise(conn.display, conn.root, window_id))
        deadline = time.monotonic() + MINIMISE_DEADLINE
        while True:
            state = self._call(lambda conn: is_minimised(conn.display, window_id))
            if state is not False or time.monotonic() >= deadline:
                return bool(state)
            self._minimised.wait(MINIMISE_POLL)

    def wait_for_change(self, timeout: float | None) -> float | None:
        """Wait for the focus or its title to change (see ``base.ChangeSource``)."""
        return self._focus_events().wait(timeout)

    def wake_on_input(self, wanted: bool) -> None:
        """Make ``wait_for_change`` also return at the next keyboard or mouse input (or stop)."""
        self._focus_events().wake_on_input(wanted)

    def latest_change(self) -> float | None:
        """When the latest focus or title change happened (see ``base.ChangeSource``)."""
        return None if self._events is None else self._events.latest_change

    def _focus_events(self) -> FocusEvents:
        from monitor.tracking.platforms.x11_events import FocusEvents  # noqa: PLC0415 - XInput on use

        with self._lock:
            if self._events is None:
                self._events = FocusEvents(
                    lambda: open_display(self.display_name, self._label, self.timeout, EventsDisplay),
                    self.timeout)
            return self._events

    def close(self) -> None:
        """Close the display (and any input listeners); a later call connects again."""
        events, self._events = self._events, None
        self._last_read = None
        if events is not None:
            events.close()  # wakes a thread waiting for a change
        with self._lock:
            conn, self._conn = self._conn, None
            clock, self._clock = self._clock, None
            self._lost = None
            self._app_names.clear()
            if clock is not None:
                clock.stop()
            if conn is not None:
                try:
                    with Deadline(conn.socket, self.timeout):
                        conn.display.close()
                except _CONNECTION_ERRORS:
                    pass  # already gone: nothing left to release

    # -- plumbing ---------------------------------------------------------------------------

    def _connection(self) -> _Connection:
        if self._lost is not None:
            raise PlatformUnavailable(self._lost)
        if self._conn is None:
            display = open_display(self.display_name, self._label, self.timeout)
            deadline = Deadline(display.display.socket, self.timeout)
            try:
                with deadline:
                    self._conn = _Connection(display)
            except (*_CONNECTION_ERRORS, Xlib.error.XError) as err:
                display.display.socket.close()
                raise PlatformUnavailable(self._loss_message(err, deadline.fired)) from err
            log.debug("connected to X display %s (screensaver=%s, xres=%s)", self._label,
                      self._conn.has_screensaver, self._conn.has_xres)
        return self._conn

    def _call(self, request: Callable[[_Connection], T]) -> T:
        with self._lock:
            conn = self._connection()
            deadline = Deadline(conn.socket, self.timeout)
            try:
                with deadline:
                    return request(conn)
            except _CONNECTION_ERRORS as err:
                self._lost = self._loss_message(err, deadline.fired)
                self._drop(conn)
                log.warning("%s", self._lost)
                raise PlatformUnavailable(self._lost) from err

    def _loss_message(self, err: BaseException, timed_out: bool) -> str:
        if timed_out:
            return (f"the X server on display {self._label} stopped answering "
                    f"(no reply within {self.timeout:g} s)")
        detail = str(err) or type(err).__name__
        return f"lost the connection to the X server on display {self._label}: {detail}"

    def _drop(self, conn: _Connection) -> None:
        """Forget a dead connection, closing its socket without talking to the server."""
        self._conn = None
        with contextlib.suppress(OSError):
            conn.socket.close()

