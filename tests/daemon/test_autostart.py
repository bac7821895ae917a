"""Start-at-login files: written where the desktop reads them, removed cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from monitor.daemon import autostart


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG autostart is Linux's; other systems have their own")
def test_xdg_entry_without_systemd(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "conf"), "XDG_RUNTIME_DIR": str(tmp_path)}
    enabled = run_cli("autostart", "enable", env=env)
    assert enabled.returncode == 0, enabled.stderr
    entry = tmp_path / "conf" / "autostart" / "unscroll.desktop"
    text = entry.read_text()
    assert "Exec=" in text
    assert "-m monitor.daemon" in text
    assert str(entry) in enabled.stdout
    again = run_cli("autostart", "enable", env=env)
    assert "Already in place" in again.stdout
    disabled = run_cli("autostart", "disable", env=env)
    assert not entry.exists()
    assert "Removed" in disabled.stdout
    assert "nothing to remove" in run_cli("autostart", "disable", env=env).stdout


def test_systemd_unit_runs_with_the_graphical_session():
    text = autostart.systemd_unit_text(["/venv/bin/python", "-m", "monitor", "start", "--foreground"])
    assert "ExecStart=/venv/bin/python -m monitor start --foreground" in text
    assert "WantedBy=graphical-session.target" in text
    assert "Restart=on-failure" in text


def test_systemd_is_detected_by_its_runtime_folder(tmp_path):
    assert not autostart.systemd_runs_session({"XDG_RUNTIME_DIR": str(tmp_path)})
    (tmp_path / "systemd").mkdir()
    detected = autostart.systemd_runs_session({"XDG_RUNTIME_DIR": str(tmp_path)})
    assert detected == (autostart.shutil.which("systemctl") is not None)
