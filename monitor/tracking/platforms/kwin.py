"""The KDE Plasma (Wayland) backend: a small KWin script tells unscroll which window is active.

KWin tells other programs which window is active only through its scripting API. When
it opens, this backend listens on its own session-bus connection for one method,
``org.unscroll.KWinFocus.Report(caption, resource class, resource name, pid)``; writes
a KWin script that calls it with ``callDBus`` whenever the active window or its caption
changes; and loads and starts that script through ``org.kde.kwin.Scripting``. From then
on KWin pushes every change, and a sample reads the last report without any D-Bus
traffic; each report also wakes the daemon to sample at once (``wait_for_change``).
The script speaks both Plasma 5 (``clientActivated``, ``activeClient``) and Plasma 6
(``windowActivated``, ``activeWindow``). Closing unloads it.

When KWin goes away (a crash, a restart) its bus name loses its owner and the script
with it: the next sample raises PlatformUnavailable, and the sampler opens the backend
again once KWin is back, which loads the script again.

Idle time comes from the compositor's idle protocol (``ext_idle_notifier_v1``, or
``org_kde_kwin_idle``), as on sway.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.changes import ChangeHub
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus
from monitor.tracking.platforms.kwin_minimise import ANSWER_TIMEOUT, MINIMISED_METHOD, minimise_script
from monitor.tracking.platforms.process import app_name
from monitor.tracking.platforms.wayland_idle import CompositorIdle

if TYPE_CHECKING:
    from dbus_fast import Message

log = logging.getLogger(__name__)

KWIN = "org.kde.KWin"
SCRIPTING = ("/Scripting", "org.kde.kwin.Scripting")
REPORT_PATH = "/org/unscroll/KWinFocus"
REPORT_INTERFACE = "org.unscroll.KWinFocus"
REPORT_METHOD = "Report"
FIRST_REPORT_TIMEOUT = 5.0
"""Seconds to wait, on opening, for the script's first report of the active window."""

_SCRIPT = """\
// unscroll: report the active window and its caption changes to unscroll over D-Bus.
var target = %(target)s;
function active() {
    return workspace.activeWindow !== undefined ? workspace.activeWindow : workspace.activeClient;
}
function report(win) {
    if (!win) {
        callDBus(target, %(path)s, %(interface)s, %(method)s, "", "", "", 0, "");
        return;
    }
    callDBus(target, %(path)s, %(interface)s, %(method)s, String(win.caption || ""),
             String(win.resourceClass || ""), String(win.resourceName || ""), win.pid || 0,
             String(win.internalId || ""));
}
var watched = null;
function captionChanged() { report(active()); }
function follow(win) {
    if (watched) {
        try { watched.captionChanged.disconnect(captionChanged); } catch (e) {}
    }
    watched = win;
    if (win) { win.captionChanged.connect(captionChanged); }
    report(win);
}
if (workspace.windowActivated) {
    workspace.windowActivated.connect(follow);
} else {
    workspace.clientActivated.connect(follow);
}
follow(active());
"""


def script_source(target: str) -> str:
    """The KWin script that reports to the bus name ``target`` (this connection's unique name)."""
    return _SCRIPT % {"target": json.dumps(target), "path": json.dumps(REPORT_PATH),
                      "interface": json.dumps(REPORT_INTERFACE), "method": json.dumps(REPORT_METHOD)}


def window_from_report(caption: str, resource_class: str, resource_name: str,
                       pid: int, handle: str = "") -> ActiveWindow | None:
    """The window a report describes; None for the report that nothing is active."""
    if not (caption or resource_class or resource_name) and pid <= 0:
        return None
    known_pid = pid if pid > 0 else None
    return ActiveWindow(app=app_name(known_pid, resource_class or None, resource_name or None),
                        title=caption or None, pid=known_pid, handle=handle or None)


def missing_kwin_message(reason: str) -> str:
    """The paragraph shown when this is Plasma on Wayland but KWin cannot be asked."""
    return (
        f"This is KDE Plasma on Wayland, but unscroll cannot reach KWin: {reason}. unscroll "
        "asks KWin for the active window through a small KWin script it loads over the "
        "D-Bus session bus, so it must run inside your Plasma session, where "
        "DBUS_SESSION_BUS_ADDRESS is set (autostart does that). Or choose \"Plasma (X11)\" "
        "on the login screen."
    )


def probe_kwin(bus: SessionBus) -> None:
    """Raise PlatformUnavailable unless KWin's scripting interface answers on ``bus``."""
    try:
        interfaces = bus.methods(KWIN, SCRIPTING[0])
    except DBusCallFailed as err:
        if err.name.endswith(("ServiceUnknown", "NameHasNoOwner")):
            raise PlatformUnavailable(missing_kwin_message(
                "KWin is not on the D-Bus session bus (org.kde.KWin has no owner)")) from err
        raise PlatformUnavailable(missing_kwin_message(f"KWin's scripting does not answer ({err})")) from err
    except PlatformUnavailable as err:  # no session bus, or it does not answer
        raise PlatformUnavailable(missing_kwin_message(str(err))) from err
    if "loadScript" not in interfaces.get(SCRIPTING[1], set()):
        raise PlatformUnavailable(missing_kwin_message(
            "KWin offers no org.kde.kwin.Scripting.loadScript (is its scripting turned off?)"))


def _script_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) if runtime and Path(runtime).is_dir() else Path(tempfile.gettempdir())


class KWinPlatform:
    """The active window (pushed by a KWin script) and idle time of a Plasma Wayland session."""

    name = "kwin"

    def __init__(self, bus_address: str | None = None, wayland_socket: str | None = None, *,
                 timeout: float = 3.0) -> None:
        self._bus = SessionBus(bus_address, timeout=timeout)
        self._idle = CompositorIdle(self.name, wayland_socket)
        self._lock = threading.Lock()
        self._reported = threading.Event()
        self._window: ActiveWindow | None = None
        self._lost: str | None = None
        self._plugin: str | None = None
        self._script: Path | None = None
        self._changes = ChangeHub()
        self._minimise_answers: dict[str, bool] = {}
        self._minimise_answered = threading.Event()

    # --- what KWin sends ---------------------------------------------------------------
    def _on_message(self, message: Message) -> Message | bool | None:
        """Take the script's reports and KWin's disappearance; runs on the bus's loop thread."""
        from dbus_fast import Message as DBusMessage  # noqa: PLC0415 - Linux only, loaded on use
        from dbus_fast import MessageType  # noqa: PLC0415

        if (message.message_type == MessageType.METHOD_CALL and message.path == REPORT_PATH
                and message.interface == REPORT_INTERFACE and message.member == REPORT_METHOD):
            try:
                caption, resource_class, resource_name, pid, *handle = message.body
                window = window_from_report(str(caption), str(resource_class), str(resource_name),
                                            int(pid), str(handle[0]) if handle else "")
            except (TypeError, ValueError) as err:
                log.debug("ignoring a malformed report from the KWin script: %s", err)
                return DBusMessage.new_error(message, "org.unscroll.Error.InvalidArgs", str(err))
            with self._lock:
                self._window = window
            self._reported.set()
            self._changes.post(time.time())
            return DBusMessage.new_method_return(message)
        if (message.message_type == MessageType.METHOD_CALL and message.path == REPORT_PATH
                and message.interface == REPORT_INTERFACE and message.member == MINIMISED_METHOD):
            self._minimise_answers[str(message.body[0])] = bool(message.body[1])
            self._minimise_answered.set()
            return DBusMessage.new_method_return(message)
        if (message.message_type == MessageType.SIGNAL and message.member == "NameOwnerChanged"
                and message.body[:1] == [KWIN] and not message.body[2]):
            with self._lock:
                self._lost = "KWin left the D-Bus session bus (it crashed or is restarting)"
            return True
        return None

    # --- opening -----------------------------------------------------------------------
    def _ensure_script(self) -> None:
        if self._plugin is not None:
            return
        # KWin's scripting was probed by the factory that opened this backend; if KWin has
        # gone since, the calls below fail and say so
        self._bus.add_handler(self._on_message)
        self._bus.add_match(f"type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                            f"member='NameOwnerChanged',arg0='{KWIN}'")
        plugin = f"unscroll-{os.getpid()}"
        script = self._write_script(script_source(self._bus.unique_name()))
        try:
            [loaded] = self._bus.call(KWIN, *SCRIPTING, "isScriptLoaded", "s", [plugin])
            if loaded:  # left behind by an earlier connection of this process
                self._bus.call(KWIN, *SCRIPTING, "unloadScript", "s", [plugin])
            [number] = self._bus.call(KWIN, *SCRIPTING, "loadScript", "ss", [str(script), plugin])
            if int(number) < 0:
                raise PlatformUnavailable(missing_kwin_message(f"KWin refused to load {script}"))
            self._bus.call(KWIN, *SCRIPTING, "start")
        except DBusCallFailed as err:
            script.unlink(missing_ok=True)
            reason = f"loading the KWin script failed ({err})"
            raise PlatformUnavailable(missing_kwin_message(reason)) from err
        except PlatformUnavailable:
            script.unlink(missing_ok=True)
            raise
        self._plugin, self._script = plugin, script
        if not self._reported.wait(FIRST_REPORT_TIMEOUT):
            raise PlatformUnavailable(missing_kwin_message(
                f"KWin loaded the script but it did not report within {FIRST_REPORT_TIMEOUT:g} s"))
        script.unlink(missing_ok=True)  # KWin has read it: nothing to leave behind
        log.debug("KWin script %s reporting to %s", plugin, REPORT_PATH)

    @staticmethod
    def _write_script(source: str) -> Path:
        handle, name = tempfile.mkstemp(prefix="unscroll-kwin-", suffix=".js", dir=_script_dir())
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(source)
        # code and a bus name only, nothing private: readable, in case KWin runs as another user
        path = Path(name)
        path.chmod(0o644)
        return path

    # --- the Platform interface ----------------------------------------------------------
    def active_window(self) -> ActiveWindow | None:
        """The active window as KWin last reported it, or None when nothing is active."""
        self._ensure_script()
        if not self._bus.connected:
            raise PlatformUnavailable("lost the D-Bus session bus: KWin's reports cannot arrive")
        with self._lock:
            if self._lost is not None:
                raise PlatformUnavailable(self._lost)
            return self._window

    def minimise(self, handle: str) -> bool:
        """Minimise the window ``handle`` (its KWin internalId) with a one-shot script."""
        self._ensure_script()
        plugin = f"unscroll-minimise-{os.getpid()}"
        script = self._write_script(minimise_script(self._bus.unique_name(), REPORT_PATH,
                                                    REPORT_INTERFACE, handle))
        self._minimise_answers.pop(handle, None)
        self._minimise_answered.clear()
        try:
            self._bus.call(KWIN, *SCRIPTING, "loadScript", "ss", [str(script), plugin])
            self._bus.call(KWIN, *SCRIPTING, "start")
            deadline = time.monotonic() + ANSWER_TIMEOUT
            while handle not in self._minimise_answers and time.monotonic() < deadline:
                self._minimise_answered.wait(max(0.0, deadline - time.monotonic()))
                self._minimise_answered.clear()
        except DBusCallFailed as err:
            log.info("KWin would not run the minimise script: %s", err)
        finally:
            with contextlib.suppress(DBusCallFailed, PlatformUnavailable):
                self._bus.call(KWIN, *SCRIPTING, "unloadScript", "s", [plugin])
            script.unlink(missing_ok=True)
        return self._minimise_answers.pop(handle, False)

    def idle_seconds(self) -> float:
        """Seconds since the last input, from KWin's idle protocol."""
        return self._idle.idle_seconds()

    def wait_for_change(self, timeout: float | None) -> float | None:
        """Wait for the script's next report (see ``base.ChangeSource``)."""
        return self._changes.wait(timeout)

    def latest_change(self) -> float | None:
        """When the latest reported change happened (see ``base.ChangeSource``)."""
        return self._changes.latest

    def wake_on_input(self, wanted: bool) -> None:
        """While away, report the input that ends it (the idle protocol's "resumed")."""
        self._idle.when_resumed(self._changes.post if wanted else None)

    def close(self) -> None:
        """Unload the script and disconnect; a later call loads it again."""
        self._changes.interrupt()  # wakes a thread waiting for a change
        plugin, self._plugin = self._plugin, None
        script, self._script = self._script, None
        if plugin is not None and self._lost is None:
            with contextlib.suppress(DBusCallFailed, PlatformUnavailable):
                self._bus.call(KWIN, *SCRIPTING, "unloadScript", "s", [plugin])
        if script is not None:
            script.unlink(missing_ok=True)
        self._bus.close()
        self._idle.close()
        with self._lock:
            self._window, self._lost = None, None
        self._reported.clear()
