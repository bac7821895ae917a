"""The doorway window on a real X server (Xvfb + openbox): keys, breath, timeout, minimise.

The window runs in its own process exactly as the daemon starts it (``DoorwayRunner``);
keys go in through XTEST (xdotool), and the window is found by its X11 class.
A screenshot of it is kept in tests/artifacts/doorway.png.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
from pathlib import Path

import pytest

from monitor.doorway.runner import DoorwayRunner
from monitor.doorway.view import (
    CONTINUED,
    LEFT,
    NO_ANSWER,
    REACHED_OUT,
    DoorwayAnswer,
    DoorwayPerson,
    DoorwayView,
)
from monitor.doorway.window import WINDOW_CLASS
from monitor.tracking.platforms.x11 import X11Platform
from tests.desktop.harness import Desktop, XServer
from tests.helpers import wait_until

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PEOPLE = (DoorwayPerson(1, "Sam", "Call Sam", "You last talked to Sam 5 weeks ago."),
          DoorwayPerson(2, "Ana", "Message Ana", "Ana: 3 weeks since you last talked."))


def view(breath: int = 1, timeout: float = 20.0) -> DoorwayView:
    return DoorwayView("A call to Sam would take less time than a scroll.",
                       "Social: 18 of 30 min today · 4th visit today", breath, timeout,
                       (300.0, 900.0), PEOPLE)


class Opened:
    """A doorway started through the runner on the test desktop, and what it answered."""

    def __init__(self, desktop: Desktop, shown: DoorwayView) -> None:
        self.desktop = desktop
        self.answers: queue.Queue[DoorwayAnswer | str] = queue.Queue()
        self.runner = DoorwayRunner()
        saved = {name: os.environ.get(name) for name in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        os.environ["DISPLAY"] = desktop.display
        try:
            assert self.runner.open(shown, self.answers.put, self.answers.put)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        self.window_id = wait_until(self._find, timeout=15, message="the doorway window to map")

    def _find(self) -> int | None:
        found = self.desktop.run("xdotool", "search", "--onlyvisible", "--classname", WINDOW_CLASS,
                                 check=False).split()
        return int(found[0]) if found else None

    def key(self, name: str) -> None:
        self.desktop.focus(self.window_id)
        self.desktop.run("xdotool", "key", name)

    def answer(self, timeout: float = 30.0) -> DoorwayAnswer | str:
        return self.answers.get(timeout=timeout)


def test_escape_leaves_and_the_window_is_on_top_and_centred(desktop: Desktop) -> None:
    opened = Opened(desktop, view(breath=4))
    geometry = desktop.run("xdotool", "getwindowgeometry", str(opened.window_id))
    assert "Position" in geometry
    if shutil.which("import"):
        ARTIFACTS.mkdir(exist_ok=True)
        desktop.run("import", "-window", "root", str(ARTIFACTS / "doorway.png"), timeout=20)
    state = desktop.run("xprop", "-id", str(opened.window_id), "_NET_WM_STATE")
    assert "_NET_WM_STATE_ABOVE" in state
    opened.key("Escape")
    assert opened.answer() == DoorwayAnswer(LEFT)


def test_return_is_refused_during_the_breath_and_continues_after_it(desktop: Desktop) -> None:
    opened = Opened(desktop, view(breath=3))
    opened.key("Return")  # within the breath: nothing happens
    with pytest.raises(queue.Empty):
        opened.answers.get(timeout=0.5)
    answer = wait_until(lambda: _press_until_answer(opened, "Return"), timeout=10,
                        message="Return to continue once the breath is over")
    assert answer == DoorwayAnswer(CONTINUED, 300.0)


def _press_until_answer(opened: Opened, key: str) -> DoorwayAnswer | str | None:
    opened.key(key)
    try:
        return opened.answers.get(timeout=0.5)
    except queue.Empty:
        return None


def test_someone_else_then_the_person_button_names_the_second_person(desktop: Desktop) -> None:
    opened = Opened(desktop, view())
    opened.key("Tab")  # focus: the person button, then "Someone else"
    opened.key("Tab")
    opened.key("space")  # Someone else
    opened.key("shift+Tab")
    opened.key("space")  # the person button, now Ana
    assert opened.answer() == DoorwayAnswer(REACHED_OUT, person_id=2, skipped=(1,))


def test_no_answer_closes_it_after_the_timeout(desktop: Desktop) -> None:
    opened = Opened(desktop, view(timeout=1.5))
    assert opened.answer() == DoorwayAnswer(NO_ANSWER)
    wait_until(lambda: opened._find() is None, message="the window to close")


def test_without_a_display_the_runner_says_why() -> None:
    runner = DoorwayRunner()
    answers: queue.Queue[DoorwayAnswer | str] = queue.Queue()
    saved = os.environ.pop("DISPLAY", None)
    try:
        assert runner.open(view(), answers.put, answers.put)
    finally:
        if saved is not None:
            os.environ["DISPLAY"] = saved
    reason = answers.get(timeout=20)
    assert isinstance(reason, str)
    assert "no display" in reason


def test_x11_minimises_a_window_through_openbox(desktop: Desktop) -> None:
    window = desktop.open_window("Facebook - Mozilla Firefox")
    desktop.focus(window)
    platform = X11Platform(desktop.display)
    try:
        active = platform.active_window()
        assert active is not None
        assert active.handle == f"0x{window.window_id:x}"
        assert platform.minimise(active.handle)
        state = desktop.run("xprop", "-id", str(window.window_id), "_NET_WM_STATE", "WM_STATE")
        assert "_NET_WM_STATE_HIDDEN" in state
        assert "Iconic" in state
        assert platform.minimise("0x7ffffff") is False  # no such window: said, not raised
    finally:
        platform.close()


def test_tk_missing_is_said_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shadow = tmp_path / "no-tk"
    (shadow / "tkinter").mkdir(parents=True)
    (shadow / "tkinter" / "__init__.py").write_text("raise ImportError('No module named _tkinter')\n")
    monkeypatch.setenv("PYTHONPATH", str(shadow))
    answers: queue.Queue[DoorwayAnswer | str] = queue.Queue()
    assert DoorwayRunner().open(view(), answers.put, answers.put)
    reason = answers.get(timeout=20)
    assert isinstance(reason, str)
    assert "Tk is not available" in reason
    assert "python3-tk" in reason


def test_closing_the_runner_ends_the_window_as_no_answer(desktop: Desktop) -> None:
    opened = Opened(desktop, view())
    opened.runner.close()
    assert opened.answer() == DoorwayAnswer(NO_ANSWER)
    wait_until(lambda: opened._find() is None, message="the window to close")


def test_a_window_manager_that_will_not_minimise_is_said_so(tmp_path: Path) -> None:
    server = XServer.start(tmp_path)  # no window manager: nobody handles WM_CHANGE_STATE
    env = {**os.environ, "DISPLAY": server.display}
    xterm = subprocess.Popen(["xterm", "-T", "unmanaged social"], env=env, stderr=subprocess.DEVNULL)
    platform = X11Platform(server.display)
    try:
        found = wait_until(lambda: subprocess.run(
            ["xdotool", "search", "--name", "unmanaged social"], env=env, capture_output=True,
            text=True).stdout.split(), timeout=15, message="the xterm to map")
        assert platform.minimise(f"0x{int(found[0]):x}") is False
    finally:
        platform.close()
        xterm.terminate()
        xterm.wait(timeout=5)
        server.stop()
