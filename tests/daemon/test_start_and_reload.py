"""The real daemon: ``start`` refuses a desktop it cannot read; a bad edit is ridden out and shown."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.core.paths import Paths
from monitor.daemon.lock import holder_pid
from tests.conftest import write_config
from tests.desktop.harness import XServer
from tests.helpers import wait_until

SESSION_VARIABLES = ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "SWAYSOCK", "HYPRLAND_INSTANCE_SIGNATURE",
                     "XDG_CURRENT_DESKTOP", "DBUS_SESSION_BUS_ADDRESS")


def x11_env(display: str) -> dict[str, str]:
    """This environment as an X11 session on ``display`` (the UNSCROLL_* variables kept)."""
    env = {key: value for key, value in os.environ.items() if key not in SESSION_VARIABLES}
    env["DISPLAY"] = display
    return env


def unscroll(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def unused_display() -> str:
    """A display number nothing listens on (no socket, no lock file)."""
    for number in random.sample(range(100, 1000), 50):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return f":{number}"
    raise AssertionError("no unused X display number found")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 displays are Linux's here")
def test_start_on_a_display_nobody_serves_refuses_with_samples_words(user_paths: Paths):
    env = x11_env(unused_display())
    sample = unscroll(env, "sample")
    assert sample.returncode == 1
    assert sample.stderr.startswith(f"unscroll: cannot open X display {env['DISPLAY']}")
    for args in (["start"], ["start", "--foreground"]):
        started = unscroll(env, *args)
        assert started.returncode == 1, started.stdout
        assert started.stderr == sample.stderr  # one line, the same words
        assert started.stdout == ""
        assert holder_pid(user_paths.lock_file) is None
    assert not user_paths.log_file.exists()  # no daemon ever ran


@pytest.fixture
def xserver(tmp_path: Path) -> Iterator[XServer]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    server = XServer.start(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def status_json(env: dict[str, str]) -> dict[str, Any]:
    result = unscroll(env, "status", "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def daemon_settings(env: dict[str, str]) -> dict[str, Any]:
    settings: dict[str, Any] = status_json(env)["settings"]
    return settings


def test_a_bad_edit_is_ridden_out_logged_once_and_shown_by_status(user_paths: Paths, xserver: XServer):
    env = x11_env(xserver.display)
    write_config(user_paths, '[tracking]\nsample_every = "0.25s"\n[budgets]\nsocial = "20m"\n')
    started = unscroll(env, "start")
    assert started.returncode == 0, started.stderr
    try:
        wait_until(lambda: daemon_settings(env)["daemon_file"],
                   timeout=20, message="the daemon's settings record")
        bad = '[tracking]\nsample_every = "0.25s"\n[budgets]\nsocail = "25m"\n'
        write_config(user_paths, bad)
        riding = wait_until(lambda: daemon_settings(env)["ridden_out"],
                            timeout=20, message="the daemon to ride out the bad edit")
        assert str(riding).startswith(f"{user_paths.config_file}, line 4: budgets.socail: 'socail' is "
                                      "not a category; did you mean social?")
        text = unscroll(env, "status").stdout
        assert "  The daemon is riding out an error in it since " in text
        write_config(user_paths, "# again\n" + bad)  # another save, the error now on line 5
        wait_until(lambda: "line 5" in str(daemon_settings(env)["ridden_out"]),
                   timeout=20, message="the second bad edit")
        write_config(user_paths, '[tracking]\nsample_every = "0.25s"\n[budgets]\nsocial = "25m"\n')
        wait_until(lambda: daemon_settings(env)["ridden_out"] is None,
                   timeout=20, message="the fixed file to be reloaded")
        social = [b for b in status_json(env)["budgets"] if b["category"] == "social"]
        assert social[0]["budget_seconds"] == 1500.0
    finally:
        unscroll(env, "stop")
    log = user_paths.log_file.read_text(encoding="utf-8")
    errors = [line for line in log.splitlines() if "config not reloaded" in line]
    assert len(errors) == 2, errors  # one per distinct error, not one per sample
    assert "line 4" in errors[0]
    assert "line 5" in errors[1]
    assert "config reloaded from" in log
