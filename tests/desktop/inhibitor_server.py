"""Stand-ins for the services that hold idle inhibitors, on a real bus (logind and GNOME cannot run here).

Run as ``python inhibitor_server.py KIND PID APP``:

- ``logind``: owns ``org.freedesktop.login1`` with ``Manager.ListInhibitors`` answering
  one ``idle`` inhibitor held by process PID (on the bus it is started on, a private
  stand-in for the system bus, as RECIPES.md says GNOME Shell needs one too);
- ``gnome``: owns ``org.gnome.SessionManager`` with ``GetInhibitors`` answering one
  inhibitor object whose app id is APP and whose flags say idle (8).

It prints ``ready`` once the name is owned.
"""

from __future__ import annotations

import asyncio
import sys

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method


class Login1Manager(ServiceInterface):
    def __init__(self, pid: int) -> None:
        super().__init__("org.freedesktop.login1.Manager")
        self.pid = pid

    @method()
    def ListInhibitors(self) -> "a(ssssuu)":
        return [["sleep", "backup", "saving", "delay", 0, 1],
                ["idle:sleep", "video player", "playing a film", "block", 0, self.pid]]


class SessionManager(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.gnome.SessionManager")

    @method()
    def GetInhibitors(self) -> "ao":
        return ["/org/gnome/SessionManager/Inhibitor1", "/org/gnome/SessionManager/Inhibitor2"]


class Inhibitor(ServiceInterface):
    def __init__(self, app: str, flags: int) -> None:
        super().__init__("org.gnome.SessionManager.Inhibitor")
        self.app = app
        self.flags = flags

    @method()
    def GetAppId(self) -> "s":
        return self.app

    @method()
    def GetFlags(self) -> "u":
        return self.flags

    @method()
    def GetReason(self) -> "s":
        return "Playing video"


async def main(kind: str, pid: int, app: str) -> None:
    bus = await MessageBus().connect()
    if kind == "logind":
        bus.export("/org/freedesktop/login1", Login1Manager(pid))
        await bus.request_name("org.freedesktop.login1")
    else:
        bus.export("/org/gnome/SessionManager", SessionManager())
        bus.export("/org/gnome/SessionManager/Inhibitor1", Inhibitor("org.gnome.Nautilus", 4))  # suspend only
        bus.export("/org/gnome/SessionManager/Inhibitor2", Inhibitor(app, 8))
        await bus.request_name("org.gnome.SessionManager")
    print("ready", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
