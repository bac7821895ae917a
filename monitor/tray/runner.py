"""The daemon's side of the tray: starting the tray process, telling it of each sample, hearing it.

The tray runs as a process of its own (``python -m monitor.tray``, monitor.tray.process)
so that the daemon stays under its memory budget: its D-Bus connection, event loop,
menu and queries cost the daemon nothing but one pipe and one thread.

- ``follow(enabled)`` at start and after each settings reload: starts or stops the
  process for ``[tray] enabled``; otherwise tells it the settings changed.
- ``notify()`` after each sample writes ``tick`` down the pipe: the tray reads today again
  at once, so it is never more than one sample behind, and it never polls the store.
  The write never blocks the sampling thread (a busy tray just misses a tick).
- A thread reads what the process says: its state (kept in the store for ``unscroll
  status``, monitor.tray.standing), "Quit unscroll" (calls ``on_quit``), log lines.
- A process that ends on its own is started again after ``RESTART_FIRST`` seconds,
  doubling to ``RESTART_MAX`` while it keeps failing (no session bus yet, say).
- ``close()`` closes the pipe (the tray removes its icon and exits), then ends it if it lingers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from monitor.core.errors import StoreError
from monitor.core.paths import CONFIG_ENV, DATA_ENV, Paths
from monitor.store.database import Store
from monitor.tray.standing import ERROR_PREFIX, OFF, SHOWN, STARTING, TrayStanding, write_standing

log = logging.getLogger(__name__)
tray_log = logging.getLogger("monitor.tray.process")

RESTART_FIRST = 30.0
RESTART_MAX = 600.0
CLOSE_SECONDS = 3.0
"""How long the tray process may take to leave the bus after its pipe closed."""
WINDOWS_NO_WINDOW = 0x08000000
"""``subprocess.CREATE_NO_WINDOW`` (Windows only): no console window for the tray process."""
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR,
          "critical": logging.CRITICAL}


class TrayRunner:
    """Starts and stops the tray process for the daemon, and relays between them."""

    def __init__(self, paths: Paths, on_quit: Callable[[], None], *, python: str = sys.executable,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """Run the tray for ``paths`` with the interpreter ``python``; "Quit unscroll" calls ``on_quit``."""
        self.paths = paths
        self.on_quit = on_quit
        self.python = python
        self.clock = clock
        self.state: str | None = None
        self._enabled: bool | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closing = False
        self._retry_at: float | None = None
        self._backoff = RESTART_FIRST

    # --- steering ------------------------------------------------------------------------
    def follow(self, enabled: bool) -> None:
        """Start or stop the tray for ``[tray] enabled``; tell a running one that the settings changed."""
        was, self._enabled = self._enabled, enabled
        if enabled and not was:
            self.start()
        elif not enabled and was is not False:
            self._end_child()
            self._record(OFF)
            if was:
                log.info("tray turned off in the settings")
        elif enabled:
            self._send(b"settings\n")

    def notify(self) -> None:
        """A sample was taken: tell the tray (or start it again, once its retry is due)."""
        with self._lock:
            running = self._child is not None
            due = self._retry_at is not None and self.clock() >= self._retry_at
        if running:
            self._send(b"tick\n")
        elif due and self._enabled and not self._closing:
            self.start()

    @property
    def running(self) -> bool:
        """Whether the tray process runs."""
        with self._lock:
            return self._child is not None

    def start(self) -> bool:
        """Start the tray process (once); False when it could not be started."""
        env = {**os.environ, CONFIG_ENV: str(self.paths.config_file), DATA_ENV: str(self.paths.data_dir)}
        no_window = WINDOWS_NO_WINDOW if sys.platform == "win32" else 0
        problem: str | None = None
        with self._lock:
            if self._child is not None or self._closing:
                return False
            self._retry_at = None
            try:
                child = subprocess.Popen([self.python, "-m", "monitor.tray"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                         close_fds=True, creationflags=no_window)
            except OSError as exc:
                self._retry_later()
                problem = f"{ERROR_PREFIX}cannot start the tray process ({exc})"
            else:
                self._child = child
                if child.stdin is not None and sys.platform != "win32":
                    os.set_blocking(child.stdin.fileno(), False)
        if problem is not None:
            self._record(problem)
            return False
        self._record(STARTING)
        threading.Thread(target=self._hear, args=(child,), name="unscroll-tray-pipe", daemon=True).start()
        return True

    def close(self) -> None:
        """The daemon is stopping: close the pipe, let the tray leave, end it if it lingers."""
        with self._lock:
            self._closing = True
        self._end_child()

    # --- the pipe ------------------------------------------------------------------------
    def _send(self, line: bytes) -> None:
        with self._lock:
            child = self._child
        if child is None or child.stdin is None:
            return
        try:
            os.write(child.stdin.fileno(), line)  # shorter than PIPE_BUF: all of it, or EAGAIN
        except BlockingIOError:
            pass  # the tray is busy; the next sample tells it again
        except (OSError, ValueError):
            pass  # it is gone: _hear sees its end

    def _hear(self, child: subprocess.Popen[bytes]) -> None:
        """Read the tray's lines until it ends; then record why and plan a restart."""
        assert child.stdout is not None
        last_error: str | None = None
        for raw in child.stdout:
            said = self._heard(raw.decode("utf-8", "replace").rstrip())
            if said is not None and said.startswith(ERROR_PREFIX):
                last_error = said
        status = child.wait()
        wait = 0.0
        with self._lock:
            if self._child is child:
                self._child = None
            ended_on_purpose = self._closing or not self._enabled
            if not ended_on_purpose:
                self._retry_later()
                wait = self._retry_at - self.clock() if self._retry_at is not None else 0.0
        if ended_on_purpose:
            return
        problem = last_error or f"{ERROR_PREFIX}the tray process ended (exit status {status})"
        self._record(problem)
        log.warning("tray: %s; starting it again in %.0f s", problem.removeprefix(ERROR_PREFIX), wait)

    def _heard(self, line: str) -> str | None:
        """Act on one line from the tray; return the state it reported, if it was one."""
        if not line:
            return None
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise TypeError(line)
        except (ValueError, TypeError):
            tray_log.warning("%s", line)  # not ours: a crash's traceback on stderr
            return None
        if "log" in message:
            tray_log.log(LEVELS.get(str(message.get("level")), logging.INFO), "%s", message["log"])
        if message.get("quit") is True:
            log.info("Quit unscroll chosen in the tray: stopping")
            self.on_quit()
        state = message.get("tray")
        if isinstance(state, str):
            self._record(state)
            if state == SHOWN:
                with self._lock:
                    self._backoff = RESTART_FIRST
            return state
        return None

    def _retry_later(self) -> None:
        """Plan the next start (the lock is held)."""
        self._retry_at = self.clock() + self._backoff
        self._backoff = min(self._backoff * 2, RESTART_MAX)

    def _end_child(self) -> None:
        with self._lock:
            child = self._child
        if child is None:
            return
        if child.stdin is not None:
            with contextlib.suppress(OSError):
                child.stdin.close()
        try:
            child.wait(CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            child.terminate()
            try:
                child.wait(CLOSE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        with self._lock:
            if self._child is child:
                self._child = None

    def _record(self, state: str) -> None:
        """Keep the state for ``unscroll status`` (a store that cannot be written: logged, kept in memory)."""
        self.state = state
        try:
            with Store(self.paths.database) as store, store.transaction():
                write_standing(store, TrayStanding(state, time.time()))
        except StoreError as exc:
            log.warning("the tray's state (%s) could not be kept for `unscroll status`: %s", state, exc)
