"""The Wayland idle client: wire codec, and both idle protocols against a fake compositor.

Debian's sway (tests/desktop/test_sway.py) offers only org_kde_kwin_idle; the fake
compositor here also offers ext_idle_notifier_v1 (sway ≥ 1.8, Hyprland), checks the
requests byte for byte against the protocol XML's argument order, and sends the events.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

if sys.platform == "win32":
    pytest.skip("UNIX domain sockets: Linux, BSD and macOS only", allow_module_level=True)

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import idle_notice
from monitor.tracking.platforms.wayland_idle import (
    CompositorIdle,
    WaylandIdleClock,
    encode_message,
    encode_string,
    encode_uint,
    read_string,
    socket_path,
    take_events,
)
from tests.helpers import wait_until

U32 = struct.Struct("=I")


def test_strings_carry_their_nul_and_padding():
    assert encode_string("wl_seat") == U32.pack(8) + b"wl_seat\0"
    assert encode_string("abc") == U32.pack(4) + b"abc\0"
    assert encode_string("abcd") == U32.pack(5) + b"abcd\0\0\0\0"
    assert read_string(encode_string("abcd") + b"tail", 0) == ("abcd", 12)


def test_messages_are_split_only_when_whole():
    one = encode_message(2, 0, encode_uint(7), encode_string("wl_seat"), encode_uint(8))
    two = encode_message(3, 0, encode_uint(1))
    buffer = bytearray(one + two[:5])
    [event] = take_events(buffer)
    assert (event.object_id, event.opcode) == (2, 0)
    assert bytes(buffer) == two[:5]
    buffer.extend(two[5:])
    [event] = take_events(buffer)
    assert (event.object_id, event.payload) == (3, encode_uint(1))
    assert buffer == bytearray()


def test_a_malformed_size_is_refused():
    with pytest.raises(ValueError, match="malformed"):
        take_events(bytearray(struct.pack("=II", 1, 4 << 16)))


@pytest.mark.parametrize(("env", "expected"), [
    ({"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000"}, "/run/user/1000/wayland-1"),
    ({"XDG_RUNTIME_DIR": "/run/user/1000"}, "/run/user/1000/wayland-0"),
    ({"WAYLAND_DISPLAY": "/tmp/custom.sock"}, "/tmp/custom.sock"),
    ({"WAYLAND_DISPLAY": "wayland-1"}, None),
])
def test_socket_path_like_libwayland(env, expected):
    assert socket_path(env) == expected


class FakeCompositor:
    """Offers wl_seat and one idle manager; records requests; sends events on demand."""

    def __init__(self, path: Path, idle_interface: str | None) -> None:
        self.idle_interface = idle_interface
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        self.requests: list[tuple[int, int, bytes]] = []
        self.conn: socket.socket | None = None
        self.subscribed = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        self.conn = conn
        buffer = bytearray()
        while chunk := conn.recv(4096):
            buffer.extend(chunk)
            for event in take_events(buffer):
                self.requests.append((event.object_id, event.opcode, event.payload))
                self._answer(conn, event.object_id, event.opcode, event.payload)

    def _answer(self, conn: socket.socket, object_id: int, opcode: int, payload: bytes) -> None:
        if (object_id, opcode) == (1, 1):  # wl_display.get_registry(new registry id)
            registry = U32.unpack_from(payload)[0]
            offers = [(1, "wl_compositor", 4), (2, "wl_seat", 7)]
            if self.idle_interface:
                offers.append((3, self.idle_interface, 1))
            conn.sendall(b"".join(
                encode_message(registry, 0, encode_uint(n), encode_string(i), encode_uint(v))
                for n, i, v in offers))
        elif (object_id, opcode) == (1, 0):  # wl_display.sync(new callback id)
            conn.sendall(encode_message(U32.unpack_from(payload)[0], 0, encode_uint(0)))
        elif object_id == 5:  # the idle manager: the subscription request
            self.subscribed.set()

    def send(self, object_id: int, opcode: int) -> None:
        assert self.conn is not None
        self.conn.sendall(encode_message(object_id, opcode))

    def close(self) -> None:
        """End the stream and the wait for a client, and let the serving thread finish before closing."""
        for end in (self.conn, self.server):
            if end is not None:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)  # the client sees the end; recv and accept return
        self.thread.join(5)
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="wl-"))
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


@pytest.mark.parametrize(("interface", "subscription"), [
    # ext_idle_notifier_v1.get_idle_notification(id, timeout, seat): opcode 1
    ("ext_idle_notifier_v1", (5, 1, U32.pack(6) + U32.pack(1000) + U32.pack(4))),
    # org_kde_kwin_idle.get_idle_timeout(id, seat, timeout): opcode 0
    ("org_kde_kwin_idle", (5, 0, U32.pack(6) + U32.pack(4) + U32.pack(1000))),
])
def test_idle_and_resumed_events(socket_dir, interface, subscription):
    fake = FakeCompositor(socket_dir / "wayland-9", interface)
    clock = WaylandIdleClock(str(socket_dir / "wayland-9"), timeout_ms=1000)
    try:
        assert clock.start() == interface
        assert fake.subscribed.wait(5)
        binds = [payload for obj, op, payload in fake.requests if (obj, op) == (2, 0)]
        assert binds[0] == U32.pack(2) + encode_string("wl_seat") + U32.pack(1) + U32.pack(4)
        assert binds[1] == U32.pack(3) + encode_string(interface) + U32.pack(1) + U32.pack(5)
        assert fake.requests[-1] == subscription
        assert clock.idle_seconds() == 0.0
        fake.send(6, 0)  # idle: no input for the timeout
        idle = wait_until(lambda: clock.idle_seconds(), timeout=5, message="the idle event")
        assert idle >= 1.0  # counted from the last input, a timeout before the event
        fake.send(6, 1)  # resumed
        wait_until(lambda: clock.idle_seconds() == 0.0, timeout=5, message="the resumed event")
        fake.close()  # the compositor goes away
        wait_until(lambda: _raises(clock), timeout=5, message="the loss to be noticed")
    finally:
        clock.close()
        fake.close()


def _raises(clock: WaylandIdleClock) -> bool:
    try:
        clock.idle_seconds()
    except PlatformUnavailable:
        return True
    return False


def test_a_compositor_without_an_idle_protocol(socket_dir, caplog, monkeypatch):
    monkeypatch.setattr(idle_notice, "_warned", set())
    fake = FakeCompositor(socket_dir / "wayland-9", None)
    idle = CompositorIdle("wayfire", str(socket_dir / "wayland-9"))
    try:
        with caplog.at_level("WARNING"):
            assert idle.idle_seconds() == 0.0
            assert idle.idle_seconds() == 0.0
    finally:
        idle.close()
        fake.close()
    [warning] = [r.getMessage() for r in caplog.records if "idle time is unknown" in r.getMessage()]
    assert "neither ext_idle_notifier_v1 nor org_kde_kwin_idle" in warning


def test_no_compositor_listening(socket_dir):
    with pytest.raises(PlatformUnavailable, match="cannot reach the Wayland compositor"):
        WaylandIdleClock(str(socket_dir / "wayland-404")).start()
