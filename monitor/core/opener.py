"""Opening a file or link with the desktop's own handler, without waiting for it.

The handler (``xdg-open``, macOS ``open``, Windows' file associations) is started
detached: in a session of its own, with no standard input or output of ours, and never
waited on. A viewer it starts therefore neither holds the caller (a command returns to
the prompt at once, a pipe reading its output ends) nor dies with the terminal.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

log = logging.getLogger(__name__)


if sys.platform == "win32":  # pragma: no cover - Windows only

    def _launch(target: str) -> None:
        os.startfile(target)  # noqa: S606

else:

    def _launch(target: str) -> None:
        command = ["open", target] if sys.platform == "darwin" else ["xdg-open", target]
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


def start_viewer(target: str) -> None:
    """Hand ``target`` (a path or an already vetted link) to the desktop, detached; never waits.

    Raises OSError when the handler cannot be started (e.g. no ``xdg-open`` installed).
    """
    _launch(target)


def open_with_desktop(target: str) -> bool:
    """Hand ``target`` (a path or an already vetted link) to the desktop; False if that failed."""
    try:
        start_viewer(target)
    except OSError as exc:
        log.warning("could not open %s: %s", target, exc)
        return False
    return True
