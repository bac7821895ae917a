"""Idle time on wlroots compositors (sway, Hyprland) through a Wayland idle protocol.

Wayland has no idle counter to query: a client asks to be told when the seat has had no
input for a while (``ext_idle_notifier_v1``, or the older ``org_kde_kwin_idle`` that
Debian 12's sway 1.7 offers) and is then sent "idle" and "resumed" events. This module
speaks just enough of the Wayland wire protocol to do that with the socket module: bind
``wl_seat`` and the idle manager from the registry, ask for a notification after
``timeout_ms`` without input, and note the time of each event in a reader thread. Idle
seconds are then "time since the idle event, plus the timeout", and 0 while the user is
active (so they are exact to ``timeout_ms``). A compositor honours idle inhibitors (a
playing video), which then keep the user active, as they should.

Wire format: every message is ``object id (u32), size << 16 | opcode (u32), arguments``
in native byte order; strings are a u32 length (with the NUL), the bytes, a NUL, padded
to 4 bytes. No file descriptors are passed by the messages used here.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import unix_socket
from monitor.tracking.platforms.idle_notice import idle_unknown

log = logging.getLogger(__name__)

IDLE_MANAGERS = ("ext_idle_notifier_v1", "org_kde_kwin_idle")
"""Idle protocols understood, preferred first."""

DEFAULT_TIMEOUT_MS = 1000
"""After this long without input the compositor reports idle: the resolution of idle_seconds."""

_HEADER = struct.Struct("=II")
_U32 = struct.Struct("=I")

# object ids this client allocates, in order (wl_display is always 1)
_DISPLAY, _REGISTRY, _CALLBACK, _SEAT, _MANAGER, _NOTIFICATION = 1, 2, 3, 4, 5, 6


def socket_path(environ: Mapping[str, str]) -> str | None:
    """The compositor's socket as libwayland finds it: WAYLAND_DISPLAY in XDG_RUNTIME_DIR."""
    display = environ.get("WAYLAND_DISPLAY") or "wayland-0"
    if Path(display).is_absolute():
        return display
    runtime = environ.get("XDG_RUNTIME_DIR")
    return str(Path(runtime, display)) if runtime else None


def encode_uint(value: int) -> bytes:
    """A ``uint``, ``object`` or ``new_id`` argument."""
    return _U32.pack(value)


def encode_string(text: str) -> bytes:
    """A ``string`` argument: length with the NUL, the UTF-8 bytes, NUL, padding to 4."""
    data = text.encode() + b"\0"
    return _U32.pack(len(data)) + data + b"\0" * (-len(data) % 4)


def encode_message(object_id: int, opcode: int, *args: bytes) -> bytes:
    """One request: header and the already encoded arguments."""
    body = b"".join(args)
    return _HEADER.pack(object_id, (_HEADER.size + len(body)) << 16 | opcode) + body


@dataclass(frozen=True)
class Event:
    """One message from the compositor."""

    object_id: int
    opcode: int
    payload: bytes


def take_events(buffer: bytearray) -> list[Event]:
    """Remove every complete message from the front of ``buffer`` and return them."""
    events = []
    while len(buffer) >= _HEADER.size:
        object_id, size_opcode = _HEADER.unpack_from(buffer)
        size = size_opcode >> 16
        if size < _HEADER.size:
            raise ValueError(f"malformed Wayland message (size {size})")
        if len(buffer) < size:
            break
        events.append(Event(object_id, size_opcode & 0xFFFF, bytes(buffer[_HEADER.size:size])))
        del buffer[:size]
    return events


def read_uint(payload: bytes, offset: int) -> tuple[int, int]:
    """A u32 at ``offset`` and the offset after it."""
    return _U32.unpack_from(payload, offset)[0], offset + 4


def read_string(payload: bytes, offset: int) -> tuple[str, int]:
    """A string argument at ``offset`` and the offset after it (padding included)."""
    length, offset = read_uint(payload, offset)
    raw = payload[offset:offset + length]
    padded = length + (-length % 4)
    return raw.rstrip(b"\0").decode(errors="replace"), offset + padded


class WaylandIdleClock:
    """Seconds since the last input on the first seat of one Wayland compositor."""

    def __init__(self, path: str, *, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                 connect_timeout: float = 5.0) -> None:
        self.path = path
        self.timeout_ms = timeout_ms
        self.connect_timeout = connect_timeout
        self.protocol: str | None = None
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._idle_since: float | None = None
        self._lost: str | None = None
        self._reader: threading.Thread | None = None
        self.on_resumed: Callable[[float], None] | None = None
        """Called (on the reader thread) with the time of the input that ended an idle stretch."""

    def start(self) -> str | None:
        """Connect and subscribe; the idle protocol used, or None when the compositor has none.

        Raises PlatformUnavailable when the compositor cannot be reached.
        """
        try:
            sock = unix_socket.connect(self.path, self.connect_timeout)
        except OSError as err:
            raise PlatformUnavailable(f"cannot reach the Wayland compositor at {self.path}: {err}") from err
        try:
            globals_ = self._registry(sock)
        except (OSError, ValueError) as err:
            sock.close()
            raise PlatformUnavailable(f"cannot reach the Wayland compositor at {self.path}: {err}") from err
        seat = next((g for g in globals_ if g[1] == "wl_seat"), None)
        manager = next((g for name in IDLE_MANAGERS for g in globals_ if g[1] == name), None)
        if seat is None or manager is None:
            sock.close()
            return None
        interface = manager[1]
        requests = [
            encode_message(_REGISTRY, 0, encode_uint(seat[0]), encode_string("wl_seat"),
                           encode_uint(1), encode_uint(_SEAT)),
            encode_message(_REGISTRY, 0, encode_uint(manager[0]), encode_string(interface),
                           encode_uint(1), encode_uint(_MANAGER)),
        ]
        if interface == "ext_idle_notifier_v1":  # get_idle_notification(id, timeout, seat)
            requests.append(encode_message(_MANAGER, 1, encode_uint(_NOTIFICATION),
                                           encode_uint(self.timeout_ms), encode_uint(_SEAT)))
        else:  # org_kde_kwin_idle.get_idle_timeout(id, seat, timeout)
            requests.append(encode_message(_MANAGER, 0, encode_uint(_NOTIFICATION),
                                           encode_uint(_SEAT), encode_uint(self.timeout_ms)))
        try:
            sock.sendall(b"".join(requests))
        except OSError as err:
            sock.close()
            raise PlatformUnavailable(f"lost the Wayland compositor at {self.path}: {err}") from err
        sock.settimeout(None)
        self._sock = sock
        self.protocol = interface
        self._reader = threading.Thread(target=self._read_events, name="unscroll-wayland-idle",
                                        daemon=True)
        self._reader.start()
        log.debug("watching idle time through %s on %s", interface, self.path)
        return interface

    def _registry(self, sock: socket.socket) -> list[tuple[int, str, int]]:
        """Every global the compositor offers, as (name, interface, version), after a roundtrip."""
        sock.sendall(encode_message(_DISPLAY, 1, encode_uint(_REGISTRY))
                     + encode_message(_DISPLAY, 0, encode_uint(_CALLBACK)))
        found: list[tuple[int, str, int]] = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise ValueError("the compositor closed the connection")
            self._buffer.extend(chunk)
            for event in take_events(self._buffer):
                if event.object_id == _REGISTRY and event.opcode == 0:  # global
                    name, offset = read_uint(event.payload, 0)
                    interface, offset = read_string(event.payload, offset)
                    version, _ = read_uint(event.payload, offset)
                    found.append((name, interface, version))
                elif event.object_id == _CALLBACK and event.opcode == 0:  # done
                    return found
                elif event.object_id == _DISPLAY and event.opcode == 0:
                    raise ValueError(self._protocol_error(event.payload))

    @staticmethod
    def _protocol_error(payload: bytes) -> str:
        object_id, offset = read_uint(payload, 0)
        code, offset = read_uint(payload, offset)
        message, _ = read_string(payload, offset)
        return f"protocol error {code} on object {object_id}: {message}"

    def _read_events(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            for event in take_events(self._buffer):  # what came with the registry's reply
                self._handle(event)
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("the compositor closed the connection")
                self._buffer.extend(chunk)
                for event in take_events(self._buffer):
                    self._handle(event)
        except (OSError, ValueError) as err:
            with self._lock:
                if self._sock is not None:  # not closed on purpose
                    self._lost = f"lost the Wayland compositor at {self.path}: {err}"

    def _handle(self, event: Event) -> None:
        if event.object_id == _NOTIFICATION:
            with self._lock:
                if event.opcode == 0:  # idled / idle
                    self._idle_since = time.monotonic() - self.timeout_ms / 1000.0
                elif event.opcode == 1:  # resumed
                    self._idle_since = None
                    if self.on_resumed is not None:
                        self.on_resumed(time.time())
        elif event.object_id == _DISPLAY and event.opcode == 0:
            raise ValueError(self._protocol_error(event.payload))

    def idle_seconds(self) -> float:
        """Seconds without input (0 while the user was active within the last timeout)."""
        with self._lock:
            if self._lost is not None:
                raise PlatformUnavailable(self._lost)
            if self._idle_since is None:
                return 0.0
            return max(0.0, time.monotonic() - self._idle_since)

    def close(self) -> None:
        """Disconnect; the reader thread ends with the socket."""
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            unix_socket.hang_up(sock)
        if self._reader is not None:
            self._reader.join(2.0)
            self._reader = None


class CompositorIdle:
    """Idle seconds for a backend: the idle protocol started on first use, else unknown (0, logged once)."""

    def __init__(self, backend: str, path: str | None) -> None:
        self.backend = backend
        self.path = path
        self._lock = threading.Lock()
        self._clock: WaylandIdleClock | None = None
        self._missing: str | None = None
        self._on_resumed: Callable[[float], None] | None = None

    def idle_seconds(self) -> float:
        """Seconds since the last input, or 0 when the compositor has no idle protocol."""
        with self._lock:
            if self._clock is None and self._missing is None:
                if self.path is None:
                    self._missing = ("WAYLAND_DISPLAY and XDG_RUNTIME_DIR do not name the "
                                     "compositor's socket")
                else:
                    clock = WaylandIdleClock(self.path)
                    clock.on_resumed = self._on_resumed
                    if clock.start() is None:
                        self._missing = ("the compositor offers neither ext_idle_notifier_v1 "
                                         "nor org_kde_kwin_idle")
                    else:
                        self._clock = clock
            if self._clock is not None:
                return self._clock.idle_seconds()
        return idle_unknown(self.backend, self._missing or "no idle source")

    def when_resumed(self, callback: Callable[[float], None] | None) -> None:
        """Call ``callback(time)`` when input ends an idle stretch (None: no longer)."""
        with self._lock:
            self._on_resumed = callback
            if self._clock is not None:
                self._clock.on_resumed = callback

    def close(self) -> None:
        """Disconnect; the next call starts again."""
        with self._lock:
            clock, self._clock = self._clock, None
            self._missing = None
        if clock is not None:
            clock.close()
