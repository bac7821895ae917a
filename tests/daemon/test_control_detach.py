"""``unscroll start`` detaches the daemon from the terminal that started it, on each system."""

from __future__ import annotations

import subprocess
import sys

import pytest

from monitor.daemon.control import WINDOWS_DETACHED_PROCESS, WINDOWS_NEW_PROCESS_GROUP, detached_options


@pytest.mark.skipif(sys.platform == "win32", reason="sessions are POSIX's")
def test_the_daemon_process_leads_its_own_session():
    probe = "import os; print(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          **detached_options())
    assert done.stdout.split() == ["True", "True"]


def test_windows_flags_without_windows():
    """The flags as Windows would get them; on a Windows runner, checked against subprocess's own."""
    options = detached_options("win32")
    assert options == {"creationflags": WINDOWS_DETACHED_PROCESS | WINDOWS_NEW_PROCESS_GROUP}
    if sys.platform == "win32":
        assert WINDOWS_DETACHED_PROCESS == subprocess.DETACHED_PROCESS
        assert WINDOWS_NEW_PROCESS_GROUP == subprocess.CREATE_NEW_PROCESS_GROUP
