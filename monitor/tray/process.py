"""The tray process, ``python -m monitor.tray``: started, fed and stopped by the daemon (monitor.tray.runner).

It runs apart from the daemon so that the daemon stays small: the D-Bus item, its
event loop, the menu and today's query live here, and the daemon only writes a word
down a pipe after each sample.

The pipes, one line a message:

- stdin, from the daemon: ``tick`` after each sample (read today again), ``settings``
  after the settings file was reloaded. End of file (the daemon stopped, or died): the
  tray removes its icon and exits, so it never outlives the daemon.
- stdout, to the daemon: JSON objects: ``{"tray": STATE}`` (``shown``, ``no tray host``,
  ``error: …``: what ``unscroll status`` shows), ``{"quit": true}`` ("Quit unscroll"
  chosen), ``{"log": TEXT, "level": LEVEL}`` (the daemon writes them to its log).

Three threads: the backend's loop on the main thread (pystray needs it there), the
controller's worker (monitor.tray.controller), and one that reads stdin.
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
from typing import IO, Any, Protocol

from monitor.core.errors import UnscrollError
from monitor.core.paths import resolve_paths
from monitor.tray.controller import MENU, STOP, TrayController
from monitor.tray.view import TrayView

log = logging.getLogger(__name__)

WORKER_JOIN_SECONDS = 5.0


class Backend(Protocol):
    """A platform's tray icon: shown from any thread, run on the main thread until stopped."""

    failed: bool

    def show(self, view: TrayView) -> None:
        """Show ``view``."""

    def run(self) -> None:
        """Keep the icon up until ``stop`` (or a failure, with ``failed`` set)."""

    def stop(self) -> None:
        """End ``run``."""


class Reporter:
    """Writes the JSON lines of stdout, one at a time from any thread."""

    def __init__(self, stream: IO[str]) -> None:
        """Write to ``stream``."""
        self.stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        """Write one message; a closed pipe (the daemon gone) is ignored."""
        with self._lock:
            try:
                self.stream.write(json.dumps(message) + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass


class PipeLogHandler(logging.Handler):
    """Log records as ``{"log": …, "level": …}`` lines, for the daemon's log file."""

    def __init__(self, reporter: Reporter) -> None:
        """Send records through ``reporter``."""
        super().__init__()
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        """Send one record (with its traceback, if any)."""
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.reporter.send({"log": text, "level": record.levelname.lower()})


def open_backend(on_choice: Any, report: Any, platform: str = sys.platform) -> Backend:
    """The tray icon of this platform: pystray on Windows and macOS, a StatusNotifierItem elsewhere."""
    if platform in ("win32", "darwin"):
        from monitor.tray.desktop_icon import DesktopIconBackend  # noqa: PLC0415

        return DesktopIconBackend(on_choice, report)
    from monitor.tray.sni import SniBackend  # noqa: PLC0415

    return SniBackend(on_choice, report)


def read_stdin(stream: IO[str], events: queue.Queue[str]) -> None:
    """Queue each line from the daemon; ``STOP`` at the end of the pipe."""
    try:
        for line in stream:
            word = line.strip()
            if word and not word.startswith(MENU):  # menu choices come from the icon, never the pipe
                events.put(word)
    except (OSError, ValueError):
        pass
    events.put(STOP)


def main() -> int:
    """Run the tray until the daemon closes the pipe; 1 when it could not be shown at all."""
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type] # never used: keeps OpenSSL out, as in the daemon
    reporter = Reporter(sys.stdout)
    root = logging.getLogger()
    root.addHandler(PipeLogHandler(reporter))
    root.setLevel(logging.INFO)
    events: queue.Queue[str] = queue.Queue()
    backend = open_backend(lambda key: events.put(MENU + key), lambda state: reporter.send({"tray": state}))
    try:
        controller = TrayController(resolve_paths(), backend.show, reporter.send, events.put)
    except UnscrollError as exc:
        reporter.send({"tray": f"error: {exc.message}"})
        return 1
    root.setLevel(controller.settings.log_level.upper())
    threading.Thread(target=read_stdin, args=(sys.stdin, events), name="unscroll-tray-pipe",
                     daemon=True).start()
    worker = threading.Thread(target=controller.run, args=(events, backend.stop), name="unscroll-tray",
                              daemon=True)
    worker.start()
    backend.run()
    events.put(STOP)
    worker.join(WORKER_JOIN_SECONDS)
    return 1 if backend.failed else 0
