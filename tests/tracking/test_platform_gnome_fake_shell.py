"""The GNOME Shell backend on a real D-Bus bus, against a fake GNOME Shell and fake extensions.

The third-party extensions ("Focused Window D-Bus", "Window Calls") cannot be fetched
here, so a small service of ours owns ``org.gnome.Shell`` and ``org.gnome.Mutter.IdleMonitor``
on a private dbus-daemon and exports what they export (same paths, interfaces, methods and
JSON). Detection by introspection, the calls, the parsing and the messages are real.
unscroll's own extension runs for real on a real GNOME Shell in tests/desktop/test_gnome.py;
here a fake of it only shows that it is preferred to the third-party ones and that its
signal wakes the backend.
"""
# no `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from them

import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

if sys.platform != "linux" or shutil.which("dbus-daemon") is None:
    pytest.skip("needs Linux and dbus-daemon", allow_module_level=True)

from dbus_fast.aio import MessageBus
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import detect_backend, idle_notice, open_platform
from monitor.tracking.platforms.gnome_focus import INTERFACE, OBJECT_PATH
from monitor.tracking.platforms.gnome_shell import GnomeShellPlatform

OWN_NAME = psutil.Process(os.getpid()).name()

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


class FocusedWindowExtension(ServiceInterface):
    def __init__(self, interface: str, reply: dict[str, Any]) -> None:
        super().__init__(interface)
        self.reply = reply

    @method()
    def Get(self) -> "s":  # noqa: F821 - D-Bus names and signatures
        return json.dumps(self.reply)


class WindowCallsExtension(ServiceInterface):
    def __init__(self, windows: list[dict[str, Any]], titles: dict[int, str]) -> None:
        super().__init__("org.gnome.Shell.Extensions.Windows")
        self.windows = windows
        self.titles = titles

    @method()
    def List(self) -> "s":  # noqa: F821
        return json.dumps(self.windows)

    @method()
    def GetTitle(self, winid: "u") -> "s":  # noqa: F821
        return self.titles[winid]


class FakeUnscrollExtension(ServiceInterface):
    """A fake of unscroll's own extension: the real one is in monitor/tracking/platforms/gnome_extension."""

    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(INTERFACE)
        self.reply = reply
        self.minimised: list[str] = []

    @method()
    def GetFocused(self) -> "s":  # noqa: F821
        return json.dumps(self.reply)

    @method()
    def Minimise(self, window: "s") -> "b":  # noqa: F821
        self.minimised.append(window)
        return window == self.reply.get("id")

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> "u":  # noqa: F821
        return 1

    @signal()
    def FocusChanged(self) -> "s":  # noqa: F821
        return json.dumps(self.reply)


class IdleMonitor(ServiceInterface):
    def __init__(self, milliseconds: int) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.milliseconds = milliseconds

    @method()
    def GetIdletime(self) -> "t":  # noqa: F821
        return self.milliseconds


class FakeSession:
    """A private bus, and services on it run by an event loop in a thread."""

    def __init__(self, workdir: Path) -> None:
        self.home = workdir / "home"
        config = workdir / "bus.conf"
        config.write_text(BUS_CONFIG.format(dir=workdir))
        self.daemon = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork",
                                        "--print-address"], stdout=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL)
        assert self.daemon.stdout is not None
        self.address = self.daemon.stdout.readline().decode().strip()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        async def connect() -> Any:
            return await MessageBus(bus_address=self.address).connect()

        self.bus: Any = self._run(connect())

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def serve(self, name: str, path: str, interface: ServiceInterface) -> None:
        self.bus.export(path, interface)
        self._run(self.bus.request_name(name))

    def unexport(self, path: str) -> None:
        self.loop.call_soon_threadsafe(self.bus.unexport, path)

    def env(self) -> dict[str, str]:
        return {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
                "WAYLAND_DISPLAY": "wayland-0", "DBUS_SESSION_BUS_ADDRESS": self.address,
                "HOME": str(self.home), "XDG_DATA_DIRS": str(self.home / "system")}

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.bus.disconnect)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.daemon.terminate()
        self.daemon.wait(5)


@pytest.fixture
def session(tmp_path) -> Iterator[FakeSession]:
    running = FakeSession(tmp_path)
    yield running
    running.close()


FOCUSED = {"title": "Inbox — Mozilla Thunderbird", "wm_class": "thunderbird",
           "wm_class_instance": "Mail", "pid": os.getpid(), "id": 2274918779, "focus": True}


@pytest.mark.parametrize(("path", "interface"), [
    ("/org/gnome/shell/extensions/FocusedWindow", "org.gnome.shell.extensions.FocusedWindow"),
    ("/org/gnome/Shell/Extensions/FocusedWindow", "org.gnome.Shell.Extensions.FocusedWindow"),
])
def test_focused_window_extension(session, path, interface):
    session.serve("org.gnome.Shell", path, FocusedWindowExtension(interface, FOCUSED))
    session.serve("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                  IdleMonitor(12_500))
    assert detect_backend(session.env(), "linux") == "gnome"
    platform = open_platform(session.env())
    try:
        assert isinstance(platform, GnomeShellPlatform)
        seen = platform.active_window()
        assert seen is not None
        assert (seen.app, seen.title, seen.pid) == (OWN_NAME, FOCUSED["title"], os.getpid())
        assert platform.idle_seconds() == 12.5
    finally:
        platform.close()


def test_nothing_focused(session):
    extension = FocusedWindowExtension("org.gnome.shell.extensions.FocusedWindow", {})
    session.serve("org.gnome.Shell", "/org/gnome/shell/extensions/FocusedWindow", extension)
    platform = GnomeShellPlatform(session.address)
    try:
        assert platform.active_window() is None
        extension.reply = {**FOCUSED, "pid": 2**22 + 12345}  # a process we cannot read
        seen = platform.active_window()
        assert seen is not None
        assert seen.app == "thunderbird"
    finally:
        platform.close()


@pytest.mark.parametrize("with_titles", [True, False])
def test_window_calls_extension(session, with_titles):
    windows = [
        {"wm_class": "org.gnome.Nautilus", "pid": 1, "id": 11, "focus": False, "title": "Files"},
        {"wm_class": "firefox", "pid": os.getpid(), "id": 12, "focus": True, "title": "News — Firefox"},
    ]
    if not with_titles:  # some versions list no titles and answer GetTitle(id)
        windows = [{k: v for k, v in w.items() if k != "title"} for w in windows]
    session.serve("org.gnome.Shell", "/org/gnome/Shell/Extensions/Windows",
                  WindowCallsExtension(windows, {11: "Files", 12: "News — Firefox"}))
    assert detect_backend(session.env(), "linux") == "gnome"
    platform = GnomeShellPlatform(session.address)
    try:
        seen = platform.active_window()
    finally:
        platform.close()
    assert seen is not None
    assert (seen.app, seen.title, seen.pid) == (OWN_NAME, "News — Firefox", os.getpid())


def test_unscrolls_extension_comes_first_signals_and_minimises(session):
    ours = FakeUnscrollExtension({**FOCUSED, "id": "2274918779",
                                  "sandboxed_app_id": "org.mozilla.Thunderbird"})
    third_party = FocusedWindowExtension("org.gnome.shell.extensions.FocusedWindow", {"title": "third party"})
    session.serve("org.gnome.Shell", "/org/gnome/shell/extensions/FocusedWindow", third_party)
    session.serve("org.gnome.Shell", OBJECT_PATH, ours)
    platform = GnomeShellPlatform(session.address, env=session.env())
    try:
        seen = platform.active_window()
        assert seen is not None
        assert (seen.title, seen.pid, seen.handle) == (FOCUSED["title"], os.getpid(), "2274918779")
        assert platform.wait_for_change(0.2) is None
        ours.reply = {**ours.reply, "title": "Drafts — Mozilla Thunderbird"}
        session.loop.call_soon_threadsafe(ours.FocusChanged)
        assert platform.wait_for_change(5.0) is not None
        assert platform.active_window().title == "Drafts — Mozilla Thunderbird"
        assert platform.minimise("2274918779") is True
        assert platform.minimise("1") is False
        assert ours.minimised == ["2274918779", "1"]
    finally:
        platform.close()


def test_a_third_party_extension_cannot_minimise(session, caplog):
    session.serve("org.gnome.Shell", "/org/gnome/shell/extensions/FocusedWindow",
                  FocusedWindowExtension("org.gnome.shell.extensions.FocusedWindow", FOCUSED))
    platform = GnomeShellPlatform(session.address, env=session.env())
    try:
        with caplog.at_level("INFO"):
            assert platform.minimise("1") is False
        assert platform.wait_for_change(0.1) is None  # it signals nothing: the timer samples
    finally:
        platform.close()
    assert "`unscroll gnome install`" in caplog.text


def test_without_an_extension_the_message_names_it(session):
    session.serve("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", IdleMonitor(0))
    session.serve("org.gnome.Shell", "/org/gnome/Shell/Other",
                  FocusedWindowExtension("org.example.Unrelated", FOCUSED))
    with pytest.raises(PlatformUnavailable) as caught:
        detect_backend(session.env(), "linux")
    message = str(caught.value)
    assert "run `unscroll gnome install`" in message
    assert "log out and back in once" in message
    assert '"Focused Window D-Bus" extension' in message
    assert "https://extensions.gnome.org/extension/5592/focused-window-d-bus/" in message
    assert '"Window Calls"' in message
    assert "GNOME on Xorg" in message


def test_without_gnome_shell_on_the_bus(session):
    with pytest.raises(PlatformUnavailable, match=r"org\.gnome\.Shell has no owner"):
        detect_backend(session.env(), "linux")


def test_without_a_bus(tmp_path):
    env = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME",
           "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}
    with pytest.raises(PlatformUnavailable, match="cannot connect to the D-Bus session bus"):
        detect_backend(env, "linux")


def test_an_extension_turned_off_while_running(session):
    path = "/org/gnome/shell/extensions/FocusedWindow"
    session.serve("org.gnome.Shell", path,
                  FocusedWindowExtension("org.gnome.shell.extensions.FocusedWindow", FOCUSED))
    platform = GnomeShellPlatform(session.address, env=session.env())
    try:
        assert platform.active_window() is not None
        session.unexport(path)
        with pytest.raises(PlatformUnavailable, match="Focused Window D-Bus extension stopped answering"):
            platform.active_window()
        with pytest.raises(PlatformUnavailable, match="none answers"):
            platform.active_window()  # looked for again, and it is gone
    finally:
        platform.close()


def test_without_mutter_idle_is_unknown_and_logged_once(session, caplog, monkeypatch):
    monkeypatch.setattr(idle_notice, "_warned", set())
    session.serve("org.gnome.Shell", "/org/gnome/shell/extensions/FocusedWindow",
                  FocusedWindowExtension("org.gnome.shell.extensions.FocusedWindow", FOCUSED))
    platform = GnomeShellPlatform(session.address)
    try:
        with caplog.at_level("WARNING"):
            assert platform.idle_seconds() == 0.0
            assert platform.idle_seconds() == 0.0
    finally:
        platform.close()
    [warning] = [r.getMessage() for r in caplog.records if "idle time is unknown" in r.getMessage()]
    assert "org.gnome.Mutter.IdleMonitor" in warning
