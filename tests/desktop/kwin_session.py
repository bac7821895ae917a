"""A real headless KWin (KDE Plasma's Wayland compositor) for the KDE tests.

``kwin_wayland --virtual`` needs no GPU, seat or input device. It runs as ``nobody``
when the tests run as root (see wayland_session.py), from a copy of the binary:
the installed one carries a file capability (cap_sys_resource) that a container refuses
to exec with, and a copy carries none.

KWin wants a D-Bus session bus; the session gets its own dbus-daemon, started by the
test process with a policy that lets both users (root for the daemon under test,
``nobody`` for KWin) connect, as one user's session bus would in real life.

The client windows are ``weston-image`` (a plain xdg-shell client; foot crashes on
KWin's virtual output): its window is titled ``Wayland Image - <file name>``, so each
window shows a PNG named after it. A window gets the focus from a KWin script, the way
a user's click would give it; the script prints the active window's caption to KWin's
log afterwards, and ``focus`` waits for that line: KWin's own word, not unscroll's.
There is no input device, so the tests here cannot play a user's input.
"""

from __future__ import annotations

import itertools
import struct
import subprocess
import zlib
from pathlib import Path

from tests.desktop.harness import require_programs, stop_process
from tests.desktop.wayland_session import SessionWindow, UnprivilegedSession
from tests.helpers import wait_until

PROGRAMS = {"kwin_wayland": "kwin-wayland", "weston-image": "weston", "dbus-daemon": "dbus",
            "dbus-send": "dbus"}

BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
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

ACTIVATE_SCRIPT = """\
var want = {caption};
var list = workspace.windowList ? workspace.windowList() : workspace.clientList();
for (var i = 0; i < list.length; i++) {{
    if (String(list[i].caption) === want) {{
        if (workspace.windowList) {{ workspace.activeWindow = list[i]; }}
        else {{ workspace.activeClient = list[i]; }}
    }}
}}
var now = workspace.activeWindow !== undefined ? workspace.activeWindow : workspace.activeClient;
print("unscroll-test {marker} active: " + (now ? now.caption : ""));
"""


def tiny_png(path: Path) -> None:
    """Write a 16 × 16 grey PNG (weston-image needs a real image to open a window)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * 16 for _ in range(16))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class KWinSession(UnprivilegedSession):
    """KWin running headless in ``workdir`` with its own session bus; start() it, close() it."""

    log_name = "kwin.log"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.images = workdir / "images"
        self.bus_socket = workdir / "bus" / "session.sock"
        self.wayland_display = "wayland-unscroll"
        self.bus: subprocess.Popen[bytes] | None = None
        self._markers = itertools.count(1)

    # --- environment ----------------------------------------------------------------------
    @property
    def bus_address(self) -> str:
        return f"unix:path={self.bus_socket}"

    def _base_env(self) -> dict[str, str]:
        return {**super()._base_env(), "DBUS_SESSION_BUS_ADDRESS": self.bus_address}

    @property
    def env(self) -> dict[str, str]:
        """What a program started inside this Plasma session would see."""
        return {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display,
                "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE"}

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> KWinSession:
        require_programs(PROGRAMS)
        self._prepare_folders()
        for folder in (self.images, self.bus_socket.parent):
            folder.mkdir(mode=0o755, exist_ok=True)
        if self.bus is None or self.bus.poll() is not None:
            self._start_bus()
        kwin = self.renamed_copy("kwin_wayland", "kwin_wayland")  # a copy carries no capability
        self.process = self.spawn(
            [str(kwin), "--virtual", "--no-lockscreen", "--no-global-shortcuts", "--no-kactivities",
             "--width", "1024", "--height", "768", "--socket", self.wayland_display],
            self._base_env(), self.log_name)

        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"KWin exited at start: {self.log()}")
            # KWin takes its bus name before it exports /Scripting: wait for the object itself
            return (self.runtime / self.wayland_display).exists() and self.scripting_ready()

        wait_until(ready, timeout=30, message="KWin to start")
        return self

    def _start_bus(self) -> None:
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.bus_socket), encoding="utf-8")
        self.bus_socket.unlink(missing_ok=True)
        self.bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork"],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        wait_until(self.bus_socket.exists, timeout=10, message="the session bus to listen")
        self.bus_socket.chmod(0o777)  # both users connect; the policy above lets them

    def scripting_ready(self) -> bool:
        """Whether KWin's /Scripting object answers with its loadScript method yet."""
        result = subprocess.run(
            ["dbus-send", f"--bus={self.bus_address}", "--print-reply", "--dest=org.kde.KWin",
             "/Scripting", "org.freedesktop.DBus.Introspectable.Introspect"],
            capture_output=True, text=True, timeout=10)
        return result.returncode == 0 and '"loadScript"' in result.stdout

    def close(self) -> None:
        self.stop_compositor()  # the windows go with KWin; the bus stays until here
        stop_process(self.bus)
        self.bus = None

    # --- driving it -----------------------------------------------------------------------
    def kwin_scripting(self, method: str, *args: str) -> str:
        """Call ``org.kde.kwin.Scripting.<method>`` with string arguments; its printed reply."""
        result = subprocess.run(
            ["dbus-send", f"--bus={self.bus_address}", "--print-reply", "--dest=org.kde.KWin",
             "/Scripting", f"org.kde.kwin.Scripting.{method}", *(f"string:{arg}" for arg in args)],
            capture_output=True, text=True, timeout=10)
        if result.returncode != 0:
            raise AssertionError(f"Scripting.{method} failed: {result.stderr}")
        return result.stdout

    def open_window(self, name: str, *, process_name: str) -> SessionWindow:
        """A weston-image window showing ``<name>.png``; its process is called ``process_name``."""
        image = self.images / f"{name}.png"
        tiny_png(image)
        image.chmod(0o644)
        program = self.renamed_copy("weston-image", process_name)
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display}
        window = self.spawn_client([str(program), str(image)], env, f"Wayland Image - {name}.png")
        self.focus(window)  # also waits until KWin has mapped it
        return window

    def focus(self, window: SessionWindow) -> None:
        """Activate ``window`` through a KWin script; return once KWin says it is active."""
        def activated() -> bool:
            assert window.process.poll() is None, f"the window's client exited: {self.log()}"
            marker = next(self._markers)
            script = self.workdir / f"activate-{marker}.js"
            script.write_text(ACTIVATE_SCRIPT.format(caption=_js_string(window.title), marker=marker),
                              encoding="utf-8")
            script.chmod(0o644)
            plugin = f"unscroll-test-activate-{marker}"
            self.kwin_scripting("loadScript", str(script), plugin)
            self.kwin_scripting("start")
            said = f"unscroll-test {marker} active: "
            line = wait_until(lambda: next((ln for ln in self.log_lines() if said in ln), None),
                              timeout=10, message="KWin to run the activation script")
            self.kwin_scripting("unloadScript", plugin)
            return line.split(said, 1)[1] == window.title

        wait_until(activated, timeout=20, interval=0.2, message=f"KWin to activate {window.title!r}")

    def log_lines(self) -> list[str]:
        path = self.workdir / "kwin.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []


def _js_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
