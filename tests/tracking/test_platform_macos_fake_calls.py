"""The macOS backend against a fake of its PyObjC boundary (macOS cannot run here).

The fake stands in for ``PyObjCCalls`` only: the choice of focused app, the use of
Accessibility, the naming of the app and the one-time help all run for real.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field

import psutil
import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.macos import ACCESSIBILITY_HELP, MacOSPlatform, PyObjCCalls

OWN_NAME = psutil.Process(os.getpid()).name()
GONE_PID = 2**22 + 12345  # above Linux's pid_max: no such process


@dataclass
class FakeMacCalls:
    trusted: bool = True
    focused_pid: int | None = None
    front_owner: tuple[int, str | None] | None = None
    titles: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    idle: float = 0.0
    asked: list[str] = field(default_factory=list)
    running: set[int] = field(default_factory=set)
    hidden: set[int] = field(default_factory=set)

    def accessibility_trusted(self) -> bool:
        self.asked.append("trusted")
        return self.trusted

    def focused_app_pid(self) -> int | None:
        self.asked.append("focused_app_pid")
        return self.focused_pid

    def front_window_owner(self) -> tuple[int, str | None] | None:
        self.asked.append("front_window_owner")
        return self.front_owner

    def focused_window_title(self, pid: int) -> str | None:
        self.asked.append(f"title:{pid}")
        return self.titles.get(pid)

    def localized_name(self, pid: int) -> str | None:
        return self.names.get(pid)

    def seconds_since_input(self) -> float:
        return self.idle

    def hide_app(self, pid: int) -> bool:
        if pid not in self.running:
            return False
        self.hidden.add(pid)
        return True


def test_trusted_reads_the_focused_app_and_its_window_title():
    calls = FakeMacCalls(trusted=True, focused_pid=os.getpid(),
                         titles={os.getpid(): "Inbox — Mail"})
    window = MacOSPlatform(calls).active_window()
    assert window is not None
    assert (window.app, window.title, window.pid) == (OWN_NAME, "Inbox — Mail", os.getpid())
    assert "front_window_owner" not in calls.asked  # the exact answer needs no guess


def test_untrusted_uses_the_front_window_owner_and_no_title(caplog):
    calls = FakeMacCalls(trusted=False, front_owner=(os.getpid(), "Python"),
                         titles={os.getpid(): "must not be read"})
    platform = MacOSPlatform(calls, python="/opt/py/bin/python3")
    with caplog.at_level(logging.WARNING, logger="monitor.tracking.platforms.macos"):
        first = platform.active_window()
        second = platform.active_window()
    assert first == second
    assert first is not None
    assert (first.app, first.title, first.pid) == (OWN_NAME, None, os.getpid())
    assert not [asked for asked in calls.asked if asked.startswith(("title:", "focused_app_pid"))]
    helps = [r.getMessage() for r in caplog.records if "Accessibility" in r.getMessage()]
    assert len(helps) == 1  # logged once
    assert "System Settings → Privacy & Security → Accessibility" in helps[0]
    assert "/opt/py/bin/python3" in helps[0]


def test_trusted_without_a_focused_app_falls_back_to_the_window_list():
    calls = FakeMacCalls(trusted=True, focused_pid=None, front_owner=(os.getpid(), "Python"),
                         titles={os.getpid(): "Terminal — zsh"})
    window = MacOSPlatform(calls).active_window()
    assert window is not None
    assert (window.pid, window.title) == (os.getpid(), "Terminal — zsh")


def test_a_process_that_cannot_be_read_is_named_by_macos():
    calls = FakeMacCalls(trusted=True, focused_pid=GONE_PID, names={GONE_PID: "Safari"})
    window = MacOSPlatform(calls).active_window()
    assert window is not None
    assert window.app == "Safari"


def test_the_window_server_owner_name_is_the_last_resort():
    calls = FakeMacCalls(trusted=False, front_owner=(GONE_PID, "Google Chrome"))
    window = MacOSPlatform(calls).active_window()
    assert window is not None
    assert window.app == "Google Chrome"


def test_nothing_in_front():
    assert MacOSPlatform(FakeMacCalls(trusted=False, front_owner=None)).active_window() is None


@pytest.mark.parametrize(("seconds", "expected"), [(0.0, 0.0), (12.5, 12.5), (-0.001, 0.0)])
def test_idle_seconds_from_quartz(seconds, expected):
    assert MacOSPlatform(FakeMacCalls(idle=seconds)).idle_seconds() == expected


def test_the_help_text_names_the_steps():
    assert "System Settings → Privacy & Security → Accessibility" in ACCESSIBILITY_HELP


@pytest.mark.skipif(sys.platform == "darwin", reason="PyObjC is there on macOS")
def test_without_pyobjc_the_real_boundary_says_what_to_install():
    with pytest.raises(PlatformUnavailable, match="pip install pyobjc-framework-Cocoa"):
        PyObjCCalls()


@pytest.mark.skipif(sys.platform != "darwin", reason="PyObjC runs only on macOS")
def test_the_real_boundary_on_macos():
    calls = PyObjCCalls()
    assert calls.seconds_since_input() >= 0
    trusted = calls.accessibility_trusted()
    assert isinstance(trusted, bool)
    owner = calls.front_window_owner()  # None on a runner without windows
    if owner is not None:
        assert owner[0] > 0
    assert calls.localized_name(os.getpid()) is None or isinstance(calls.localized_name(os.getpid()), str)
    if trusted:
        pid = calls.focused_app_pid()
        if pid is not None:
            calls.focused_window_title(pid)


def test_minimise_hides_the_frontmost_app_by_the_handle_it_reported():
    calls = FakeMacCalls(focused_pid=os.getpid(), running={os.getpid()})
    platform = MacOSPlatform(calls)
    window = platform.active_window()
    assert window is not None
    assert window.handle == str(os.getpid())
    assert platform.minimise(window.handle)
    assert calls.hidden == {os.getpid()}
    assert platform.minimise(str(GONE_PID)) is False
    assert platform.minimise("not-a-pid") is False
