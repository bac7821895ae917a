"""Start at login on macOS (a LaunchAgent plist, written for real) and Windows (a fake registry)."""

from __future__ import annotations

import plistlib
import subprocess
import sys

import pytest

from monitor.daemon import autostart
from monitor.daemon.autostart import AutostartKind


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))  # Path.home() on Windows
    return tmp_path


@pytest.mark.parametrize(("system", "kinds"), [
    ("darwin", (AutostartKind.LAUNCHD,)),
    ("win32", (AutostartKind.WINDOWS_RUN,)),
    ("linux", (AutostartKind.SYSTEMD, AutostartKind.XDG)),
    ("freebsd14", (AutostartKind.SYSTEMD, AutostartKind.XDG)),
])
def test_the_mechanisms_of_each_system(system, kinds):
    assert autostart.kinds_for(system) == kinds
    if len(kinds) == 1:
        assert autostart.default_kind(system) is kinds[0]


def test_a_launch_agent_is_written_and_removed(home):
    first = autostart.enable(AutostartKind.LAUNCHD)
    assert first.path == home / "Library" / "LaunchAgents" / "unscroll.monitor.plist"
    assert first.changed
    agent = plistlib.loads(first.path.read_bytes())
    assert agent["Label"] == "unscroll.monitor"
    assert agent["ProgramArguments"] == autostart.daemon_command()
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] == {"SuccessfulExit": False}  # restarted after a crash, not after stop
    assert agent["LimitLoadToSessionType"] == "Aqua"  # only in a GUI login
    assert not autostart.enable(AutostartKind.LAUNCHD).changed
    assert autostart.disable("linux") == []  # another system's files are not touched
    [removed] = autostart.disable("darwin")
    assert removed.kind is AutostartKind.LAUNCHD
    assert not first.path.exists()
    assert autostart.disable("darwin") == []


class FakeRegistry:
    """Stands in for the three winreg functions (the registry exists only on Windows)."""

    def __init__(self) -> None:
        self.value: str | None = None

    def read(self) -> str | None:
        return self.value

    def write(self, command_line: str) -> None:
        self.value = command_line

    def delete(self) -> None:
        if self.value is None:
            raise FileNotFoundError
        self.value = None


def test_the_run_key_with_a_fake_registry(monkeypatch):
    registry = FakeRegistry()
    monkeypatch.setattr(autostart, "read_run_value", registry.read)
    monkeypatch.setattr(autostart, "write_run_value", registry.write)
    monkeypatch.setattr(autostart, "delete_run_value", registry.delete)
    result = autostart.enable(AutostartKind.WINDOWS_RUN)
    assert result.changed
    assert str(result.path) == r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\unscroll"
    expected = subprocess.list2cmdline(autostart.windowless_command(autostart.daemon_command()))
    assert registry.value == expected
    assert "-m monitor.daemon" in registry.value
    assert not autostart.enable(AutostartKind.WINDOWS_RUN).changed
    [removed] = autostart.disable("win32")
    assert removed.kind is AutostartKind.WINDOWS_RUN
    assert registry.value is None
    assert autostart.disable("win32") == []


def test_run_key_command_lines_quote_spaces():
    line = autostart.run_key_command([r"C:\Program Files\Python311\pythonw.exe", "-m", "monitor"])
    assert line == r'"C:\Program Files\Python311\pythonw.exe" -m monitor'


def test_pythonw_replaces_python_when_it_is_there(tmp_path):
    (tmp_path / "python.exe").touch()
    command = [str(tmp_path / "python.exe"), "-m", "monitor", "start"]
    assert autostart.windowless_command(command) == command  # no pythonw.exe yet
    (tmp_path / "pythonw.exe").touch()
    assert autostart.windowless_command(command) == [str(tmp_path / "pythonw.exe"), "-m", "monitor", "start"]
    posix = ["/usr/bin/python3", "-m", "monitor"]
    assert autostart.windowless_command(posix) == posix


@pytest.mark.skipif(sys.platform == "win32", reason="the registry exists there")
def test_the_real_registry_functions_refuse_outside_windows():
    assert autostart.read_run_value() is None
    with pytest.raises(autostart.DaemonError, match="only on Windows"):
        autostart.write_run_value("x")
