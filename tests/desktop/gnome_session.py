"""A real headless GNOME Shell (Debian's gnome-shell 43) for the GNOME tests, with foot windows.

``gnome-shell --headless --wayland --virtual-monitor 1280x800 --no-x11`` needs no GPU, seat
or input device. It runs as ``nobody`` when the tests run as root (see wayland_session.py),
with a private HOME and XDG_RUNTIME_DIR, inside ``unshare -n`` (no network at all: the
Shell's check for extension updates fails at once), as do its buses and its clients.

GNOME Shell wants two buses. The session bus is a dbus-daemon of its own, run as the same
user so that what it starts on demand (dconf-service, which keeps the Shell's settings)
runs as that user too; its policy also lets root connect, so the daemon and CLI under test
run as root with this session's environment (the Python of the project's venv lives under
/root, which ``nobody`` cannot reach), as one user's programs would in real life. The
system bus is a stand-in with nothing on it: the Shell aborts at start when
/run/systemd/seats exists and no system bus answers, and gets by without logind.

A small helper extension of the tests (tests/data/gnome/unscroll-test@...) does what a
person does with the mouse: it focuses a window by title (``Main.activateWindow``, as a
click would), moves the pointer (a virtual pointer device, which Mutter counts as input),
and leaves the overview GNOME 43 starts in (where new windows do not take the focus). It
answers ``Ready`` once startup is complete and the overview is hidden.

Windows are foot terminals, renamed copies so that each window's process has the name a
test chooses; each reads titles from a FIFO and sets them with the OSC 2 escape, as a
program in a terminal retitles its window.
"""

from __future__ import annotations

import ast
import itertools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.desktop.harness import require_programs, stop_process
from tests.desktop.wayland_session import SessionWindow, UnprivilegedSession
from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]
HELPER = "unscroll-test@unscroll.github.io"
HELPER_SOURCE = ROOT / "tests" / "data" / "gnome" / HELPER
HELPER_OBJECT = ("/org/unscroll/TestHelper", "org.unscroll.TestHelper")
PROGRAMS = {"gnome-shell": "gnome-shell", "foot": "foot", "dbus-daemon": "dbus", "gdbus": "libglib2.0-bin",
            "gsettings": "libglib2.0-bin", "unshare": "util-linux"}

BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  {servicedirs}
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

@dataclass
class GnomeWindow(SessionWindow):
    """A foot window, and the FIFO its program reads new titles from."""

    fifo: Path = field(default_factory=Path)


def gvariant_text(reply: str) -> str:
    """The one value of a gdbus reply as text: ``('left',)`` → ``left``, ``(true,)`` → ``true``."""
    inner = reply.strip().removeprefix("(").removesuffix(")").removesuffix(",").strip()
    inner = inner.removeprefix("<").removesuffix(">")
    return str(ast.literal_eval(inner)) if inner[:1] in ("'", '"') else inner


RETITLE = 'exec 3<>"$0"; while read -r title <&3; do printf "\\033]2;%s\\007" "$title"; done'
"""foot's command: set the window's title to each line written to the FIFO ``$0``."""


class GnomeSession(UnprivilegedSession):
    """GNOME Shell running headless in ``workdir`` with its own buses; start() it, close() it.

    ``install_unscroll`` runs ``unscroll gnome install`` before the Shell's first start, so
    that the Shell loads unscroll's extension as it would after the person logged in again.
    """

    log_name = "gnome-shell.log"

    def __init__(self, workdir: Path, *, install_unscroll: bool = True) -> None:
        super().__init__(workdir)
        if os.geteuid() == 0:
            self._as_user = ["unshare", "-n", *self._as_user]
        self.install_unscroll = install_unscroll
        self.bus_dir = workdir / "bus"
        self.wayland_display = "wayland-gnome"
        self.buses: list[subprocess.Popen[bytes]] = []
        self._fifos = itertools.count(1)
        self.starts = 0

    # --- environment ----------------------------------------------------------------------
    @property
    def bus_address(self) -> str:
        return f"unix:path={self.bus_dir / 'session.sock'}"

    def _base_env(self) -> dict[str, str]:
        return {**super()._base_env(), "DBUS_SESSION_BUS_ADDRESS": self.bus_address}

    @property
    def env(self) -> dict[str, str]:
        """What a program started inside this GNOME session would see."""
        return {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display,
                "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> GnomeSession:
        """Start the buses (once), install the extensions (once), then the Shell."""
        require_programs(PROGRAMS)
        if not self.buses:
            self._prepare_folders()
            self._start_buses()
            self._install_helper()
            if self.install_unscroll:
                self.unscroll("gnome", "install")
        return self.start_shell()

    def start_shell(self) -> GnomeSession:
        """Start GNOME Shell (what logging in does) and wait until it is ready for windows."""
        env = {**self._base_env(), "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={self.bus_dir / 'system.sock'}",
               "XDG_SESSION_TYPE": "wayland"}
        self.process = self.spawn(
            ["gnome-shell", "--headless", "--wayland", f"--wayland-display={self.wayland_display}",
             "--virtual-monitor", "1280x800", "--no-x11"], env, self.log_name)
        self.starts += 1

        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"GNOME Shell exited at start: {self.log()}")
            return self.helper_property("Ready") == "true"

        wait_until(ready, timeout=30, interval=0.1, message="GNOME Shell to start and leave the overview")
        return self

    def restart_shell(self) -> None:
        """End the Shell (its windows go with it) and start it again: a log out and in."""
        self.stop_compositor()
        self.start_shell()

    def _start_buses(self) -> None:
        self.bus_dir.mkdir(mode=0o755, exist_ok=True)
        os.chown(self.bus_dir, self._uid, self._gid)
        for kind, socket, servicedirs in (("custom", "system.sock", ""),
                                          ("session", "session.sock", "<standard_session_servicedirs/>")):
            config = self.workdir / f"{socket}.conf"
            config.write_text(BUS_CONFIG.format(kind=kind, socket=self.bus_dir / socket,
                                                servicedirs=servicedirs), encoding="utf-8")
            config.chmod(0o644)
            self.buses.append(self.spawn(["dbus-daemon", f"--config-file={config}", "--nofork"],
                                         self._base_env(), f"{socket}.log"))
            wait_until((self.bus_dir / socket).exists, timeout=10, message=f"the {kind} bus to listen")

    def _install_helper(self) -> None:
        """Copy the test helper extension in and turn it on, before the Shell starts."""
        target = self.home / ".local" / "share" / "gnome-shell" / "extensions" / HELPER
        shutil.copytree(HELPER_SOURCE, target, dirs_exist_ok=True)
        for path in (target, *target.parents[:4]):
            os.chown(path, self._uid, self._gid)
        for path in target.iterdir():
            path.chmod(0o644)
        self.gsettings("set", "org.gnome.shell", "disable-user-extensions", "false")
        self.gsettings("set", "org.gnome.shell", "enabled-extensions", repr([HELPER]))

    def close(self) -> None:
        self.stop_compositor()
        for bus in reversed(self.buses):  # what they started on demand ends with its bus
            stop_process(bus)
        self.buses.clear()

    # --- driving it -----------------------------------------------------------------------
    def run(self, *args: str, as_user: bool = True) -> str:
        """Run a program in the session (as its user, or as root); its output, or fail."""
        prefix = self._as_user if as_user else []
        result = subprocess.run([*prefix, *args], env=self.env, capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed: {result.stderr or result.stdout}")
        return result.stdout.strip()

    def gsettings(self, *args: str) -> str:
        return self.run("gsettings", *args)

    def enabled_extensions(self) -> list[str]:
        value = ast.literal_eval(self.gsettings("get", "org.gnome.shell", "enabled-extensions")
                                 .removeprefix("@as").strip())
        assert isinstance(value, list)
        return value

    def unscroll(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """``unscroll ARGS`` as the daemon under test runs: as root, in this session's environment."""
        return subprocess.run([sys.executable, "-m", "monitor", *args], env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=60, cwd=ROOT)

    def call(self, path: str, method: str, *args: str, destination: str = "org.gnome.Shell") -> str:
        """``gdbus call`` on the session bus (as root); the reply as gdbus prints it."""
        return self.run("gdbus", "call", f"--address={self.bus_address}", f"--dest={destination}",
                        f"--object-path={path}", f"--method={method}", *args, as_user=False)

    def helper(self, method: str, *args: str) -> str:
        """Call the test helper's ``method``; its one value as text (see ``gvariant_text``)."""
        return gvariant_text(self.call(HELPER_OBJECT[0], f"{HELPER_OBJECT[1]}.{method}", *args))

    def helper_property(self, name: str) -> str | None:
        result = subprocess.run(
            ["gdbus", "call", f"--address={self.bus_address}", "--dest=org.gnome.Shell",
             f"--object-path={HELPER_OBJECT[0]}", "--method=org.freedesktop.DBus.Properties.Get",
             HELPER_OBJECT[1], name], capture_output=True, text=True, timeout=10)
        return gvariant_text(result.stdout) if result.returncode == 0 else None

    def open_window(self, title: str, *, app_id: str, process_name: str) -> GnomeWindow:
        """A foot window titled ``title``, its process called ``process_name``, focused."""
        fifo = self.workdir / f"title-{next(self._fifos)}"
        os.mkfifo(fifo)
        fifo.chmod(0o666)
        program = self.renamed_copy("foot", process_name)
        env = {**self._base_env(), "WAYLAND_DISPLAY": self.wayland_display}
        process = self.spawn([str(program), f"--app-id={app_id}", f"--title={title}", "sh", "-c", RETITLE,
                              str(fifo)], env, f"client-{len(self.windows)}.log")
        window = GnomeWindow(title, process, fifo)
        self.windows.append(window)
        self.focus(window)  # also waits until the Shell has mapped it
        return window

    def focus(self, window: SessionWindow) -> None:
        """Focus ``window`` as a click would; return once the Shell says it has the focus."""
        def focused() -> bool:
            assert window.process.poll() is None, f"the window's client exited: {self.log()}"
            return self.helper("Activate", window.title) == window.title

        wait_until(focused, timeout=20, interval=0.1, message=f"GNOME Shell to focus {window.title!r}")

    def retitle(self, window: GnomeWindow, title: str) -> None:
        """Have the window's program set its title (OSC 2); return once the Shell shows it."""
        with window.fifo.open("w", encoding="utf-8") as fifo:
            fifo.write(title + "\n")
        window.title = title
        wait_until(lambda: self.helper("Shows", title) == "true", timeout=10, message=f"the title {title!r}")

    def minimised(self, title: str) -> bool:
        return self.helper("Minimised", title) == "true"

    def move_pointer(self) -> None:
        """Move the pointer one pixel, as a person would."""
        self.helper("MovePointer")
