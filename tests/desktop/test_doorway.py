"""The doorway on the real stack (Xvfb + openbox + D-Bus + dunst, the real daemon).

Focusing a Facebook window brings the doorway; Escape minimises the window and records
"left"; coming back after ``after_away`` brings it again; Return after the breath keeps
the window and records "continued", and no doorway comes during the continue period.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from monitor.core.paths import Paths
from monitor.doorway.window import WINDOW_CLASS
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CONFIG = """
[tracking]
sample_every = "1s"
idle_after = "60s"

[budgets]
social = "30m"

[doorway]
when = "always"
after_away = "3s"
seconds = "1s"
continue_for = ["20s", "1m"]
timeout = "30s"
"""


@pytest.fixture
def daemon(desktop: Desktop, tmp_path: Path):
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, CONFIG)
    process = DaemonProcess(desktop.env, paths)
    process.cli("people", "add", "Sam Rivera", "--every", "1w", "--last-talked", "5w ago",
                "--phone", "+1 555 555 0199")
    yield process
    process.stop()


def doorway_window(desktop: Desktop) -> int | None:
    found = desktop.run("xdotool", "search", "--onlyvisible", "--classname", WINDOW_CLASS,
                        check=False).split()
    return int(found[0]) if found else None


def arrived(desktop: Desktop) -> int | None:
    """The doorway window, once it is up, the person at the keyboard meanwhile."""
    desktop.touch_input()
    return doorway_window(desktop)


def press(desktop: Desktop, window_id: int, key: str) -> None:
    desktop.run("xdotool", "windowactivate", "--sync", str(window_id), check=False)
    desktop.run("xdotool", "key", key)


def prompts(daemon: DaemonProcess) -> list[dict]:
    return [p for p in json.loads(daemon.cli("prompts", "--json").stdout) if p["kind"] == "doorway"]


def outcomes(daemon: DaemonProcess) -> list[str | None]:
    return [p["outcome"] for p in prompts(daemon)]


def test_leave_minimises_and_continue_keeps_the_window(desktop: Desktop, daemon: DaemonProcess):
    other = desktop.open_window("notes.txt - editor", process_name="unscroll-editor")
    desktop.focus(other)
    desktop.touch_input()
    daemon.start()
    facebook = desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox")
    desktop.focus(facebook)
    focused_at = time.monotonic()
    first = wait_until(lambda: arrived(desktop), timeout=10, message="the doorway")
    assert time.monotonic() - focused_at < 2.0 + 1.0  # within 2 s, plus one sample interval
    if shutil.which("import"):
        ARTIFACTS.mkdir(exist_ok=True)
        desktop.run("import", "-window", "root", str(ARTIFACTS / "doorway-daemon.png"), timeout=20)

    press(desktop, first, "Escape")
    wait_until(lambda: "_NET_WM_STATE_HIDDEN" in desktop.run(
        "xprop", "-id", str(facebook.window_id), "_NET_WM_STATE"), timeout=10,
        message="Leave to minimise the Facebook window")
    wait_until(lambda: outcomes(daemon) == ["left"], timeout=10, message='"left" to be recorded')
    [left] = prompts(daemon)
    assert left["category"] == "social"
    assert left["person"] == "Sam Rivera"
    assert left["held_back"] is False

    desktop.focus(other)
    be_active(desktop, 4.0)  # after_away is 3 s: be elsewhere a little longer
    desktop.focus(facebook)
    second = wait_until(lambda: arrived(desktop), timeout=10, message="the doorway, again")
    wait_until(lambda: _press_return(desktop, second), timeout=10,
               message="Return to continue once the breath is over")
    wait_until(lambda: outcomes(daemon) == ["left", "continued"], timeout=10,
               message='"continued" to be recorded')
    assert "_NET_WM_STATE_HIDDEN" not in desktop.run("xprop", "-id", str(facebook.window_id),
                                                     "_NET_WM_STATE")

    # away and back within the 20 s continue period: no doorway
    desktop.focus(other)
    be_active(desktop, 4.0)
    desktop.focus(facebook)
    be_active(desktop, 3.0, check=lambda: doorway_window(desktop) is None)
    assert len(prompts(daemon)) == 2


def be_active(desktop: Desktop, seconds: float, check=lambda: True) -> None:
    """Play a person using the desktop for ``seconds`` (input every 0.2 s), ``check`` holding throughout."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert check()
        desktop.touch_input()
        time.sleep(0.2)


def _press_return(desktop: Desktop, window_id: int) -> bool:
    if doorway_window(desktop) is None:
        return True
    press(desktop, window_id, "Return")
    return doorway_window(desktop) is None


def test_the_person_button_calls_them_and_logs_it(desktop: Desktop, daemon: DaemonProcess, tmp_path: Path):
    record = tmp_path / "opened.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {record}\n')
    opener.chmod(0o755)
    daemon.env["PATH"] = f"{bin_dir}:{daemon.env['PATH']}"
    desktop.touch_input()
    daemon.start()
    desktop.focus(desktop.open_window("Instagram — Mozilla Firefox", process_name="firefox"))
    window = wait_until(lambda: arrived(desktop), timeout=10, message="the doorway")
    desktop.run("xdotool", "windowactivate", "--sync", str(window), check=False)
    desktop.run("xdotool", "key", "Tab")  # the first button: Call Sam
    desktop.run("xdotool", "key", "space")
    wait_until(lambda: outcomes(daemon) == ["reached-out"], timeout=10, message='"reached-out"')
    wait_until(record.exists, timeout=10, message="the phone link to be opened")
    assert record.read_text().split() == ["tel:+15555550199"]
    people = json.loads(daemon.cli("people", "list", "--json").stdout)
    assert people[0]["last_talked"] is not None
