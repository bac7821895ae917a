"""Connecting to a compositor's UNIX domain socket (Linux and BSD; Windows has none to offer)."""

from __future__ import annotations

import contextlib
import socket
import sys

if sys.platform == "win32":

    def connect(path: str, timeout: float | None) -> socket.socket:
        """Windows: there is no compositor socket to reach."""
        raise OSError(f"cannot connect to {path}: UNIX domain sockets are not available on Windows")

else:

    def connect(path: str, timeout: float | None) -> socket.socket:
        """A stream socket connected to ``path``; OSError when nothing listens there."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
        except BaseException:
            sock.close()
            raise
        return sock


def hang_up(sock: socket.socket) -> None:
    """Shut ``sock`` down and close it: a thread blocked reading it returns at once."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
