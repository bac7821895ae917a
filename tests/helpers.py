"""Small helpers shared by the tests: polling with a deadline instead of sleeping."""

from __future__ import annotations

import os
import signal
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 10.0, interval: float = 0.05,
               message: str = "condition") -> T:
    """Call ``check`` until it returns something truthy; fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def assert_private(path: Path) -> None:
    """``path`` is for its owner's eyes only: mode 0600 for a file, 0700 for a folder.

    Windows has no such modes; there a user's files are private by living in their profile
    (whose ACL admits that user alone), so the check there is that ``path`` is inside it.
    """
    if sys.platform == "win32":
        profile = Path(os.environ["USERPROFILE"]).resolve()
        assert path.resolve().is_relative_to(profile), f"{path} is outside the user's profile {profile}"
        return
    wanted = 0o700 if path.is_dir() else 0o600
    actual = stat.S_IMODE(path.stat().st_mode)
    assert actual == wanted, f"{path} has mode {actual:o}, not {wanted:o}"


def ctrl_c_as_in_a_terminal() -> None:
    """For ``preexec_fn``: SIGINT as a terminal gives it. A suite started in the background
    (``cmd &``) ignores SIGINT, the ignore is inherited, and a child would never see a test's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
