"""A real headless sway session for the Wayland tests, with foot terminals as client windows.

sway refuses to run as root, so when the tests run as root sway and its clients run as
``nobody`` (``setpriv``) with their own XDG_RUNTIME_DIR (mode 0700, owned by nobody); the
test process, as root, can still reach both of sway's sockets. ``WLR_BACKENDS=headless``
with ``WLR_LIBINPUT_NO_DEVICES=1`` and the pixman renderer need no GPU, seat or input device.

``SwaySession.env`` is the environment a program inside that session would have:
SWAYSOCK, WAYLAND_DISPLAY, XDG_RUNTIME_DIR, XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=sway.
Input is simulated with ``swaymsg seat seat0 cursor move``, which sway counts as user activity.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.desktop.harness import require_programs, stop_process
from tests.helpers import wait_until

PROGRAMS = {"sway": "sway", "swaymsg": "sway", "foot": "foot"}

CONFIG = """\
xwayland disable
focus_follows_mouse no
output HEADLESS-1 resolution 1280x720
"""


@dataclass
class SwayWindow:
    """A foot terminal in the session."""

    title: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid


class SwaySession:
    """sway running headless in ``workdir``; start() it, close() it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.runtime = workdir / "run"
        self.home = workdir / "home"
        self.bin_dir = workdir / "bin"
        self.process: subprocess.Popen[bytes] | None = None
        self.windows: list[SwayWindow] = []
        self.ipc_socket = ""
        self.wayland_display = ""
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            self._uid, self._gid = user.pw_uid, user.pw_gid
            self._as_user = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}",
                             "--clear-groups", "--"]
        else:
            self._uid, self._gid = os.getuid(), os.getgid()
            self._as_user = []

    # --- environment ----------------------------------------------------------------------
    def _base_env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
                "XDG_RUNTIME_DIR": str(self.runtime), "LANG": "C.UTF-8"}

    @property
    def env(self) -> dict[str, str]:
        """What a program started inside this sway session would see."""
        return {**self._base_env(), "SWAYSOCK": self.ipc_socket,
                "WAYLAND_DISPLAY": self.wayland_display, "XDG_SESSION_TYPE": "wayland",
                "XDG_CURRENT_DESKTOP": "sway"}

    def _own(self, path: Path, mode: int) -> None:
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, self._uid, self._gid)
        path.chmod(mode)

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> SwaySession:
        require_programs(PROGRAMS)
        self.workdir.chmod(0o755)  # nobody reads the config and runs the foot copies from here
        self._own(self.runtime, 0o700)
        self._own(self.home, 0o700)
        self.bin_dir.mkdir(mode=0o755, exist_ok=True)
        config = self.workdir / "sway.conf"
        config.write_text(CONFIG, encoding="utf-8")
        config.chmod(0o644)
        log = (self.workdir / "sway.log").open("ab")
        env = {**self._base_env(), "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
               "WLR_RENDERER": "pixman"}
        self.process = subprocess.Popen([*self._as_user, "sway", "-c", str(config)], env=env,
                                        stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()

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

    def log(self) -> str:
        path = self.workdir / "sway.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def close(self) -> None:
        for window in self.windows:
            stop_process(window.process)
        self.windows.clear()
        stop_process(self.process)
        self.process = None

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

    def open_window(self, title: str, *, app_id: str, process_name: str | None = None) -> SwayWindow:
        """A foot terminal titled ``title``; its process is called ``process_name`` if given."""
        program = shutil.which("foot") or "foot"
        if process_name:
            renamed = self.bin_dir / process_name
            if not renamed.exists():
                shutil.copy2(program, renamed)
                renamed.chmod(0o755)
            program = str(renamed)
        log = (self.workdir / f"client-{len(self.windows)}.log").open("ab")
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display}
        process = subprocess.Popen([*self._as_user, program, "--title", title, "--app-id", app_id,
                                    "sleep", "600"], env=env, stdout=log, stderr=log,
                                   stdin=subprocess.DEVNULL)
        log.close()
        window = SwayWindow(title, process)
        self.windows.append(window)
        wait_until(lambda: any(n.get("pid") == process.pid and n.get("name") == title
                               for n in self.nodes()) or process.poll() is not None,
                   timeout=20, message=f"window {title!r} to map")
        assert process.poll() is None, f"{program} exited: {self.log()}"
        return window

    def focus(self, window: SwayWindow) -> None:
        """Give ``window`` the focus (by its pid) and wait until sway reports it focused."""
        self.swaymsg(f"[pid={window.pid}] focus")
        wait_until(lambda: self.focused_title() == window.title, timeout=10,
                   message=f"{window.title!r} to have the focus")

    def touch_input(self) -> None:
        """Move the pointer: sway counts it as user activity (the idle timers restart)."""
        self.swaymsg("seat seat0 cursor move 1 1")
        self.swaymsg("seat seat0 cursor move -1 -1")  # one word: swaymsg would read "-1" as an option
