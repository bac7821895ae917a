"""The single-instance lock: an exclusive lock on a file in the data folder holding the pid."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from monitor.paths import PRIVATE_FILE_MODE, ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class InstanceLock:
    """Held by the running daemon for its whole life; released by the OS if it dies."""

    def __init__(self, path: Path) -> None:
        """Prepare a lock at ``path`` (not yet taken)."""
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock and write our pid; False if another process holds it."""
        ensure_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        self._fd = fd
        return True

    def release(self) -> None:
        """Give the lock up."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None


def holder_pid(path: Path) -> int | None:
    """The pid of the process holding the lock at ``path``, or None when nobody holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                text = os.read(fd, 32).decode(errors="replace").strip()
                return int(text) if text.isdigit() else -1
            fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
