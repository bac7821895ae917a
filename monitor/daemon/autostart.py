"""Start at login: a systemd user unit or XDG autostart entry, a LaunchAgent, or the Run key.

Linux: a systemd user unit where systemd runs the session, else an XDG autostart entry.
macOS: ``~/Library/LaunchAgents/unscroll.monitor.plist`` (used from the next login).
Windows: the ``unscroll`` value of the current user's Run registry key (``RUN_KEY``).
"""

from __future__ import annotations

import logging
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath, PureWindowsPath

import platformdirs

from monitor.core.errors import DaemonError

log = logging.getLogger(__name__)

UNIT_NAME = "unscroll.service"
DESKTOP_NAME = "unscroll.desktop"


class AutostartKind(Enum):
    """Which start-at-login mechanism is used."""

    SYSTEMD = "systemd user unit"
    XDG = "XDG autostart entry"
    LAUNCHD = "launchd LaunchAgent"
    WINDOWS_RUN = "Windows Run registry entry"


LAUNCHD_LABEL = "unscroll.monitor"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "unscroll"
RUN_KEY_PATH = PureWindowsPath("HKEY_CURRENT_USER", RUN_KEY, RUN_VALUE)
"""Where the Windows entry lives, shown to the user like a path."""


def kinds_for(platform: str | None = None) -> tuple[AutostartKind, ...]:
    """The mechanisms that exist on ``platform`` (``sys.platform`` by default)."""
    system = platform or sys.platform
    if system == "darwin":
        return (AutostartKind.LAUNCHD,)
    if system == "win32":
        return (AutostartKind.WINDOWS_RUN,)
    return (AutostartKind.SYSTEMD, AutostartKind.XDG)


@dataclass(frozen=True)
class AutostartResult:
    """What ``autostart enable`` or ``disable`` did."""

    kind: AutostartKind
    path: PurePath
    """The file written, or for the Windows Run key the registry value's full name."""
    changed: bool


def daemon_command() -> list[str]:
    """The command line that runs the daemon in the foreground with this Python."""
    return [sys.executable, "-m", "monitor.daemon"]


def windowless_command(command: list[str]) -> list[str]:
    """On Windows, run with pythonw.exe beside python.exe (when there) so no console opens at login."""
    python = Path(command[0])
    quiet = python.with_name("pythonw.exe")
    if python.name.lower() == "python.exe" and quiet.exists():
        return [str(quiet), *command[1:]]
    return command


def launch_agent_plist(command: list[str]) -> bytes:
    """The LaunchAgent that runs the daemon in the user's GUI session, restarted if it fails."""
    return plistlib.dumps({
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 10,
        "LimitLoadToSessionType": "Aqua",
    })


def run_key_command(command: list[str]) -> str:
    """The Run key's value: a Windows command line."""
    return subprocess.list2cmdline(command)


def systemd_runs_session(environ: dict[str, str] | None = None) -> bool:
    """True when a systemd user manager runs this session."""
    env = os.environ if environ is None else environ
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and Path(runtime or "", "systemd").is_dir() and shutil.which("systemctl") is not None


def systemd_unit_text(command: list[str]) -> str:
    """The systemd user unit that runs the daemon with the graphical session."""
    return (
        "[Unit]\n"
        "Description=unscroll screen-time monitor\n"
        "PartOf=graphical-session.target\n"
        "After=graphical-session.target\n\n"
        "[Service]\n"
        f"ExecStart={shlex.join(command)}\n"
        "Restart=on-failure\n"
        "RestartSec=10\n\n"
        "[Install]\n"
        "WantedBy=graphical-session.target\n"
    )


def xdg_entry_text(command: list[str]) -> str:
    """The XDG autostart desktop entry that runs the daemon at login."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=unscroll\n"
        "Comment=Screen-time monitor that nudges you towards real people\n"
        f"Exec={shlex.join(command)}\n"
        "X-GNOME-Autostart-enabled=true\n"
        "NoDisplay=true\n"
    )


def _target(kind: AutostartKind) -> Path:
    if kind is AutostartKind.LAUNCHD:
        return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    config = platformdirs.user_config_path()
    if kind is AutostartKind.SYSTEMD:
        return config / "systemd" / "user" / UNIT_NAME
    return config / "autostart" / DESKTOP_NAME


if sys.platform == "win32":  # pragma: no cover - Windows only
    import winreg

    def read_run_value() -> str | None:
        """The Run key's unscroll value, or None."""
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, RUN_VALUE)
        except FileNotFoundError:
            return None
        return str(value)

    def write_run_value(command_line: str) -> None:
        """Set the Run key's unscroll value."""
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, command_line)

    def delete_run_value() -> None:
        """Remove the Run key's unscroll value."""
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, RUN_VALUE)

else:

    def read_run_value() -> str | None:
        """No registry outside Windows."""
        return None

    def write_run_value(command_line: str) -> None:
        """No registry outside Windows."""
        raise DaemonError("the Windows Run key exists only on Windows")

    def delete_run_value() -> None:
        """No registry outside Windows."""
        raise DaemonError("the Windows Run key exists only on Windows")


def _current(kind: AutostartKind) -> str | bytes | None:
    if kind is AutostartKind.WINDOWS_RUN:
        return read_run_value()
    path = _target(kind)
    if not path.exists():
        return None
    return path.read_bytes() if kind is AutostartKind.LAUNCHD else path.read_text(encoding="utf-8")


def _systemctl(*args: str) -> None:
    try:
        subprocess.run(["systemctl", "--user", *args], check=True, capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("systemctl --user %s failed: %s", " ".join(args), exc)


def default_kind(platform: str | None = None) -> AutostartKind:
    """The mechanism for this system: LaunchAgent, Run key, systemd user unit or XDG autostart."""
    kinds = kinds_for(platform)
    if len(kinds) == 1:
        return kinds[0]
    return AutostartKind.SYSTEMD if systemd_runs_session() else AutostartKind.XDG


def enable(kind: AutostartKind | None = None) -> AutostartResult:
    """Write the start-at-login file (or registry value) for this system (and enable the unit)."""
    kind = kind or default_kind()
    command = daemon_command()
    text: str | bytes
    if kind is AutostartKind.SYSTEMD:
        text = systemd_unit_text(command)
    elif kind is AutostartKind.XDG:
        text = xdg_entry_text(command)
    elif kind is AutostartKind.LAUNCHD:
        text = launch_agent_plist(command)
    else:
        text = run_key_command(windowless_command(command))
    changed = _current(kind) != text
    if kind is AutostartKind.WINDOWS_RUN:
        try:
            write_run_value(str(text))
        except OSError as exc:
            raise DaemonError(f"cannot write {RUN_KEY_PATH}: {exc.strerror or exc}") from None
        return AutostartResult(kind, RUN_KEY_PATH, changed)
    path = _target(kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DaemonError(f"cannot write {path}: {exc.strerror or exc}") from None
    if kind is AutostartKind.SYSTEMD:
        _systemctl("daemon-reload")
        _systemctl("enable", UNIT_NAME)
    return AutostartResult(kind, path, changed)


def disable(platform: str | None = None) -> list[AutostartResult]:
    """Remove every start-at-login file (or registry value) unscroll wrote on this system."""
    removed = []
    for kind in kinds_for(platform):
        if _current(kind) is None:
            continue
        path: PurePath = RUN_KEY_PATH if kind is AutostartKind.WINDOWS_RUN else _target(kind)
        if kind is AutostartKind.SYSTEMD:
            _systemctl("disable", UNIT_NAME)
        try:
            if kind is AutostartKind.WINDOWS_RUN:
                delete_run_value()
            else:
                _target(kind).unlink()
        except OSError as exc:
            raise DaemonError(f"cannot remove {path}: {exc.strerror or exc}") from None
        removed.append(AutostartResult(kind, path, True))
    return removed
