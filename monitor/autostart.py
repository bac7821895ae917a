"""Start-at-login files: a systemd user unit where systemd runs the session, else XDG autostart."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import platformdirs

from monitor.errors import DaemonError

log = logging.getLogger(__name__)

UNIT_NAME = "unscroll.service"
DESKTOP_NAME = "unscroll.desktop"


class AutostartKind(Enum):
    """Which start-at-login mechanism is used."""

    SYSTEMD = "systemd user unit"
    XDG = "XDG autostart entry"


@dataclass(frozen=True)
class AutostartResult:
    """What ``autostart enable`` or ``disable`` did."""

    kind: AutostartKind
    path: Path
    changed: bool


def daemon_command() -> list[str]:
    """The command line that runs the daemon in the foreground with this Python."""
    return [sys.executable, "-m", "monitor", "start", "--foreground", "--quiet"]


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
    config = platformdirs.user_config_path()
    if kind is AutostartKind.SYSTEMD:
        return config / "systemd" / "user" / UNIT_NAME
    return config / "autostart" / DESKTOP_NAME


def _systemctl(*args: str) -> None:
    try:
        subprocess.run(["systemctl", "--user", *args], check=True, capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("systemctl --user %s failed: %s", " ".join(args), exc)


def enable(kind: AutostartKind | None = None) -> AutostartResult:
    """Write the start-at-login file for this session kind (and enable the unit)."""
    kind = kind or (AutostartKind.SYSTEMD if systemd_runs_session() else AutostartKind.XDG)
    path = _target(kind)
    text = (systemd_unit_text if kind is AutostartKind.SYSTEMD else xdg_entry_text)(daemon_command())
    changed = not path.exists() or path.read_text(encoding="utf-8") != text
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DaemonError(f"cannot write {path}: {exc.strerror or exc}") from None
    if kind is AutostartKind.SYSTEMD:
        _systemctl("daemon-reload")
        _systemctl("enable", UNIT_NAME)
    return AutostartResult(kind, path, changed)


def disable() -> list[AutostartResult]:
    """Remove every start-at-login file unscroll wrote."""
    removed = []
    for kind in AutostartKind:
        path = _target(kind)
        if path.exists():
            if kind is AutostartKind.SYSTEMD:
                _systemctl("disable", UNIT_NAME)
            path.unlink()
            removed.append(AutostartResult(kind, path, True))
    return removed
