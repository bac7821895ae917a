"""A small notification server that advertises inline replies (which dunst lacks).

Run as ``python reply_server.py LOG REPLY``: it owns org.freedesktop.Notifications on
the session bus, appends each Notify call to LOG as a JSON line, and answers every
notification that offers a reply field with ``NotificationReplied(id, REPLY)`` — the
KDE extension desktop-notifier uses — half a second later, as a person typing would.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Notifications(ServiceInterface):
    """The parts of the Desktop Notifications spec a client needs, plus inline replies."""

    def __init__(self, log: Path, reply: str) -> None:
        super().__init__(NAME)
        self.log = log
        self.reply = reply
        self.next_id = 0

    @method()
    def GetCapabilities(self) -> "as":
        return ["actions", "body", "inline-reply"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["reply-server", "unscroll-tests", "1.0", "1.2"]

    @method()
    def Notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s",
               body: "s", actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":
        self.next_id += 1
        nid = self.next_id
        with self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"id": nid, "summary": summary, "body": body, "actions": actions}) + "\n")
        if "inline-reply" in actions:
            asyncio.get_running_loop().call_later(0.5, self.NotificationReplied, nid, self.reply)
        return nid

    @method()
    def CloseNotification(self, nid: "u"):
        del nid

    @signal()
    def NotificationReplied(self, nid: "u", text: "s") -> "us":
        return [nid, text]

    @signal()
    def ActionInvoked(self, nid: "u", key: "s") -> "us":
        return [nid, key]

    @signal()
    def NotificationClosed(self, nid: "u", reason: "u") -> "uu":
        return [nid, reason]


async def serve(log: Path, reply: str) -> None:
    bus = await MessageBus().connect()
    bus.export(PATH, Notifications(log, reply))
    await bus.request_name(NAME)
    print("ready", flush=True)
    await bus.wait_for_disconnect()



if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1]), sys.argv[2]))
