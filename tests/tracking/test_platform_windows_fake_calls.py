"""The Windows backend against a fake of its Win32 boundary (Windows cannot run here).

The fake stands in for ``Win32Calls`` only; the policy (no foreground window, a window
that closed mid-read, process naming, the 32-bit tick wrap of GetLastInputInfo) is real.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import psutil
import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.windows import TICK_MODULUS, WindowsPlatform, idle_milliseconds, system_calls

OWN_NAME = psutil.Process(os.getpid()).name()
GONE_PID = 2**22 + 12345  # no such process on Linux, macOS or Windows (pids there are multiples of 4)


@dataclass
class FakeWinCalls:
    hwnd: int = 0
    titles: dict[int, str] = field(default_factory=dict)
    pids: dict[int, int] = field(default_factory=dict)
    now: int = 0
    last_input: int = 0
    order: list[str] = field(default_factory=list)
    minimised: set[int] = field(default_factory=set)

    def foreground_window(self) -> int:
        return self.hwnd

    def window_title(self, hwnd: int) -> str:
        return self.titles.get(hwnd, "")

    def window_pid(self, hwnd: int) -> int:
        return self.pids.get(hwnd, 0)

    def last_input_tick(self) -> int:
        self.order.append("last_input")
        return self.last_input

    def tick_count(self) -> int:
        self.order.append("now")
        return self.now

    def minimise_window(self, hwnd: int) -> bool:
        if hwnd not in self.titles:
            return False  # IsIconic of a window that is gone
        self.minimised.add(hwnd)
        return True


def test_the_foreground_window_its_title_and_process():
    calls = FakeWinCalls(hwnd=0x1234, titles={0x1234: "Inbox — Outlook"}, pids={0x1234: os.getpid()})
    window = WindowsPlatform(calls).active_window()
    assert window is not None
    assert (window.app, window.title, window.pid) == (OWN_NAME, "Inbox — Outlook", os.getpid())


def test_no_foreground_window():
    assert WindowsPlatform(FakeWinCalls(hwnd=0)).active_window() is None


def test_a_window_that_closed_between_calls():
    assert WindowsPlatform(FakeWinCalls(hwnd=0x99, titles={0x99: "x"}, pids={})).active_window() is None


def test_an_untitled_window_and_a_vanished_process():
    window = WindowsPlatform(FakeWinCalls(hwnd=7, pids={7: GONE_PID})).active_window()
    assert window is not None
    assert (window.app, window.title, window.pid) == ("unknown", None, GONE_PID)


@pytest.mark.parametrize(("now", "last", "expected_ms"), [
    (10_000, 7_500, 2_500),
    (5_000, 5_000, 0),
    # GetTickCount64 past 2^32 ms (49.7 days up) while dwTime has wrapped to a small value
    (TICK_MODULUS + 1_000, 400, 600),
    # the last input just before the wrap, now just after it
    (TICK_MODULUS + 200, TICK_MODULUS - 300, 500),
    # many wraps later
    (7 * TICK_MODULUS + 90_000, 30_000, 60_000),
])
def test_idle_across_the_tick_wrap(now, last, expected_ms):
    assert idle_milliseconds(now, last) == expected_ms
    calls = FakeWinCalls(now=now, last_input=last % TICK_MODULUS)
    assert WindowsPlatform(calls).idle_seconds() == expected_ms / 1000


def test_last_input_is_read_before_now():
    calls = FakeWinCalls(now=100, last_input=100)
    WindowsPlatform(calls).idle_seconds()
    assert calls.order == ["last_input", "now"]


@pytest.mark.skipif(sys.platform == "win32", reason="the real boundary works on Windows")
def test_the_real_boundary_exists_only_on_windows():
    with pytest.raises(PlatformUnavailable, match="needs Windows"):
        system_calls()
    with pytest.raises(PlatformUnavailable, match="needs Windows"):
        WindowsPlatform().idle_seconds()


@pytest.mark.skipif(sys.platform != "win32", reason="Win32 runs only on Windows")
def test_the_real_boundary_on_windows():
    calls = system_calls()
    assert calls.tick_count() > 0
    assert idle_milliseconds(calls.tick_count(), calls.last_input_tick()) >= 0
    hwnd = calls.foreground_window()
    if hwnd:  # a CI runner may have no interactive desktop
        assert calls.window_pid(hwnd) >= 0
        assert isinstance(calls.window_title(hwnd), str)


def test_minimise_shows_the_reported_window_minimised():
    calls = FakeWinCalls(hwnd=0x1234, titles={0x1234: "Facebook — Edge"}, pids={0x1234: os.getpid()})
    platform = WindowsPlatform(calls)
    window = platform.active_window()
    assert window is not None
    assert window.handle == str(0x1234)
    assert platform.minimise(window.handle)
    assert calls.minimised == {0x1234}
    assert platform.minimise("999") is False
    assert platform.minimise("hwnd") is False
