"""Focus and title changes reported by the X11 backend as they happen (PropertyNotify)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from monitor.tracking.platforms.base import change_source
from monitor.tracking.platforms.x11 import X11Platform
from tests.desktop.harness import Desktop


@pytest.fixture
def platform(desktop: Desktop) -> Iterator[X11Platform]:
    opened = X11Platform(desktop.display)
    yield opened
    opened.close()


def later(seconds: float, action) -> threading.Thread:
    """Run ``action`` on another thread after ``seconds``, as a person would act meanwhile."""
    def run() -> None:
        time.sleep(seconds)  # the scripted person's pause, not a wait for a condition
        action()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_x11_backend_reports_changes(platform):
    assert change_source(platform) is platform


def test_a_focus_switch_is_reported_within_a_tenth_of_a_second(desktop, platform):
    first = desktop.open_window("events first")
    second = desktop.open_window("events second")
    desktop.focus(first)
    while platform.wait_for_change(0.2) is not None:  # the watch starts here: drop older events
        pass
    times: dict[str, float] = {}

    def switch() -> None:
        times["before"] = time.time()
        desktop.focus(second)
        times["after"] = time.time()

    actor = later(0.3, switch)
    reported = platform.wait_for_change(5.0)
    actor.join()
    assert reported is not None
    assert times["before"] <= reported <= times["after"] + 0.1
    assert platform.active_window().title == "events second"


def test_a_switch_read_late_is_timed_to_when_it_happened_not_when_it_was_read(desktop, platform):
    first = desktop.open_window("stamped first")
    second = desktop.open_window("stamped second")
    desktop.focus(first)
    while platform.wait_for_change(0.2) is not None:  # connected, and older events dropped
        pass
    before = time.time()
    desktop.focus(second)
    after = time.time()
    time.sleep(1.0)  # a daemon that gets the CPU a second late on a busy machine
    reported = platform.wait_for_change(5.0)
    assert reported is not None
    # the X server's stamp on the event, not the second later it was read
    assert before - 0.01 <= reported <= after + 0.05, (before, reported, after)


def test_a_title_change_of_the_focused_window_is_reported_and_of_another_not(desktop, platform):
    focused = desktop.open_window("events focused")
    other = desktop.open_window("events other")
    desktop.focus(focused)
    while platform.wait_for_change(0.3) is not None:
        pass
    assert platform.active_window().title == "events focused"
    rename_other = ("xdotool", "set_window", "--name", "elsewhere", str(other.window_id))
    later(0.2, lambda: desktop.run(*rename_other)).join()
    assert platform.wait_for_change(0.8) is None
    actor = later(0.2, lambda: desktop.run("xdotool", "set_window", "--name", "(1) events focused",
                                           str(focused.window_id)))
    assert platform.wait_for_change(5.0) is not None
    actor.join()
    # the title read before is not reused once a change was seen
    assert platform.active_window().title == "(1) events focused"


def test_close_wakes_a_thread_waiting_for_a_change(desktop, platform):
    desktop.open_window("events idle")
    platform.wait_for_change(0.0)
    result: list[float | None] = []
    waiter = threading.Thread(target=lambda: result.append(platform.wait_for_change(60.0)))
    waiter.start()
    later(0.3, platform.close).join()
    waiter.join(timeout=5)
    assert not waiter.is_alive()
    assert result == [None]
