"""A real headless sway session for the Wayland tests, with foot terminals as client windows.

sway refuses to run as root, so when the tests run as root sway and its clients run as
``nobody`` (see wayland_session.py); the test process, as root, can still reach both of
sway's sockets. ``WLR_BACKENDS=headless`` with ``WLR_LIBINPUT_NO_DEVICES=1`` and the pixman
renderer need no GPU, seat or input device.

``SwaySession.env`` is the environment a program inside that session would have:
SWAYSOCK, WAYLAND_DISPLAY, XDG_RUNTIME_DIR, XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=sway.
Input is simulated with ``swaymsg seat seat0 cursor move``, which sway counts as user activity.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.desktop.harness import require_programs
from tests.desktop.wayland_session import SessionWindow, UnprivilegedSession
from tests.helpers import wait_until

PROGRAMS = {"sway": "sway", "swaymsg": "sway", "foot": "foot"}

CONFIG = """\
xwayland disable
focus_follows_mouse no
output HEADLESS-1 resolution 1280x720
"""


XHOST_ROOT = """\
import socket, struct, sys
sock = socket.socket(socket.AF_UNIX)
sock.connect(f"/tmp/.X11-unix/X{sys.argv[1]}")
sock.sendall(struct.pack("<BxHHHHxx", 0x6C, 11, 0, 0, 0))
head = sock.recv(8, socket.MSG_WAITALL)
assert head[0] == 1, "X server refused the connection"
sock.recv(struct.unpack("<H", head[6:8])[0] * 4, socket.MSG_WAITALL)
host = b"localuser\\0root"
padded = host + b"\\0" * (-len(host) % 4)
sock.sendall(struct.pack("<BBHBxH", 109, 0, 2 + len(padded) // 4, 5, len(host)) + padded)
sock.sendall(struct.pack("<BxH", 43, 1))
reply = sock.recv(32, socket.MSG_WAITALL)
assert reply[0] == 1, f"X error {reply[1]} on ChangeHosts"
"""


class SwaySession(UnprivilegedSession):
    """sway running headless in ``workdir``; start() it, close() it."""

    log_name = "sway.log"
    config_text = CONFIG
    """sway's config; a session that needs X11 clients (the doorway's Tk window) turns Xwayland on."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.ipc_socket = ""
        self.wayland_display = ""

    # --- environment ----------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        """What a program started inside this sway session would see."""
        return {**self._base_env(), "SWAYSOCK": self.ipc_socket,
                "WAYLAND_DISPLAY": self.wayland_display, "XDG_SESSION_TYPE": "wayland",
                "XDG_CURRENT_DESKTOP": "sway"}

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> SwaySession:
        require_programs(PROGRAMS)
        self._prepare_folders()
        config = self.workdir / "sway.conf"
        config.write_text(self.config_text, encoding="utf-8")
        config.chmod(0o644)
        env = {**self._base_env(), "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
               "WLR_RENDERER": "pixman"}
        self.process = self.spawn(["sway", "-c", str(config)], env, self.log_name)

        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"sway exited at start: {self.log()}")
            sockets = list(self.runtime.glob("sway-ipc.*.sock"))
            displays = [p for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock")]
            if not sockets or not displays:
                return False
            self.ipc_socket, self.wayland_display = str(sockets[0]), displays[0].name
            return self.swaymsg("-t", "get_version", check=False).returncode == 0

        wait_until(ready, timeout=20, message="sway to start")
        return self

    # --- driving it -----------------------------------------------------------------------
    def swaymsg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["swaymsg", "-s", self.ipc_socket, *args], capture_output=True,
                                text=True, timeout=10, env=self._base_env())
        if check and result.returncode != 0:
            raise AssertionError(f"swaymsg {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result

    def tree(self) -> dict[str, Any]:
        tree: dict[str, Any] = json.loads(self.swaymsg("-t", "get_tree").stdout)
        return tree

    def nodes(self) -> list[dict[str, Any]]:
        found, stack = [], [self.tree()]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.get("nodes", []) + node.get("floating_nodes", []))
        return found

    def focused_title(self) -> str | None:
        return next((n.get("name") for n in self.nodes() if n.get("focused")), None)

    def open_window(self, title: str, *, app_id: str, process_name: str | None = None) -> SessionWindow:
        """A foot terminal titled ``title``; its process is called ``process_name`` if given."""
        program = str(self.renamed_copy("foot", process_name)) if process_name else "foot"
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display}
        window = self.spawn_client([program, "--title", title, "--app-id", app_id, "sleep", "600"],
                                   env, title)
        process = window.process
        wait_until(lambda: any(n.get("pid") == process.pid and n.get("name") == title
                               for n in self.nodes()) or process.poll() is not None,
                   timeout=20, message=f"window {title!r} to map")
        assert process.poll() is None, f"{program} exited: {self.log()}"
        return window

    def focus(self, window: SessionWindow) -> None:
        """Give ``window`` the focus (by its pid) and wait until sway reports it focused."""
        self.swaymsg(f"[pid={window.pid}] focus")
        wait_until(lambda: self.focused_title() == window.title, timeout=10,
                   message=f"{window.title!r} to have the focus")

    def x_env(self) -> dict[str, str]:
        """DISPLAY and XAUTHORITY of sway's Xwayland (with ``xwayland enable``), as its clients see them."""
        where = self.runtime / "x-env"
        self.swaymsg(f"exec sh -c 'echo \"$DISPLAY $XAUTHORITY\" > {where}.part && mv {where}.part {where}'")
        wait_until(lambda: where.exists() and where.read_text().strip(), timeout=10,
                   message="sway to say its Xwayland display")
        display, *authority = where.read_text().split()
        return {"DISPLAY": display, **({"XAUTHORITY": authority[0]} if authority else {})}

    def let_root_use_xwayland(self, display: str) -> None:
        """Let root's clients (the daemon under test, its doorway) use Xwayland, which admits its owner only.

        Run as the session's user: X11's ChangeHosts adding ``SI:localuser:root`` (what
        ``xhost +si:localuser:root`` does), spoken over the socket by the system Python.
        """
        if os.geteuid() != 0:
            return
        script = self.workdir / "xhost-root.py"
        script.write_text(XHOST_ROOT, encoding="utf-8")
        script.chmod(0o644)
        process = self.spawn(["/usr/bin/python3", str(script), display.lstrip(":").split(".")[0]],
                             self._base_env(), "xhost.log")
        assert process.wait(timeout=10) == 0, (self.workdir / "xhost.log").read_text(errors="replace")

    def touch_input(self) -> None:
        """Move the pointer: sway counts it as user activity (the idle timers restart)."""
        self.swaymsg("seat seat0 cursor move 1 1")
        self.swaymsg("seat seat0 cursor move -1 -1")  # one word: swaymsg would read "-1" as an option
