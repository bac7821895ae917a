"""Logging for the daemon: a private rotating log file, and stderr in the foreground."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir, make_private_file

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 3


class RotatingLog(logging.FileHandler):
    """A log file rotated by size: ``unscroll.log`` moves to ``.1``, ``.1`` to ``.2``, and so on.

    What logging.handlers.RotatingFileHandler does; that module also imports pickle and
    socket for its network handlers, about 1.2 MB of the daemon's memory for nothing.
    The oldest of ``backups`` files is dropped. Created files get the process's umask
    (the daemon's is 0077).
    """

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        """Append to ``path``; rotate before a record once it holds ``max_bytes``."""
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record``, rotating first when the file is full."""
        try:
            if self.stream is not None and self.stream.seek(0, os.SEEK_END) >= self.max_bytes:
                self._rotate()
        except OSError:
            self.handleError(record)
        super().emit(record)

    def _rotate(self) -> None:
        """Close the full file and shift the backups by one (FileHandler reopens on the next emit)."""
        self.close()
        base = Path(self.baseFilename)
        for number in range(self.backups - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                older.replace(base.with_name(f"{base.name}.{number + 1}"))
        if self.backups > 0:
            base.replace(base.with_name(base.name + ".1"))
        else:
            base.unlink(missing_ok=True)
        self._closed = False  # reopened by FileHandler.emit


def setup_logging(log_file: Path, level: str, *, to_stderr: bool) -> None:
    """Send unscroll's log records to ``log_file`` (0600, rotated) and optionally stderr."""
    ensure_private_dir(log_file.parent)
    if not log_file.exists():
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    for existing in (log_file, *log_file.parent.glob(log_file.name + ".*")):
        make_private_file(existing)  # a log left by an older version, or copied in, stays private
    handlers: list[logging.Handler] = [
        RotatingLog(log_file, max_bytes=MAX_BYTES, backups=BACKUPS)
    ]
    if to_stderr:
        handlers.append(logging.StreamHandler())
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(level.upper())
