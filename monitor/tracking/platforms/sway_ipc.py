"""The i3/sway IPC protocol over the compositor's UNIX socket ($SWAYSOCK), with no dependency.

A message is the magic ``i3-ipc``, the payload length and the message type (both u32 in
native byte order), then the payload; a reply has the same header with the type asked
for. Event messages (type with the high bit set) only come after SUBSCRIBE, which only
the second connection of ``sway_events`` sends.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import unix_socket

MAGIC = b"i3-ipc"
HEADER = struct.Struct("=6sII")

RUN_COMMAND = 0
GET_TREE = 4
GET_VERSION = 7

MAX_PAYLOAD = 64 * 1024 * 1024
"""A reply longer than this is taken for a broken stream, not a tree."""


def encode(message_type: int, payload: bytes = b"") -> bytes:
    """One message: header and payload."""
    return HEADER.pack(MAGIC, len(payload), message_type) + payload


def decode_header(header: bytes) -> tuple[int, int]:
    """(payload length, message type) from the 14 header bytes; ValueError when not i3-ipc."""
    magic, length, message_type = HEADER.unpack(header)
    if magic != MAGIC:
        raise ValueError(f"not an i3-ipc reply (starts with {magic!r})")
    if length > MAX_PAYLOAD:
        raise ValueError(f"i3-ipc reply of {length} bytes is implausibly long")
    return length, message_type


def receive_exactly(sock: socket.socket, count: int) -> bytes:
    """``count`` bytes from ``sock``; ConnectionError when it closes first."""
    chunks = bytearray()
    while len(chunks) < count:
        chunk = sock.recv(min(count - len(chunks), 1 << 20))
        if not chunk:
            raise ConnectionError("the compositor closed the IPC connection")
        chunks.extend(chunk)
    return bytes(chunks)


class IpcConnection:
    """One connection to an i3-ipc socket; a failed request drops it (the next one reconnects)."""

    def __init__(self, path: str, *, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def request(self, message_type: int, payload: bytes = b"") -> bytes:
        """Send one message and return its reply's payload; PlatformUnavailable when it fails."""
        with self._lock:
            try:
                if self._sock is None:
                    self._sock = unix_socket.connect(self.path, self.timeout)
                self._sock.sendall(encode(message_type, payload))
                while True:
                    length, reply_type = decode_header(receive_exactly(self._sock, HEADER.size))
                    body = receive_exactly(self._sock, length)
                    if reply_type == message_type:
                        return body
                    # an event (high bit set) or a stray reply: skip it
            except (OSError, ValueError) as err:
                self._close_locked()
                detail = "no reply in time" if isinstance(err, TimeoutError) else str(err)
                raise PlatformUnavailable(f"cannot talk to the compositor over {self.path}: "
                                          f"{detail}") from err

    def request_json(self, message_type: int, payload: bytes = b"") -> Any:
        """A request whose reply is JSON (every sway reply is)."""
        body = self.request(message_type, payload)
        try:
            return json.loads(body)
        except ValueError as err:
            raise PlatformUnavailable(f"the compositor at {self.path} sent a reply that is not "
                                      f"JSON: {err}") from err

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
