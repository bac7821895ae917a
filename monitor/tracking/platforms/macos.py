"""The macOS backend: the frontmost app, its focused window's title (Accessibility), idle via Quartz.

Every call into PyObjC lives in ``PyObjCCalls`` (the boundary); ``MacOSPlatform`` holds
the policy and is tested against a fake of that boundary.

Which app is in front: NSWorkspace's ``frontmostApplication`` is refreshed only when the
main thread's run loop turns, which never happens in the daemon (its main thread waits
for signals, samples run on a worker thread), so it would keep naming the app that was
in front at start-up. Instead each sample asks the window server afresh:

- with Accessibility access, the system-wide focused application (``AXUIElementCreateSystemWide``,
  ``kAXFocusedApplicationAttribute``), and its focused window's ``kAXTitleAttribute``;
- without it, the owner of the frontmost normal window (``CGWindowListCopyWindowInfo``,
  on-screen windows front to back, the first at layer 0). Titles then stay unknown, and
  the log says once how to grant access.

The app is recorded by its process name (``psutil``), else by its localized name. Idle:
``CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateHIDSystemState,
kCGAnyInputEventType)``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.process import process_name

log = logging.getLogger(__name__)

PYOBJC_PACKAGES = ("pyobjc-framework-Cocoa", "pyobjc-framework-Quartz",
                   "pyobjc-framework-ApplicationServices")

ACCESSIBILITY_HELP = (
    "unscroll sees which app is in front but not its window titles: macOS shows titles "
    "only to programs with Accessibility access. To grant it, open System Settings → "
    "Privacy & Security → Accessibility, click +, add the program that runs unscroll (your "
    "terminal app, or the Python interpreter {python}), switch it on, then restart unscroll "
    "(`unscroll stop`, `unscroll start`)."
)

K_CG_ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF
"""kCGAnyInputEventType: ~0 as a 32-bit CGEventType."""


class MacCalls(Protocol):
    """The narrow boundary to the macOS APIs."""

    def accessibility_trusted(self) -> bool:
        """AXIsProcessTrusted(): whether this process may read other apps' windows."""
        ...

    def focused_app_pid(self) -> int | None:
        """The pid of the system-wide focused application (Accessibility; trusted only)."""
        ...

    def front_window_owner(self) -> tuple[int, str | None] | None:
        """(pid, owner name) of the frontmost on-screen normal window, from the window server."""
        ...

    def focused_window_title(self, pid: int) -> str | None:
        """The title of app ``pid``'s focused window (Accessibility; trusted only)."""
        ...

    def localized_name(self, pid: int) -> str | None:
        """The app's name as the Dock shows it (NSRunningApplication)."""
        ...

    def hide_app(self, pid: int) -> bool:
        """Hide the app ``pid`` (NSRunningApplication.hide): whether macOS accepted it."""
        ...

    def seconds_since_input(self) -> float:
        """Seconds since the last keyboard, mouse or trackpad event (Quartz)."""
        ...


class PyObjCCalls:
    """The real boundary: each method is one PyObjC call (or two) and nothing else."""

    def __init__(self) -> None:
        try:
            import AppKit  # noqa: PLC0415 - macOS only, imported when the backend opens
            import ApplicationServices  # noqa: PLC0415
            import Quartz  # noqa: PLC0415
        except ImportError as err:
            raise PlatformUnavailable(
                f"unscroll needs PyObjC on macOS and cannot import {err.name}. Install it into "
                f"the Python that runs unscroll: pip install {' '.join(PYOBJC_PACKAGES)}"
            ) from err
        self._appkit: Any = AppKit
        self._ax: Any = ApplicationServices
        self._quartz: Any = Quartz

    def accessibility_trusted(self) -> bool:
        """AXIsProcessTrusted()."""
        return bool(self._ax.AXIsProcessTrusted())

    def _ax_attribute(self, element: Any, attribute: Any) -> Any:
        error, value = self._ax.AXUIElementCopyAttributeValue(element, attribute, None)
        return value if error == self._ax.kAXErrorSuccess else None

    def focused_app_pid(self) -> int | None:
        """The system-wide focused application's pid."""
        app = self._ax_attribute(self._ax.AXUIElementCreateSystemWide(),
                                 self._ax.kAXFocusedApplicationAttribute)
        if app is None:
            return None
        error, pid = self._ax.AXUIElementGetPid(app, None)
        return int(pid) if error == self._ax.kAXErrorSuccess else None

    def front_window_owner(self) -> tuple[int, str | None] | None:
        """The owner of the first layer-0 window in the on-screen list (front to back)."""
        options = (self._quartz.kCGWindowListOptionOnScreenOnly
                   | self._quartz.kCGWindowListExcludeDesktopElements)
        for window in self._quartz.CGWindowListCopyWindowInfo(options, self._quartz.kCGNullWindowID) or ():
            if window.get("kCGWindowLayer") == 0:
                owner = window.get("kCGWindowOwnerName")
                return int(window["kCGWindowOwnerPID"]), str(owner) if owner else None
        return None

    def focused_window_title(self, pid: int) -> str | None:
        """KAXTitleAttribute of the app's kAXFocusedWindowAttribute."""
        app = self._ax.AXUIElementCreateApplication(pid)
        window = self._ax_attribute(app, self._ax.kAXFocusedWindowAttribute)
        if window is None:
            return None
        title = self._ax_attribute(window, self._ax.kAXTitleAttribute)
        return str(title) if title else None

    def localized_name(self, pid: int) -> str | None:
        """NSRunningApplication.localizedName."""
        app = self._appkit.NSRunningApplication.runningApplicationWithProcessIdentifier_(pid)
        name = app.localizedName() if app is not None else None
        return str(name) if name else None

    def hide_app(self, pid: int) -> bool:
        """NSRunningApplication.hide()."""
        app = self._appkit.NSRunningApplication.runningApplicationWithProcessIdentifier_(pid)
        return bool(app.hide()) if app is not None else False

    def seconds_since_input(self) -> float:
        """CGEventSourceSecondsSinceLastEventType(HID system state, any input event)."""
        return float(self._quartz.CGEventSourceSecondsSinceLastEventType(
            self._quartz.kCGEventSourceStateHIDSystemState, K_CG_ANY_INPUT_EVENT_TYPE))


class MacOSPlatform:
    """The frontmost app, its window title when allowed, and idle time on macOS."""

    name = "macos"

    def __init__(self, calls: MacCalls | None = None, *, python: str | None = None) -> None:
        self._calls_given = calls
        self._calls: MacCalls | None = calls
        self._python = python or sys.executable
        self._help_logged = False

    def _os(self) -> MacCalls:
        if self._calls is None:
            self._calls = PyObjCCalls()
        return self._calls

    def active_window(self) -> ActiveWindow | None:
        """The frontmost app and (with Accessibility access) its focused window's title."""
        calls = self._os()
        trusted = calls.accessibility_trusted()
        owner_name: str | None = None
        pid = calls.focused_app_pid() if trusted else None
        if pid is None:
            owner = calls.front_window_owner()
            if owner is None:
                return None
            pid, owner_name = owner
        title = calls.focused_window_title(pid) if trusted else None
        if not trusted and not self._help_logged:
            self._help_logged = True
            log.warning(ACCESSIBILITY_HELP.format(python=self._python))
        app = process_name(pid) or calls.localized_name(pid) or owner_name or "unknown"
        return ActiveWindow(app=app, title=title, pid=pid, handle=str(pid))

    def minimise(self, handle: str) -> bool:
        """Hide the app ``handle`` (its pid): macOS hides apps, not single windows."""
        return handle.isdigit() and self._os().hide_app(int(handle))

    def idle_seconds(self) -> float:
        """Seconds since the last input event."""
        return max(0.0, self._os().seconds_since_input())

    def close(self) -> None:
        """Nothing to release: each call asks the window server afresh."""
        self._calls = self._calls_given
