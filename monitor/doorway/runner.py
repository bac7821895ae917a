"""Running the doorway window in a short-lived child process and hearing its answer.

The child (``python -m monitor.doorway.window``) gets the view on stdin and answers on
stdout. A thread of ours waits for it, with a deadline a little past the window's own
timeout, and hands the answer (or the reason there is none) to the caller's callbacks.
Only one window runs at a time; ``close`` ends it when the daemon stops.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable

from monitor.doorway.view import NO_ANSWER, DoorwayAnswer, DoorwayView

log = logging.getLogger(__name__)

GRACE_SECONDS = 10.0
"""How long past the window's own timeout the child may take before it is ended."""
NO_TK_STATUS = 3
"""The child's exit status when Tk or the display is missing (see ``window.main``)."""


class DoorwayRunner:
    """Starts the window process and reports back on a thread of its own."""

    def __init__(self, python: str = sys.executable) -> None:
        """Run the window with the interpreter ``python`` (the daemon's own by default)."""
        self.python = python
        self._child: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._closing = False

    @property
    def running(self) -> bool:
        """Whether a doorway window is on screen (or starting)."""
        with self._lock:
            return self._child is not None

    def open(self, view: DoorwayView, on_answer: Callable[[DoorwayAnswer], None],
             on_unavailable: Callable[[str], None]) -> bool:
        """Start the window for ``view``; False when one is already up or it cannot start."""
        with self._lock:
            if self._child is not None:
                return False
            try:
                self._child = subprocess.Popen(
                    [self.python, "-m", "monitor.doorway.window"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
            except OSError as exc:
                on_unavailable(f"cannot start the doorway window: {exc}")
                return False
            child = self._child
        thread = threading.Thread(target=self._wait, name="doorway", daemon=True,
                                  args=(child, view, on_answer, on_unavailable))
        thread.start()
        return True

    def _wait(self, child: subprocess.Popen[str], view: DoorwayView,
              on_answer: Callable[[DoorwayAnswer], None], on_unavailable: Callable[[str], None]) -> None:
        try:
            out, err = child.communicate(json.dumps(view.to_json()) + "\n",
                                         timeout=view.timeout_seconds + GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
        except (OSError, ValueError) as exc:  # the pipe closed under us: the daemon is stopping
            out, err = "", str(exc)
        finally:
            with self._lock:
                self._child = None
        answer = DoorwayAnswer(NO_ANSWER) if self._closing else self._read_answer(child.returncode, out, err)
        if isinstance(answer, DoorwayAnswer):
            on_answer(answer)
        else:
            on_unavailable(answer)

    @staticmethod
    def _read_answer(status: int | None, out: str, err: str) -> DoorwayAnswer | str:
        """The child's answer, or the reason (a line for the log) there is none."""
        reason = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
        if status != 0:
            if status == NO_TK_STATUS:
                return reason
            return f"the doorway window failed ({reason})"
        try:
            return DoorwayAnswer.from_json(json.loads(out.strip().splitlines()[-1]))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            return f"the doorway window gave no answer ({exc})"

    def close(self) -> None:
        """End the window, if one is up (the daemon is stopping): it counts as no answer."""
        with self._lock:
            child = self._child
            self._closing = True
        if child is not None and child.poll() is None:
            child.terminate()
