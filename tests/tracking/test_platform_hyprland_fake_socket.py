"""The Hyprland backend against a fake Hyprland request socket (Hyprland is not in Debian 12).

The server is ours and answers ``j/activewindow`` with JSON shaped like Hyprland's reply;
the socket handling, the parsing and the naming of the app are the backend's own.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

if sys.platform == "win32":
    pytest.skip("UNIX domain sockets: Linux, BSD and macOS only", allow_module_level=True)

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.hyprland import HyprlandPlatform, active_window_from_reply, socket_candidates

OWN_NAME = psutil.Process(os.getpid()).name()


class FakeHyprland:
    """Answers each connection's one request with ``reply`` (bytes), then closes it."""

    def __init__(self, path: Path, reply: bytes | None) -> None:
        self.reply = reply
        self.requests: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self.requests.append(conn.recv(1024))
                if self.reply is not None:
                    conn.sendall(self.reply)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="hy-"))
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


def platform_with(socket_dir: Path, reply: bytes | None) -> tuple[HyprlandPlatform, FakeHyprland]:
    fake = FakeHyprland(socket_dir / ".socket.sock", reply)
    return HyprlandPlatform(str(socket_dir / ".socket.sock"), None), fake


def test_the_active_window(socket_dir):
    reply = {"address": "0x55d1", "mapped": True, "class": "firefox", "title": "News — Mozilla Firefox",
             "initialClass": "firefox", "pid": os.getpid(), "xwayland": False}
    platform, fake = platform_with(socket_dir, json.dumps(reply).encode())
    try:
        seen = platform.active_window()
        again = platform.active_window()
    finally:
        platform.close()
        fake.close()
    assert seen == again
    assert seen is not None
    assert (seen.app, seen.title, seen.pid) == (OWN_NAME, "News — Mozilla Firefox", os.getpid())
    assert fake.requests == [b"j/activewindow", b"j/activewindow"]


def test_nothing_focused(socket_dir):
    platform, fake = platform_with(socket_dir, b"{}")
    try:
        assert platform.active_window() is None
    finally:
        fake.close()


def test_a_hang_up_without_reply_makes_the_platform_unavailable(socket_dir):
    platform, fake = platform_with(socket_dir, None)
    try:
        with pytest.raises(PlatformUnavailable, match="empty reply"):
            platform.active_window()
    finally:
        fake.close()


def test_garbage_makes_the_platform_unavailable(socket_dir):
    platform, fake = platform_with(socket_dir, b"unknown request")
    try:
        with pytest.raises(PlatformUnavailable, match="cannot talk to Hyprland"):
            platform.active_window()
    finally:
        fake.close()


def test_no_hyprland_listening(socket_dir):
    with pytest.raises(PlatformUnavailable, match="cannot talk to Hyprland"):
        HyprlandPlatform(str(socket_dir / ".socket.sock"), None).active_window()


@pytest.mark.parametrize(("reply", "expected_app"), [
    ({"class": "kitty", "title": "t", "pid": 2**22 + 12345}, "kitty"),  # process gone: its class
    ({"class": "", "initialClass": "Steam", "title": "t", "pid": -1}, "Steam"),
    ({"title": "t"}, "unknown"),
])
def test_naming_without_a_readable_process(reply, expected_app):
    seen = active_window_from_reply(reply)
    assert seen is not None
    assert seen.app == expected_app


def test_where_the_socket_may_be():
    env = {"HYPRLAND_INSTANCE_SIGNATURE": "sig", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert socket_candidates(env) == ["/run/user/1000/hypr/sig/.socket.sock", "/tmp/hypr/sig/.socket.sock"]
    assert socket_candidates({}) == []
