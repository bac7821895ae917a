"""The i3-ipc codec and client against a local UNIX socket server (a fake sway), and tree reading.

The real sway is exercised in tests/desktop/test_sway.py; here the server is ours so
that framing, partial reads, stray events, a closed socket and odd trees can be forced.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

if sys.platform == "win32":
    pytest.skip("UNIX domain sockets: Linux, BSD and macOS only", allow_module_level=True)

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import idle_notice
from monitor.tracking.platforms.sway import SwayPlatform, active_window_from_tree, focused_leaf
from monitor.tracking.platforms.sway_ipc import GET_TREE, GET_VERSION, IpcConnection, decode_header, encode

OWN_NAME = psutil.Process(os.getpid()).name()


def window(node_id, name, *, pid=None, app_id=None, klass=None, focused=False, kind="con"):
    node = {"id": node_id, "type": kind, "name": name, "pid": pid, "focused": focused,
            "nodes": [], "floating_nodes": [], "focus": []}
    if app_id is not None:
        node["app_id"] = app_id
    if klass is not None:
        node["window_properties"] = {"class": klass, "instance": klass.lower()}
    return node


def tree_with(*children, workspace_focused=False, focus=None):
    workspace = {"id": 10, "type": "workspace", "name": "1", "focused": workspace_focused,
                 "nodes": list(children), "floating_nodes": [],
                 "focus": focus if focus is not None else [c["id"] for c in children]}
    output = {"id": 2, "type": "output", "name": "HEADLESS-1", "nodes": [workspace], "focus": [10]}
    return {"id": 1, "type": "root", "name": "root", "nodes": [output], "focus": [2]}


# --- the codec ------------------------------------------------------------------------------

def test_encode_and_decode_a_header():
    message = encode(GET_TREE, b'{"x": 1}')
    assert message[:6] == b"i3-ipc"
    assert decode_header(message[:14]) == (8, GET_TREE)
    assert message[14:] == b'{"x": 1}'


def test_a_header_without_the_magic_is_refused():
    with pytest.raises(ValueError, match="not an i3-ipc reply"):
        decode_header(b"HTTP/1" + struct.pack("=II", 0, 4))


# --- a local server speaking i3-ipc ---------------------------------------------------------------

class FakeSway:
    """Answers each request with ``reply(type, payload) -> list of (type, body) messages``."""

    def __init__(self, path: Path, reply: Callable[[int, bytes], list[tuple[int, bytes]]]) -> None:
        self.path = path
        self.reply = reply
        self.requests: list[tuple[int, bytes]] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while True:
                    header = conn.recv(14, socket.MSG_WAITALL)
                    if len(header) < 14:
                        break
                    length, kind = decode_header(header)
                    payload = conn.recv(length, socket.MSG_WAITALL) if length else b""
                    self.requests.append((kind, payload))
                    answers = self.reply(kind, payload)
                    if answers is None:  # hang up
                        break
                    data = b"".join(encode(t, body) for t, body in answers)
                    for i in range(0, len(data), 7):  # dribble: the client must reassemble
                        conn.sendall(data[i:i + 7])

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def short_dir() -> Iterator[Path]:
    # UNIX socket paths are limited to ~100 bytes; pytest's tmp_path can be longer
    path = Path(tempfile.mkdtemp(prefix="us-"))
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


def serve(short_dir, reply) -> FakeSway:
    return FakeSway(short_dir / "sway.sock", reply)


def test_a_request_and_its_reply(short_dir):
    fake = serve(short_dir, lambda kind, payload: [(kind, b'{"human_readable": "1.7"}')])
    try:
        connection = IpcConnection(str(fake.path), timeout=5)
        assert connection.request_json(GET_VERSION) == {"human_readable": "1.7"}
        assert connection.request_json(GET_VERSION)["human_readable"] == "1.7"  # same connection
        connection.close()
    finally:
        fake.close()
    assert fake.requests == [(GET_VERSION, b""), (GET_VERSION, b"")]


def test_events_before_the_reply_are_skipped(short_dir):
    event = 0x80000000 | 3
    fake = serve(short_dir, lambda kind, payload: [(event, b'{"change": "focus"}'), (kind, b"[]")])
    try:
        assert IpcConnection(str(fake.path)).request_json(GET_TREE) == []
    finally:
        fake.close()


def test_a_large_tree_arrives_whole(short_dir):
    windows = [window(100 + i, f"window {i} " + "x" * 500, pid=os.getpid(), app_id="a") for i in range(200)]
    windows[150]["focused"] = True
    body = json.dumps(tree_with(*windows)).encode()
    assert len(body) > 100_000
    fake = serve(short_dir, lambda kind, payload: [(kind, body)])
    try:
        platform = SwayPlatform(str(fake.path), None)
        seen = platform.active_window()
        platform.close()
    finally:
        fake.close()
    assert seen is not None
    assert seen.title == "window 150 " + "x" * 500


def test_a_compositor_that_hangs_up_makes_the_platform_unavailable(short_dir):
    fake = serve(short_dir, lambda kind, payload: None)
    try:
        with pytest.raises(PlatformUnavailable, match="cannot talk to the compositor"):
            SwayPlatform(str(fake.path), None).active_window()
    finally:
        fake.close()


def test_no_compositor_at_all(short_dir):
    with pytest.raises(PlatformUnavailable, match="cannot talk to the compositor"):
        SwayPlatform(str(short_dir / "nobody-home.sock"), None).active_window()


def test_a_reply_that_is_not_json(short_dir):
    fake = serve(short_dir, lambda kind, payload: [(kind, b"\xff not json")])
    try:
        with pytest.raises(PlatformUnavailable, match="not JSON"):
            SwayPlatform(str(fake.path), None).active_window()
    finally:
        fake.close()


def test_idle_without_a_wayland_socket_is_unknown_and_logged_once(short_dir, caplog, monkeypatch):
    monkeypatch.setattr(idle_notice, "_warned", set())
    platform = SwayPlatform(str(short_dir / "unused.sock"), None)
    with caplog.at_level("WARNING"):
        assert platform.idle_seconds() == 0.0
        assert platform.idle_seconds() == 0.0
    [warning] = [r.getMessage() for r in caplog.records if "idle time is unknown" in r.getMessage()]
    assert "WAYLAND_DISPLAY" in warning
    assert "unscroll pause" in warning


# --- reading the tree ---------------------------------------------------------------------------

def test_a_native_window_is_named_by_its_process():
    tree = tree_with(window(20, "Inbox", pid=os.getpid(), app_id="thunderbird", focused=True),
                     window(21, "Other", pid=1, app_id="foot"))
    seen = active_window_from_tree(tree)
    assert seen is not None
    assert (seen.app, seen.title, seen.pid) == (OWN_NAME, "Inbox", os.getpid())


def test_an_xwayland_window_without_a_readable_process_uses_its_class():
    tree = tree_with(window(20, "xterm", pid=2**22 + 12345, klass="XTerm", focused=True))
    seen = active_window_from_tree(tree)
    assert seen is not None
    assert seen.app == "XTerm"


def test_a_window_without_pid_uses_its_app_id():
    seen = active_window_from_tree(tree_with(window(20, None, app_id="org.gnome.Maps", focused=True)))
    assert seen is not None
    assert (seen.app, seen.title, seen.pid) == ("org.gnome.Maps", None, None)


def test_a_floating_window():
    workspace_tree = tree_with()
    workspace = workspace_tree["nodes"][0]["nodes"][0]
    workspace["floating_nodes"] = [window(30, "float", app_id="pavucontrol", focused=True,
                                          kind="floating_con")]
    seen = active_window_from_tree(workspace_tree)
    assert seen is not None
    assert seen.title == "float"


def test_an_empty_focused_workspace_has_no_window():
    assert active_window_from_tree(tree_with(workspace_focused=True)) is None


def test_a_focused_container_leads_to_its_last_focused_window():
    left = window(40, "left", app_id="a")
    right = window(41, "right", app_id="b")
    split = {"id": 39, "type": "con", "name": None, "focused": True, "nodes": [left, right],
             "floating_nodes": [], "focus": [41, 40]}
    seen = active_window_from_tree(tree_with(split))
    assert seen is not None
    assert seen.title == "right"


def test_a_focus_list_pointing_nowhere_gives_no_window():
    split = {"id": 39, "type": "con", "name": None, "focused": True, "nodes": [],
             "floating_nodes": [], "focus": [999]}
    assert focused_leaf(split) is None
    assert active_window_from_tree(tree_with(split)) is None


def test_no_focused_node():
    assert active_window_from_tree(tree_with(window(20, "x", app_id="a"))) is None
