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


class SwaySession(UnprivilegedSession):
    """sway running headless in ``workdir``; start() it, close() it."""

    log_name = "sway.log"

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
        config.write_text(CONFIG, encoding="utf-8")
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

    def touch_input(self) -> None:
        """Move the pointer: sway counts it as user activity (the idle timers restart)."""
        self.swaymsg("seat seat0 cursor move 1 1")
        self.swaymsg("seat seat0 cursor move -1 -1")  # one word: swaymsg would read "-1" as an option
