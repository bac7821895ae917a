"""The real-desktop test harness: Xvfb + openbox + a private D-Bus session bus + our own dunst.

Use it through the fixtures in ``tests/desktop/conftest.py``:

``desktop`` (session-scoped) -> ``Desktop``
    ``env``: a complete environment for subprocesses (``subprocess.run(..., env=desktop.env)``):
    DISPLAY, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, XDG_SESSION_TYPE=x11, LANG=C.UTF-8 and
    HOME / XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_CACHE_HOME / XDG_STATE_HOME pointing into the
    desktop's temp dir, so nothing touches the real user's files.
    ``display`` (":N"), ``bus_address``, ``workdir``.
    ``open_window(title, *, kind="xterm", process_name=None, net_wm_pid=None, wm_class=None)``
    -> ``Window`` (``.window_id``, ``.pid``, ``.close()``), returned once the window is mapped
    and managed by openbox. Kinds: ``xterm`` (a real xterm ``-T title``: WM_NAME as STRING or
    COMPOUND_TEXT, _NET_WM_PID set), and python-xlib helper windows that set exactly one title
    property: ``utf8`` (_NET_WM_NAME, UTF8_STRING), ``string`` (_NET_WM_NAME, STRING, Latin-1),
    ``wm_name`` (WM_NAME, STRING) and ``nopid`` (_NET_WM_NAME UTF8_STRING and no _NET_WM_PID).
    Titles may be ``bytes`` for helper kinds (sent as is, e.g. invalid UTF-8).
    ``process_name``: for ``xterm`` a renamed copy of xterm (``<workdir>/bin/<name>``) runs;
    for helper kinds the helper renames itself (prctl), so psutil reports that name.
    ``net_wm_pid`` (helper kinds): advertise this pid instead of the helper's own.
    ``focus(window)`` (xdotool windowactivate --sync), ``active_window_id()``,
    ``window_exists(id)``, ``touch_input()`` (moves the pointer one pixel: resets the
    XScreenSaver idle counter), ``restart_x()`` (kills Xvfb, starts a new one on the same
    display with openbox and dunst; every window dies), ``stop_dunst()`` / ``start_dunst()``
    (the notification service gone, then back on the same bus), ``xprop_root(name)``.
    Windows opened during a test are closed when that test ends (autouse fixture).

``notifications`` (function-scoped) -> ``Notifications``, watching Notify calls on the bus
    from the start of the test (dunst's displayed notifications are closed first).
    ``wait_for(count=1, timeout=10.0)`` -> list of ``Notification`` (``id``, ``app_name``,
    ``summary``, ``body``, ``actions`` as (key, label) pairs, ``labels``, ``hints``,
    ``expire_timeout``, ``replaces_id``); ``notifications`` (captured so far); ``invoked`` (ActionInvoked
    signals as (id, key)); ``press(label)`` presses the button with that label on the newest
    notification offering it and returns the action key dunst invoked; ``click_body()``
    clicks the body of the top notification (``dunstctl action 0``: the most urgent, then
    oldest, displayed one) and returns the invoked key (``"default"``); ``dismiss_all()``.

How a button is pressed: dunst's config has ``dmenu = <python> dmenu_pick.py CHOICE LOG``.
``press`` writes ``{"label": ..., "id": null}`` to CHOICE and runs ``dunstctl context``;
dunst pipes its menu (``#<label> (<summary>) [<id>,<key>]`` per action) to the picker,
which prints the line for that label with the highest id; dunst then emits ActionInvoked,
which ``press`` waits for on the bus. The session bus has no service activation, so a
notification sent while our dunst is down fails instead of starting another dunst.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import select
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import pytest

from tests.helpers import wait_until

HERE = Path(__file__).resolve().parent
WINDOW_HELPER = HERE / "xwindow_helper.py"
DMENU_PICKER = HERE / "dmenu_pick.py"
NOTIFICATIONS = "org.freedesktop.Notifications"
START_TIMEOUT = 15.0

REQUIRED_PROGRAMS = {
    "Xvfb": "xvfb", "openbox": "openbox", "xdotool": "xdotool", "xprop": "x11-utils",
    "dbus-daemon": "dbus", "dbus-send": "dbus", "dbus-monitor": "dbus",
    "dunst": "dunst", "dunstctl": "dunst", "notify-send": "libnotify-bin", "xterm": "xterm",
}

WindowKind = Literal["xterm", "utf8", "string", "wm_name", "nopid"]

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

DUNSTRC = """[global]
    dmenu = {dmenu}
    notification_limit = 0
    stack_duplicates = false
    idle_threshold = 0
    show_indicators = no
    history_length = 0
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""


def require_programs(programs: dict[str, str] | None = None) -> None:
    """Fail (never skip) with the apt packages to install when a desktop program is missing."""
    wanted = REQUIRED_PROGRAMS if programs is None else programs
    missing = {name: pkg for name, pkg in wanted.items() if shutil.which(name) is None}
    if missing:
        pytest.fail(
            "the desktop tests need " + ", ".join(sorted(missing)) + " on PATH; install them "
            "with: sudo apt-get install " + " ".join(sorted(set(missing.values()))),
            pytrace=False,
        )


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 5.0) -> None:
    """Terminate ``proc`` (then kill it) and reap it; a no-op when it already exited."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _read_line(fd: int, proc: subprocess.Popen[bytes], what: str, log: Path | None,
               timeout: float = START_TIMEOUT) -> str:
    """Wait (select, not sleep) for one line on ``fd`` written by ``proc``."""
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()
        where = f"; see {log}" if log else ""
        if remaining <= 0:
            raise AssertionError(f"{what} did not report ready within {timeout:g} s{where}")
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                proc.wait(5)
                raise AssertionError(f"{what} exited (code {proc.returncode}){where}")
            buf += chunk
    return buf.split(b"\n", 1)[0].decode().strip()


def _log_handle(path: Path) -> IO[bytes]:
    return path.open("ab")


class XServer:
    """One Xvfb on display ``:number`` (no TCP, no reset when the last client leaves)."""

    def __init__(self, number: int, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.number = number
        self.proc = proc
        self.log = log

    @property
    def display(self) -> str:
        """The DISPLAY value, ``:N``."""
        return f":{self.number}"

    @classmethod
    def start(cls, workdir: Path, number: int | None = None,
              extra_args: Iterable[str] = ()) -> XServer:
        """Start Xvfb on ``number``, or on a free random display in 100-999 when None.

        Readiness comes from ``-displayfd`` (Xvfb writes the number once it accepts
        clients). Random high numbers keep clear of other testers' ``-displayfd`` scans,
        which start at 0, so ``restart_x`` can reuse the number.
        """
        if number is not None:
            return cls._start_on(workdir, number, list(extra_args))
        candidates = random.sample(range(100, 1000), 40)
        errors: list[str] = []
        for candidate in candidates:
            if Path(f"/tmp/.X{candidate}-lock").exists() or Path(
                    f"/tmp/.X11-unix/X{candidate}").exists():
                continue
            try:
                return cls._start_on(workdir, candidate, list(extra_args))
            except AssertionError as err:
                errors.append(str(err))
        raise AssertionError("could not start Xvfb on a free display: " + "; ".join(errors[-3:]))

    @classmethod
    def _start_on(cls, workdir: Path, number: int, extra_args: list[str]) -> XServer:
        log = workdir / f"Xvfb-{number}-{time.monotonic_ns()}.log"
        read_fd, write_fd = os.pipe()
        try:
            with _log_handle(log) as out:
                proc = subprocess.Popen(
                    ["Xvfb", f":{number}", "-displayfd", str(write_fd), "-nolisten", "tcp",
                     "-noreset", "-screen", "0", "1280x800x24", *extra_args],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(write_fd,),
                    start_new_session=True,
                )
            os.close(write_fd)
            write_fd = -1
            try:
                got = _read_line(read_fd, proc, f"Xvfb :{number}", log)
            except AssertionError:
                stop_process(proc)
                raise
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        if got != str(number):
            stop_process(proc)
            raise AssertionError(f"Xvfb reported display {got!r}, expected {number}")
        return cls(number, proc, log)

    def stop(self) -> None:
        """Stop the server and reap it."""
        stop_process(self.proc)


@dataclass
class Window:
    """A window opened by ``Desktop.open_window``: its X id, its process and how to close it."""

    window_id: int
    pid: int
    kind: str
    process: subprocess.Popen[bytes] = field(repr=False)
    desktop: Desktop = field(repr=False)
    generation: int = field(repr=False)

    def close(self) -> None:
        """End the window's process and wait until the window is gone."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        stop_process(self.process)
        if self.generation == self.desktop.generation:
            wait_until(lambda: not self.desktop.window_exists(self.window_id), timeout=10,
                       message=f"window 0x{self.window_id:x} to disappear")


class Desktop:
    """A private X11 desktop with a D-Bus session bus and dunst; see the module docstring."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.home = workdir / "home"
        self.runtime_dir = workdir / "runtime"
        self.bin_dir = workdir / "bin"
        for folder in (self.home, self.runtime_dir, self.bin_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        self.choice_file = workdir / "dunst-choice.json"
        self.menu_log = workdir / "dunst-menu.jsonl"
        self.x: XServer | None = None
        self.bus_address = ""
        self.env: dict[str, str] = {}
        self.windows: list[Window] = []
        self.generation = 0
        self._openbox: subprocess.Popen[bytes] | None = None
        self._dbus: subprocess.Popen[bytes] | None = None
        self._dunst: subprocess.Popen[bytes] | None = None
        self._pointer_toggle = False

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def display(self) -> str:
        """DISPLAY of the running X server, ``:N``."""
        assert self.x is not None, "the desktop is not started"
        return self.x.display

    @property
    def dunst_pid(self) -> int:
        """The pid of the harness's dunst (the owner of org.freedesktop.Notifications)."""
        assert self._dunst is not None, "the desktop is not started"
        return self._dunst.pid

    def start(self) -> None:
        """Start Xvfb, the session bus, openbox and dunst, in that order."""
        self.x = XServer.start(self.workdir)
        self._start_bus()
        self._build_env()
        self._start_openbox()
        self._start_dunst()

    def close(self) -> None:
        """Close every window and stop dunst, openbox, Xvfb and the bus."""
        for window in self.windows:
            stop_process(window.process)
        self.windows.clear()
        stop_process(self._dunst)
        stop_process(self._openbox)
        if self.x is not None:
            self.x.stop()
        stop_process(self._dbus)

    def restart_x(self) -> None:
        """Kill the X server and start a new one on the same display, then openbox and dunst.

        Every X client dies with the old server: windows opened before are gone (their
        handles' ``close()`` still reaps them). The D-Bus session bus survives.
        """
        assert self.x is not None
        number = self.x.number
        self.x.stop()
        for proc in (self._dunst, self._openbox, *(w.process for w in self.windows)):
            stop_process(proc)  # they exit on their own once the server is gone; reap them
        self.generation += 1
        self.x = XServer.start(self.workdir, number)
        self._start_openbox()
        self._start_dunst()

    def stop_dunst(self) -> None:
        """Kill our dunst and wait until the notification service is gone from the bus."""
        if self._dunst is not None:
            self._dunst.kill()
            self._dunst.wait(10)
        wait_until(lambda: self.bus_name_owner_pid(NOTIFICATIONS) is None, timeout=START_TIMEOUT,
                   message=f"{NOTIFICATIONS} to leave the bus")

    def start_dunst(self) -> None:
        """Start our dunst again on the same bus (after ``stop_dunst``)."""
        self._start_dunst()

    def _build_env(self) -> None:
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "LC_ALL", "XAUTHORITY", "SESSION_MANAGER")}
        env.update({
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_SESSION_TYPE": "x11",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_STATE_HOME": str(self.home / ".local" / "state"),
            "LANG": "C.UTF-8",
        })
        self.env = env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = self.workdir / f"{name}.log"
        with _log_handle(log) as out:
            return subprocess.Popen(args, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=out, start_new_session=True)

    def _start_openbox(self) -> None:
        self._openbox = self._spawn("openbox", ["openbox", "--sm-disable"])
        openbox = self._openbox

        def managing() -> bool:
            if openbox.poll() is not None:
                raise AssertionError(f"openbox exited; see {self.workdir / 'openbox.log'}")
            return self.xprop_root("_NET_SUPPORTING_WM_CHECK") is not None

        wait_until(managing, timeout=START_TIMEOUT, message="openbox to manage the screen")

    def _start_bus(self) -> None:
        bus_dir = self.workdir / "bus"
        bus_dir.mkdir(exist_ok=True)
        config = self.workdir / "session-bus.conf"
        config.write_text(BUS_CONFIG.format(dir=bus_dir))
        read_fd, write_fd = os.pipe()
        log = self.workdir / "dbus-daemon.log"
        try:
            with _log_handle(log) as out:
                self._dbus = subprocess.Popen(
                    ["dbus-daemon", f"--config-file={config}", "--nofork",
                     f"--print-address={write_fd}"],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(write_fd,),
                    start_new_session=True,
                )
            os.close(write_fd)
            write_fd = -1
            self.bus_address = _read_line(read_fd, self._dbus, "dbus-daemon", log)
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)

    def _start_dunst(self) -> None:
        picker = [sys.executable, str(DMENU_PICKER), str(self.choice_file), str(self.menu_log)]
        config = self.workdir / "dunstrc"
        config.write_text(DUNSTRC.format(dmenu=json.dumps(shlex.join(picker))))
        self._dunst = self._spawn("dunst", ["dunst", "-config", str(config)])
        dunst = self._dunst

        def owns_name() -> bool:
            if dunst.poll() is not None:
                raise AssertionError(f"dunst exited; see {self.workdir / 'dunst.log'}")
            return self.bus_name_owner_pid(NOTIFICATIONS) == dunst.pid

        wait_until(owns_name, timeout=START_TIMEOUT, message=f"our dunst to own {NOTIFICATIONS}")

    # -- queries ----------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = 10.0, check: bool = True) -> str:
        """Run a command in the desktop's environment and return its stdout."""
        done = subprocess.run(args, env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"{shlex.join(args)} failed ({done.returncode}): "
                                 f"{done.stderr.strip()}")
        return done.stdout

    def bus_name_owner_pid(self, name: str) -> int | None:
        """The pid of the process that owns ``name`` on the session bus, or None."""
        out = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID",
             f"string:{name}"], env=self.env, capture_output=True, text=True, timeout=10,
            check=False)
        match = re.search(r"uint32 (\d+)", out.stdout)
        return int(match.group(1)) if out.returncode == 0 and match else None

    def xprop_root(self, name: str) -> str | None:
        """The value of root property ``name`` as xprop prints it, or None when unset."""
        out = subprocess.run(["xprop", "-root", "-notype", name], env=self.env,
                             capture_output=True, text=True, timeout=10, check=False)
        if out.returncode != 0 or "not found" in out.stdout or "no such atom" in out.stdout:
            return None
        return out.stdout.strip()

    def active_window_id(self) -> int | None:
        """The root's ``_NET_ACTIVE_WINDOW``, or None when unset or 0."""
        value = self.xprop_root("_NET_ACTIVE_WINDOW")
        match = re.search(r"0x[0-9a-fA-F]+", value or "")
        return int(match.group(0), 16) or None if match else None

    def window_exists(self, window_id: int) -> bool:
        """Whether the X server still has window ``window_id``."""
        out = subprocess.run(["xprop", "-id", str(window_id), "WM_CLASS"], env=self.env,
                             capture_output=True, timeout=10, check=False)
        return out.returncode == 0

    def _managed(self, window_id: int) -> bool:
        out = subprocess.run(["xprop", "-id", str(window_id), "WM_STATE"], env=self.env,
                             capture_output=True, text=True, timeout=10, check=False)
        return out.returncode == 0 and "window state: Normal" in out.stdout

    # -- windows and input ------------------------------------------------------------------

    def open_window(self, title: str | bytes, *, kind: WindowKind = "xterm",
                    process_name: str | None = None, net_wm_pid: int | None = None,
                    wm_class: tuple[str, str] | None = None) -> Window:
        """Open a window and return once openbox manages it (see the module docstring)."""
        if kind == "xterm":
            window = self._open_xterm(title, process_name)
        else:
            window = self._open_helper(title, kind, process_name, net_wm_pid, wm_class)
        self.windows.append(window)
        wait_until(lambda: self._managed(window.window_id), timeout=START_TIMEOUT,
                   message=f"openbox to manage window 0x{window.window_id:x}")
        return window

    def _open_xterm(self, title: str | bytes, process_name: str | None) -> Window:
        if not isinstance(title, str):
            raise TypeError("xterm titles are str (xterm reads -T in the locale, UTF-8)")
        program = shutil.which("xterm") or "xterm"
        if process_name:
            renamed = self.bin_dir / process_name
            if not renamed.exists():
                shutil.copy2(program, renamed)
            program = str(renamed)
        proc = self._spawn("xterm", [program, "-T", title, "-geometry", "80x10+0+0",
                                     "-xrm", "*allowTitleOps: false", "-e", "sleep", "infinity"])

        def found() -> int | None:
            if proc.poll() is not None:
                raise AssertionError(f"xterm exited ({proc.returncode}); see "
                                     f"{self.workdir / 'xterm.log'}")
            out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                                 env=self.env, capture_output=True, text=True, timeout=10,
                                 check=False)
            ids = out.stdout.split()
            return int(ids[0]) if out.returncode == 0 and ids else None

        window_id = wait_until(found, timeout=START_TIMEOUT, message="the xterm window")
        assert window_id is not None
        return Window(window_id, proc.pid, "xterm", proc, self, self.generation)

    def _open_helper(self, title: str | bytes, kind: WindowKind, process_name: str | None,
                     net_wm_pid: int | None, wm_class: tuple[str, str] | None) -> Window:
        latin1 = kind in ("string", "wm_name")
        raw = title.encode("latin-1" if latin1 else "utf-8") if isinstance(title, str) else title
        args = [sys.executable, str(WINDOW_HELPER), "--title-hex", raw.hex(),
                "--property", "WM_NAME" if kind == "wm_name" else "_NET_WM_NAME",
                "--type", "STRING" if latin1 else "UTF8_STRING",
                "--net-wm-pid", "none" if kind == "nopid" else str(net_wm_pid or "self"),
                "--wm-class", ",".join(wm_class or ("xwindow", "XWindow"))]
        if process_name:
            args += ["--process-name", process_name]
        log = self.workdir / "xwindow.log"
        with _log_handle(log) as err:
            proc = subprocess.Popen(args, env=self.env, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=err, start_new_session=True)
        assert proc.stdout is not None
        try:
            line = _read_line(proc.stdout.fileno(), proc, f"the {kind} window helper", log)
        except AssertionError:
            stop_process(proc)
            raise
        proc.stdout.close()
        return Window(int(line.split()[1]), proc.pid, kind, proc, self, self.generation)

    def focus(self, window: Window | int) -> None:
        """Activate ``window`` through the window manager and wait until it is active."""
        window_id = window if isinstance(window, int) else window.window_id
        self.run("xdotool", "windowactivate", "--sync", str(window_id), timeout=15)
        wait_until(lambda: self.active_window_id() == window_id, timeout=10,
                   message=f"window 0x{window_id:x} to become active")

    def touch_input(self) -> None:
        """Move the pointer by one pixel (XTEST input: resets the XScreenSaver idle counter)."""
        self._pointer_toggle = not self._pointer_toggle
        # relative, so the pointer always really moves (an absolute move to where it already
        # is, as on a freshly restarted server, would make --sync wait for nothing)
        self.run("xdotool", "mousemove_relative", "--sync", "--", "1" if self._pointer_toggle else "-1", "0")

    def close_windows(self, keep: int = 0) -> None:
        """Close the windows opened after the first ``keep`` (the per-test cleanup)."""
        while len(self.windows) > keep:
            self.windows.pop().close()


# -- notifications ---------------------------------------------------------------------------

_HEADER = re.compile(
    r"^(?P<type>method call|method return|signal|error) time=\S+ sender=(?P<sender>\S+) -> "
    r"destination=(?P<destination>\(null destination\)|\S+) serial=(?P<serial>\d+)"
    r"(?: reply_serial=(?P<reply_serial>\d+))?"
    r"(?: path=(?P<path>[^;]*); interface=(?P<interface>[^;]*); member=(?P<member>\S+))?",
    re.MULTILINE,
)
_NOTIFY_BODY = re.compile(
    r'\A\s*string "(?P<app>.*?)"\n\s*uint32 (?P<replaces>\d+)\n\s*string "(?P<icon>.*?)"\n'
    r'\s*string "(?P<summary>.*?)"\n\s*string "(?P<body>.*?)"\n'
    r"\s*array \[\n?(?P<actions>.*?)\s*\]\n\s*array \[\n?(?P<hints>.*)\]\n"
    r"\s*int32 (?P<timeout>-?\d+)\s*\Z",
    re.DOTALL,
)
_STRING_ITEM = re.compile(r'^\s*string "(.*)"$', re.MULTILINE)
_MENU_LINE = re.compile(r"\[(?P<id>\d+),(?P<key>[^\]]*)\]$")


@dataclass(frozen=True)
class Notification:
    """One Notify call seen on the bus (``id`` from dunst's reply, None until it answered)."""

    id: int | None
    app_name: str
    summary: str
    body: str
    actions: tuple[tuple[str, str], ...]
    hints: str
    expire_timeout: int
    replaces_id: int = 0
    """The id of the notification this one asked to replace (0: none)."""

    @property
    def labels(self) -> list[str]:
        """The button labels, in order."""
        return [label for _, label in self.actions]


@dataclass(frozen=True)
class _Message:
    kind: str
    sender: str
    destination: str
    serial: int
    reply_serial: int | None
    member: str | None
    body: str


def _parse_messages(text: str) -> list[_Message]:
    heads = list(_HEADER.finditer(text))
    messages = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        reply = head.group("reply_serial")
        messages.append(_Message(
            head.group("type"), head.group("sender"), head.group("destination"),
            int(head.group("serial")), int(reply) if reply else None, head.group("member"),
            text[head.end():end].lstrip("\n").rstrip("\n"),
        ))
    return messages


class Notifications:
    """Watches Notify calls and ActionInvoked signals on the desktop's bus (dbus-monitor)."""

    def __init__(self, desktop: Desktop) -> None:
        self.desktop = desktop
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        """Start dbus-monitor and wait until it demonstrably sees messages on the bus."""
        self._proc = subprocess.Popen(
            ["dbus-monitor", "--session",
             f"type='method_call',interface='{NOTIFICATIONS}',member='Notify'",
             f"type='method_return',sender='{NOTIFICATIONS}'",
             f"type='signal',interface='{NOTIFICATIONS}'",
             "type='signal',interface='org.unscroll.Harness'"],
            env=self.desktop.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

        def sees_ping() -> bool:
            subprocess.run(["dbus-send", "--session", "--type=signal", "/org/unscroll/Harness",
                            "org.unscroll.Harness.Ping"], env=self.desktop.env, timeout=10,
                           check=True)
            return any(m.member == "Ping" for m in self._messages())

        wait_until(sees_ping, timeout=START_TIMEOUT, message="dbus-monitor to watch the bus")

    def stop(self) -> None:
        """Stop watching."""
        stop_process(self._proc)
        if self._reader is not None:
            self._reader.join(5)

    def _read(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        for raw in self._proc.stdout:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def _messages(self) -> list[_Message]:
        with self._lock:
            text = "\n".join(self._lines)
        return _parse_messages(text)

    @property
    def notifications(self) -> list[Notification]:
        """Every Notify call captured so far, oldest first."""
        messages = self._messages()
        replies = {(m.destination, m.reply_serial): m for m in messages
                   if m.kind == "method return"}
        found = []
        for number, msg in enumerate(messages, 1):
            if msg.kind != "method call" or msg.member != "Notify":
                continue
            match = _NOTIFY_BODY.match(msg.body)
            if match is None and number == len(messages):
                break  # dbus-monitor is still writing it: read it next time
            if match is None:
                raise AssertionError(f"cannot parse a Notify call from dbus-monitor:\n{msg.body}")
            strings = _STRING_ITEM.findall(match.group("actions"))
            reply = replies.get((msg.sender, msg.serial))
            id_match = re.search(r"uint32 (\d+)", reply.body) if reply else None
            found.append(Notification(
                id=int(id_match.group(1)) if id_match else None,
                app_name=match.group("app"), summary=match.group("summary"),
                body=match.group("body"),
                actions=tuple(zip(strings[0::2], strings[1::2], strict=False)),
                hints=match.group("hints"), expire_timeout=int(match.group("timeout")),
                replaces_id=int(match.group("replaces")),
            ))
        return found

    @property
    def invoked(self) -> list[tuple[int, str]]:
        """ActionInvoked signals seen so far, as (notification id, action key)."""
        result = []
        for msg in self._messages():
            if msg.kind == "signal" and msg.member == "ActionInvoked":
                match = re.search(r'uint32 (\d+)\s*\n\s*string "(.*)"', msg.body)
                if match:
                    result.append((int(match.group(1)), match.group(2)))
        return result

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Notification]:
        """Wait until at least ``count`` notifications were sent; return them all."""
        def enough() -> list[Notification] | None:
            found = self.notifications
            return found if len(found) >= count else None

        try:
            found = wait_until(enough, timeout=timeout, message=f"{count} notification(s)")
        except AssertionError as err:
            raise AssertionError(f"{err}; captured: {self.notifications}") from None
        assert found is not None
        return found

    def _menu_runs(self) -> list[dict[str, object]]:
        path = self.desktop.menu_log
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line]

    def _wait_invoked(self, since: int, what: str, timeout: float,
                      expect: tuple[int, str] | None = None) -> str:
        def seen() -> str | None:
            for nid, key in self.invoked[since:]:
                if expect is None or (nid, key) == expect:
                    return key
            return None

        key = wait_until(seen, timeout=timeout, message=f"dunst to invoke {what}")
        assert key is not None
        return key

    def press(self, label: str, *, timeout: float = 10.0) -> str:
        """Press the button ``label`` on the newest notification that has it; return its key."""
        runs_before = len(self._menu_runs())
        invoked_before = len(self.invoked)
        self.desktop.choice_file.write_text(json.dumps({"label": label, "id": None}))
        self.desktop.run("dunstctl", "context")
        try:
            runs = wait_until(lambda: self._menu_runs()[runs_before:], timeout=timeout,
                              message="dunst to open its menu (does a notification have "
                                      "buttons?)")
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.desktop.choice_file.unlink()
        picked = runs[0].get("picked")
        if not isinstance(picked, str):
            raise AssertionError(f"no button {label!r} in dunst's menu: {runs[0].get('lines')}")
        match = _MENU_LINE.search(picked)
        assert match is not None, picked
        expect = (int(match.group("id")), match.group("key"))
        return self._wait_invoked(invoked_before, f"{expect[1]!r} on notification {expect[0]}",
                                  timeout, expect)

    def click_body(self, *, timeout: float = 10.0) -> str:
        """Click the body of the top notification (``dunstctl action 0``); return the key.

        The top one is the most urgent, then the oldest, displayed notification; dunst 1.9
        cannot click any other position. Usually exactly one is displayed (the fixture closes
        old ones); ``invoked[-1]`` tells which notification was clicked. A notification
        without a ``default`` action opens the menu instead, which the picker dismisses, and
        this then times out.
        """
        count = int(self.desktop.run("dunstctl", "count", "displayed").strip() or 0)
        if count == 0:
            raise AssertionError("dunst displays no notification to click")
        invoked_before = len(self.invoked)
        self.desktop.run("dunstctl", "action", "0")
        return self._wait_invoked(invoked_before, "the default action (body click)", timeout)

    def dismiss_all(self) -> None:
        """Close every notification dunst shows."""
        self.desktop.run("dunstctl", "close-all")
