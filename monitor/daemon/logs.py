"""Logging for the daemon: a private rotating log file, and stderr in the foreground."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir, make_private_file

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 3


def setup_logging(log_file: Path, level: str, *, to_stderr: bool) -> None:
    """Send unscroll's log records to ``log_file`` (0600, rotated) and optionally stderr."""
    ensure_private_dir(log_file.parent)
    if not log_file.exists():
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    for existing in (log_file, *log_file.parent.glob(log_file.name + ".*")):
        make_private_file(existing)  # a log left by an older version, or copied in, stays private
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                             encoding="utf-8")
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
