"""A headless sway whose bar is waybar with its tray module: a real StatusNotifierItem host.

The session gets a private D-Bus session bus (a ``dbus-daemon`` of its own, run as the
session's user, that admits any local user: the daemon under test runs as root, sway and
waybar as ``nobody``). waybar starts the ``org.kde.StatusNotifierWatcher`` on that bus and
shows the registered items in its tray. ``busctl`` reads the watcher and the items;
``grim`` photographs the headless output.

``kill_waybar`` ends the tray host (sway starts no new one by itself), ``start_waybar``
runs a new one the way sway did: the test of an icon that comes back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import psutil

from tests.desktop.harness import require_programs, stop_process
from tests.desktop.sway_session import CONFIG, SwaySession
from tests.helpers import wait_until

PROGRAMS = {"sway": "sway", "swaymsg": "sway", "waybar": "waybar", "grim": "grim",
            "dbus-daemon": "dbus", "busctl": "systemd"}
WATCHER = "org.kde.StatusNotifierWatcher"

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

WAYBAR_CONFIG = {"layer": "top", "position": "top", "height": 34, "modules-left": [],
                 "modules-center": ["clock"], "modules-right": ["tray"],
                 "clock": {"format": "{:%H:%M}"}, "tray": {"icon-size": 24, "spacing": 8}}
WAYBAR_STYLE = """* { font-family: DejaVu Sans, sans-serif; font-size: 13px; }
window#waybar { background: #2b303b; color: #ffffff; }
#tray { padding: 0 10px; }
"""


class WaybarSway(SwaySession):
    """sway with ``bar swaybar_command waybar`` and a session bus of its own."""

    log_name = "sway.log"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.bus_socket = workdir / "bus" / "socket"
        self.bus: subprocess.Popen[bytes] | None = None
        self.extra_bars: list[subprocess.Popen[bytes]] = []
        self.config_text = CONFIG + (
            f"bar {{\n  swaybar_command {workdir / 'waybar.sh'}\n}}\n")

    @property
    def bus_address(self) -> str:
        return f"unix:path={self.bus_socket}"

    def _base_env(self) -> dict[str, str]:
        return {**super()._base_env(), "DBUS_SESSION_BUS_ADDRESS": self.bus_address}

    def start(self) -> WaybarSway:
        require_programs(PROGRAMS)
        self._prepare_folders()
        self._start_bus()
        (self.workdir / "waybar.json").write_text(json.dumps(WAYBAR_CONFIG), encoding="utf-8")
        (self.workdir / "waybar.css").write_text(WAYBAR_STYLE, encoding="utf-8")
        script = self.workdir / "waybar.sh"
        # what sway runs as its bar (with "-b bar-0"): waybar with our files, its output logged
        script.write_text(f"#!/bin/sh\nexec waybar -c {self.workdir / 'waybar.json'} "
                          f"-s {self.workdir / 'waybar.css'} \"$@\" >>{self.workdir / 'waybar.log'} 2>&1\n",
                          encoding="utf-8")
        script.chmod(0o755)
        (self.workdir / "waybar.log").touch(mode=0o666)
        (self.workdir / "waybar.log").chmod(0o666)
        super().start()
        self.wait_for_watcher()
        return self

    def _start_bus(self) -> None:
        folder = self.bus_socket.parent
        folder.mkdir(mode=0o755, exist_ok=True)
        os.chown(folder, self._uid, self._gid)
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.bus_socket), encoding="utf-8")
        config.chmod(0o644)
        self.bus = self.spawn(["dbus-daemon", "--nofork", f"--config-file={config}"],
                              self._base_env(), "dbus.log")
        wait_until(lambda: self.bus_socket.exists() or self.bus.poll() is not None, timeout=10,
                   message="the session bus")
        assert self.bus.poll() is None, (self.workdir / "dbus.log").read_text(errors="replace")

    # --- the tray host --------------------------------------------------------------------
    def busctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``busctl --json=short ARGS`` on the session's bus, as root."""
        result = subprocess.run(["busctl", f"--address={self.bus_address}", "--json=short", *args],
                                capture_output=True, text=True, timeout=10, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"busctl {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result

    def watcher_present(self) -> bool:
        result = self.busctl("status", WATCHER, check=False)
        return result.returncode == 0

    def wait_for_watcher(self) -> None:
        wait_until(self.watcher_present, timeout=20, message="waybar's StatusNotifierWatcher: "
                   + self.waybar_log())

    def registered_items(self) -> list[str]:
        """The watcher's RegisteredStatusNotifierItems (``name/path`` or ``name``)."""
        result = self.busctl("get-property", WATCHER, "/StatusNotifierWatcher", WATCHER,
                             "RegisteredStatusNotifierItems", check=False)
        if result.returncode != 0:
            return []
        items: list[str] = json.loads(result.stdout)["data"]
        return items

    def call(self, destination: str, path: str, interface: str, member: str,
             signature: str = "", *args: str) -> list[Any]:
        """A method call on the bus; the reply's values."""
        result = self.busctl("call", "--", destination, path, interface, member,
                             *([signature, *args] if signature else []))
        if not result.stdout.strip():
            return []  # a method with no reply values
        data: list[Any] = json.loads(result.stdout)["data"]
        return data

    def get_property(self, destination: str, path: str, interface: str, name: str) -> Any:
        result = self.busctl("get-property", destination, path, interface, name)
        return json.loads(result.stdout)["data"]

    def waybar_pids(self) -> list[int]:
        """The bars of this session (their command line names this session's config file)."""
        config = str(self.workdir / "waybar.json")
        found = []
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "waybar" and config in (process.info["cmdline"] or []):
                found.append(process.pid)
        return found

    def kill_waybar(self) -> None:
        """End the bar (and with it the watcher and the host); wait until the watcher is gone."""
        pids = self.waybar_pids()
        assert pids, "no waybar runs in this session"
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not self.watcher_present(), timeout=10, message="the watcher to go")

    def start_waybar(self) -> None:
        """A new bar, run as sway ran it; wait for its watcher."""
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display, "SWAYSOCK": self.ipc_socket}
        bar = self.spawn([str(self.workdir / "waybar.sh"), "-b", "bar-0"], env, "waybar-2.log")
        self.extra_bars.append(bar)
        self.wait_for_watcher()

    def waybar_log(self) -> str:
        path = self.workdir / "waybar.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def screenshot(self, path: Path, *, region: str | None = None) -> Path:
        """A PNG of the output (or of ``region``, ``"x,y wxh"``) taken with grim as the session's user."""
        shot = self.runtime / "shot.png"
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display}
        args = ["grim", *(["-g", region] if region else []), str(shot)]
        process = self.spawn(args, env, "grim.log")
        assert process.wait(timeout=20) == 0, (self.workdir / "grim.log").read_text(errors="replace")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shot.read_bytes())
        return path

    def close(self) -> None:
        for process in self.extra_bars:
            stop_process(process)
        super().close()
        stop_process(self.bus)
        self.bus = None
