"""The Windows backend: the foreground window, its title and process through user32 (ctypes).

Every Win32 call lives in ``Win32Calls`` (the boundary, defined on Windows only);
``WindowsPlatform`` holds the policy and is tested against a fake of that boundary.

Focused window: ``GetForegroundWindow`` → ``GetWindowTextLengthW``/``GetWindowTextW`` →
``GetWindowThreadProcessId`` → ``psutil.Process(pid).name()`` (``firefox.exe``; category
rules compare names without ``.exe``). Idle: ``GetLastInputInfo`` gives the tick of the
last input as a 32-bit millisecond count, compared with ``GetTickCount64`` modulo 2³²
so that the 49.7-day wrap of the 32-bit tick does not matter.
"""

from __future__ import annotations

import sys
from typing import Protocol

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.process import process_name

TICK_MODULUS = 1 << 32


class WinCalls(Protocol):
    """The narrow boundary to user32 and kernel32."""

    def foreground_window(self) -> int:
        """GetForegroundWindow(): the window handle, 0 when no window has focus."""
        ...

    def window_title(self, hwnd: int) -> str:
        """GetWindowTextLengthW + GetWindowTextW: the title ("" when none)."""
        ...

    def window_pid(self, hwnd: int) -> int:
        """GetWindowThreadProcessId: the owning process id (0 when the window is gone)."""
        ...

    def last_input_tick(self) -> int:
        """GetLastInputInfo().dwTime: tick count (ms, 32 bits) of the last input event."""
        ...

    def tick_count(self) -> int:
        """GetTickCount64(): milliseconds since the system started."""
        ...

    def minimise_window(self, hwnd: int) -> bool:
        """ShowWindow(hwnd, SW_MINIMIZE), then IsIconic(hwnd): whether it is minimised now."""
        ...


SW_MINIMIZE = 6
"""ShowWindow's command to minimise a window and activate the next one."""


def idle_milliseconds(now_tick: int, last_input_tick: int) -> int:
    """Milliseconds since the last input, from a 64-bit now and a 32-bit last-input tick."""
    return (now_tick - last_input_tick) % TICK_MODULUS


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    class _LastInputInfo(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

    class Win32Calls:
        """The real boundary: one Win32 call per method."""

        def __init__(self) -> None:
            user32 = ctypes.WinDLL("user32", use_last_error=True)
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            user32.GetForegroundWindow.restype = wintypes.HWND
            user32.GetForegroundWindow.argtypes = []
            user32.GetWindowTextLengthW.restype = ctypes.c_int
            user32.GetWindowTextLengthW.argtypes = [wintypes.HWND]
            user32.GetWindowTextW.restype = ctypes.c_int
            user32.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]
            user32.GetWindowThreadProcessId.restype = wintypes.DWORD
            user32.GetWindowThreadProcessId.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
            user32.GetLastInputInfo.restype = wintypes.BOOL
            user32.GetLastInputInfo.argtypes = [ctypes.POINTER(_LastInputInfo)]
            user32.ShowWindow.restype = wintypes.BOOL
            user32.ShowWindow.argtypes = [wintypes.HWND, ctypes.c_int]
            user32.IsIconic.restype = wintypes.BOOL
            user32.IsIconic.argtypes = [wintypes.HWND]
            kernel32.GetTickCount64.restype = ctypes.c_ulonglong
            kernel32.GetTickCount64.argtypes = []
            self._user32 = user32
            self._kernel32 = kernel32

        def foreground_window(self) -> int:
            """GetForegroundWindow()."""
            return int(self._user32.GetForegroundWindow() or 0)

        def window_title(self, hwnd: int) -> str:
            """GetWindowTextLengthW + GetWindowTextW."""
            length = int(self._user32.GetWindowTextLengthW(hwnd))
            if length <= 0:
                return ""
            buffer = ctypes.create_unicode_buffer(length + 1)
            self._user32.GetWindowTextW(hwnd, buffer, length + 1)
            return buffer.value

        def window_pid(self, hwnd: int) -> int:
            """GetWindowThreadProcessId."""
            pid = wintypes.DWORD(0)
            self._user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
            return int(pid.value)

        def last_input_tick(self) -> int:
            """GetLastInputInfo."""
            info = _LastInputInfo()
            info.cbSize = ctypes.sizeof(_LastInputInfo)
            if not self._user32.GetLastInputInfo(ctypes.byref(info)):
                raise PlatformUnavailable(
                    f"GetLastInputInfo failed (Windows error {ctypes.get_last_error()})")
            return int(info.dwTime)

        def tick_count(self) -> int:
            """GetTickCount64."""
            return int(self._kernel32.GetTickCount64())

        def minimise_window(self, hwnd: int) -> bool:
            """ShowWindow(SW_MINIMIZE), then IsIconic."""
            self._user32.ShowWindow(hwnd, SW_MINIMIZE)
            return bool(self._user32.IsIconic(hwnd))


def system_calls() -> WinCalls:
    """The real Win32 boundary (only on Windows)."""
    if sys.platform == "win32":
        return Win32Calls()
    raise PlatformUnavailable(f"the Windows backend needs Windows, not {sys.platform}")


class WindowsPlatform:
    """The foreground window and idle time of the interactive Windows session."""

    name = "windows"

    def __init__(self, calls: WinCalls | None = None) -> None:
        self._calls_given = calls
        self._calls: WinCalls | None = calls

    def _os(self) -> WinCalls:
        if self._calls is None:
            self._calls = system_calls()
        return self._calls

    def active_window(self) -> ActiveWindow | None:
        """The foreground window, or None (the desktop, a lock screen, a UAC prompt)."""
        calls = self._os()
        hwnd = calls.foreground_window()
        if not hwnd:
            return None
        title = calls.window_title(hwnd) or None
        pid = calls.window_pid(hwnd) or None
        if pid is None:
            return None  # the window closed between the two calls
        return ActiveWindow(app=process_name(pid) or "unknown", title=title, pid=pid, handle=str(hwnd))

    def minimise(self, handle: str) -> bool:
        """Minimise the window ``handle`` (its HWND); False when Windows left it as it was."""
        return handle.isdigit() and self._os().minimise_window(int(handle))

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or mouse input in this session."""
        calls = self._os()
        last_input = calls.last_input_tick()  # first: an input after it cannot make idle negative
        return idle_milliseconds(calls.tick_count(), last_input) / 1000.0

    def close(self) -> None:
        """Nothing to release: each call asks Windows afresh."""
        self._calls = self._calls_given
