"""Opening a file or link with the desktop's own handler, without waiting for it."""

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
                         stderr=subprocess.DEVNULL, start_new_session=True)


def open_with_desktop(target: str) -> bool:
    """Hand ``target`` (a path or an already vetted link) to the desktop; False if that failed."""
    try:
        _launch(target)
    except OSError as exc:
        log.warning("could not open %s: %s", target, exc)
        return False
    return True
