"""Deadlines for X requests: the X socket is shut down when a request takes too long.

python-xlib blocks in ``select``/``recv`` for as long as the server takes; a stopped or
wedged server would hang the daemon. One watchdog thread watches every armed deadline.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class Watchdog:
    """One thread that watches every armed deadline, instead of a timer thread per request.

    Starting a thread costs more CPU than the X request it guards, and the daemon makes
    several requests each sample. The watchdog sleeps until the earliest deadline and is
    woken only when a new one is earlier than that, so with requests every few seconds and
    one timeout it wakes about once a timeout.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, Deadline] = {}
        self._wake_at: float | None = None
        """When the thread's wait ends; None while it waits for a first deadline."""
        self._thread: threading.Thread | None = None

    def arm(self, deadline: Deadline) -> None:
        """Watch ``deadline`` (starting the thread on first use)."""
        with self._cond:
            self._armed[id(deadline)] = deadline
            if self._thread is None or not self._thread.is_alive():
                self._wake_at = None
                self._thread = threading.Thread(target=self._watch, name="unscroll-x11-deadlines",
                                                daemon=True)
                self._thread.start()
            elif self._wake_at is None or deadline.due < self._wake_at:
                self._cond.notify()

    def disarm(self, deadline: Deadline) -> None:
        """Stop watching ``deadline``: its request has ended."""
        with self._cond:
            self._armed.pop(id(deadline), None)

    def _watch(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for late in [d for d in self._armed.values() if d.due <= now]:
                    del self._armed[id(late)]
                    late.fire()
                self._wake_at = min((d.due for d in self._armed.values()), default=None)
                self._cond.wait(None if self._wake_at is None else self._wake_at - now)


_WATCHDOG = Watchdog()


class Deadline:
    """Shut the X socket down if the request in progress takes longer than ``timeout``.

    A shut-down socket makes python-xlib's blocked ``select``/``recv`` return at once, and
    python-xlib then raises ConnectionClosedError in the waiting thread. After the block
    ends the deadline can no longer fire.
    """

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self.due = 0.0
        self.fired = False

    def fire(self) -> None:
        """Called by the watchdog (holding its lock) when the deadline has passed."""
        self.fired = True
        with contextlib.suppress(OSError):  # already closed
            self._sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> Deadline:
        self.due = time.monotonic() + self._timeout
        _WATCHDOG.arm(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHDOG.disarm(self)
