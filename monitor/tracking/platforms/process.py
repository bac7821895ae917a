"""Process names for the backends that learn a window's pid from the desktop.

On Linux the name is read from ``/proc`` directly, the way psutil reads it: the kernel's
name (cut to 15 characters), extended to the program's name from the command line when
that is the longer form of it ("gnome-keyring-d" → "gnome-keyring-daemon"). The daemon
asks for it once per new window, and importing psutil for that would keep 0.9 MB
resident all day. Elsewhere psutil answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

KERNEL_NAME_LENGTH = 15
"""Linux keeps a process's name to this many characters (TASK_COMM_LEN - 1)."""


def process_name(pid: int | None) -> str | None:
    """The name of process ``pid``, or None when there is no pid or it is gone or hidden."""
    if pid is None or pid <= 0:
        return None
    if sys.platform == "linux":
        return _linux_process_name(pid)
    else:  # noqa: RET505 - the two branches are the two systems (mypy checks each platform)
        return _psutil_process_name(pid)


def _linux_process_name(pid: int, proc: Path = Path("/proc")) -> str | None:
    try:
        name = os.fsdecode((proc / str(pid) / "comm").read_bytes().removesuffix(b"\n"))
    except OSError:  # gone (or another user's, hidden by hidepid)
        return None
    if len(name) >= KERNEL_NAME_LENGTH:
        program = _program(proc / str(pid) / "cmdline")
        if program and program.startswith(name):
            return program
    return name or None


def _program(cmdline: Path) -> str | None:
    """The base name of a process's program from its command line (as psutil splits it)."""
    try:
        data = cmdline.read_bytes()
    except OSError:
        return None
    separator = b"\0" if data.endswith(b"\0") else b" "
    arguments = data.removesuffix(separator).split(separator)
    if separator == b"\0" and len(arguments) == 1 and b" " in arguments[0]:
        arguments = arguments[0].split(b" ")  # a program that rewrote its title into one argument
    return Path(os.fsdecode(arguments[0])).name or None


def _psutil_process_name(pid: int) -> str | None:
    import psutil  # noqa: PLC0415 - macOS and Windows only

    try:
        return psutil.Process(pid).name() or None
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        # ZombieProcess is a NoSuchProcess: the window's process exited after we read its pid.
        return None


def app_name(pid: int | None, *fallbacks: str | None) -> str:
    """The app to record: the process name, else the first non-empty fallback, else "unknown"."""
    name = process_name(pid)
    if name:
        return name
    for candidate in fallbacks:
        if candidate:
            return candidate
    return "unknown"
