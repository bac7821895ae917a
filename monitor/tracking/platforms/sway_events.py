"""sway's window and workspace events: focus and title changes as they happen.

A second IPC connection sends SUBSCRIBE ``["window", "workspace"]`` and a reader thread
posts to a ChangeHub whenever the focus moves (a window's ``focus`` or ``close``, a
workspace's ``focus``) or the focused window's title changes. The first connection,
which reads the tree, is left alone: events never arrive there.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any

from monitor.tracking.platforms import unix_socket
from monitor.tracking.platforms.changes import ChangeHub
from monitor.tracking.platforms.sway_ipc import HEADER, decode_header, encode, receive_exactly

log = logging.getLogger(__name__)

SUBSCRIBE = 2
WORKSPACE_EVENT = 0x80000000
WINDOW_EVENT = 0x80000003
FOCUS_CHANGES = frozenset({"focus", "close"})


def is_focus_change(event_type: int, payload: Mapping[str, Any]) -> bool:
    """True for an event that can change which window, or which title, has the focus."""
    change = payload.get("change")
    if event_type == WORKSPACE_EVENT:
        return change == "focus"
    if event_type != WINDOW_EVENT:
        return False
    if change in FOCUS_CHANGES:
        return True
    container = payload.get("container")
    return change == "title" and isinstance(container, Mapping) and container.get("focused") is True


class SwayEvents:
    """Reads sway's events on a thread of its own and posts focus changes to ``hub``."""

    def __init__(self, path: str, hub: ChangeHub, *, timeout: float = 5.0) -> None:
        """Subscribe on first ``start``; ``close`` ends the thread."""
        self.path = path
        self.hub = hub
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Connect and subscribe (raises OSError or ValueError when sway will not)."""
        with self._lock:
            if self._sock is not None:  # subscribed, and the reader has not lost it
                return
            sock = unix_socket.connect(self.path, self.timeout)
            try:
                sock.sendall(encode(SUBSCRIBE, json.dumps(["window", "workspace"]).encode()))
                length, _ = decode_header(receive_exactly(sock, HEADER.size))
                reply = json.loads(receive_exactly(sock, length))
                if not isinstance(reply, Mapping) or reply.get("success") is not True:
                    raise ValueError(f"sway refused the subscription: {reply!r}")
                sock.settimeout(None)
            except BaseException:
                sock.close()
                raise
            self._sock = sock
            self._thread = threading.Thread(target=self._read, args=(sock,), daemon=True,
                                            name="unscroll-sway-events")
            self._thread.start()

    def close(self) -> None:
        """Unsubscribe by closing the connection; the reader thread ends with it."""
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            unix_socket.hang_up(sock)

    def _read(self, sock: socket.socket) -> None:
        try:
            while True:
                length, event_type = decode_header(receive_exactly(sock, HEADER.size))
                body = receive_exactly(sock, length)
                seen_at = time.time()
                payload = json.loads(body)
                if isinstance(payload, Mapping) and is_focus_change(event_type, payload):
                    self.hub.post(seen_at)
        except (OSError, ValueError) as err:
            with self._lock:
                lost = self._sock is sock  # not closed on purpose
                if lost:
                    self._sock = None  # the next start subscribes again
            if lost:
                sock.close()
                log.info("sway's events stopped (%s); subscribing again at the next wait", err)
                self.hub.post(time.time())  # let the daemon look now
