"""Linux notices through desktop-notifier's D-Bus backend, with what that backend lacks.

desktop-notifier always sends ``replaces_id`` 0 and never says which id the server gave
(its issue #196), so a heads-up could not be replaced by the over-budget notice that
follows it. ``ReplacingDBusNotifier`` wraps the one Notify call of the backend: it fills
in ``replaces_id`` from the ``NoticeHandle`` asked for, when that handle came from the
server that owns org.freedesktop.Notifications now (a restarted server hands out the
same small ids again, to other programs' notices), and reports the new handle back.

Staying on screen: a notice with ``timeout_s`` 0 is sent with expire_timeout 0, which the
specification defines as "never expires" and dunst, KDE Plasma, xfce4-notifyd and mako
honour. GNOME Shell ignores expire_timeout and keeps only critical notices on screen, so
for it alone (``GetServerInformation`` name ``gnome-shell``) such a notice is sent with
urgency critical as well. Elsewhere urgency stays normal: dunst and others paint
critical notices as alarms, and a budget is not an emergency.

Imported on Linux only (dbus-fast is a Linux dependency), on the notifier's event loop.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from dbus_fast import Message, MessageType, Variant
from dbus_fast.aio import MessageBus, ProxyInterface
from desktop_notifier import Notification
from desktop_notifier.backends.dbus import DBusDesktopNotifier

from monitor.nudge.notice import STAYS, NoticeHandle

NOTIFICATIONS = "org.freedesktop.Notifications"
IGNORES_EXPIRE_TIMEOUT = frozenset({"gnome-shell"})
"""Notification servers (by GetServerInformation name) that keep only critical notices up."""
CRITICAL = 2


@dataclass
class _NotifyCall:
    """What one send asks of the Notify call, and what came back."""

    replaces: NoticeHandle | None
    shown: NoticeHandle | None = None


_CALL: contextvars.ContextVar[_NotifyCall | None] = contextvars.ContextVar("unscroll_notify_call",
                                                                            default=None)
"""The call in progress in this task (each send runs as its own task on the notifier's loop)."""


async def _name_owner(bus: MessageBus, name: str) -> str | None:
    """The unique name that owns ``name`` on ``bus`` now, or None."""
    reply = await bus.call(Message(destination="org.freedesktop.DBus", path="/org/freedesktop/DBus",
                                   interface="org.freedesktop.DBus", member="GetNameOwner",
                                   signature="s", body=[name]))
    if reply is None or reply.message_type != MessageType.METHOD_RETURN:
        return None
    return str(reply.body[0])


async def service_present() -> bool:
    """True when a notification service owns org.freedesktop.Notifications on the session bus."""
    try:
        bus = await MessageBus().connect()
    except Exception:  # no session bus at all (its address unset, its socket gone)
        return False
    try:
        return await _name_owner(bus, NOTIFICATIONS) is not None
    finally:
        bus.disconnect()


def replaces_id_for(wanted: NoticeHandle | None, owner: str | None) -> int:
    """The ``replaces_id`` to send: the wanted notice's id if the server showing it still runs, else 0."""
    if wanted is None or owner is None or wanted.server != owner:
        return 0
    return wanted.notice_id


def _critical(hints: Any) -> Any:
    """``hints`` (a{sv}, or a{ss} for old servers) with urgency critical."""
    if not isinstance(hints, dict):
        return hints
    value = Variant("y", CRITICAL) if hints and isinstance(next(iter(hints.values())), Variant) \
        else str(CRITICAL)
    return {**hints, "urgency": value}


class ReplacingDBusNotifier(DBusDesktopNotifier):
    """desktop-notifier's D-Bus backend that can replace a notice and tells the id it got."""

    server_name = ""
    """The notification server's name (GetServerInformation), once connected."""

    async def _init_dbus(self) -> ProxyInterface:
        try:
            interface = await super()._init_dbus()
        except Exception:  # no service to introspect: do not leave the connection open
            bus: MessageBus | None = getattr(self, "bus", None)
            if bus is not None:
                bus.disconnect()
            raise
        info = await interface.call_get_server_information()  # type: ignore[attr-defined]
        self.server_name = str(info[0])
        notify = interface.call_notify  # type: ignore[attr-defined]
        connected = self.bus

        async def call_notify(app_name: str, _replaces_id: int, icon: str, summary: str, body: str,
                              actions: list[str], hints: Any, timeout: int) -> int:
            """Notify, with the ``replaces_id`` and urgency this send wants; note the id given."""
            call = _CALL.get()
            owner = await _name_owner(connected, NOTIFICATIONS)
            replaces_id = replaces_id_for(None if call is None else call.replaces, owner)
            if timeout == STAYS and self.server_name in IGNORES_EXPIRE_TIMEOUT:
                hints = _critical(hints)
            notice_id = int(await notify(app_name, replaces_id, icon, summary, body, actions, hints,
                                         timeout))
            if call is not None and owner is not None:
                call.shown = NoticeHandle(owner, notice_id)
            return notice_id

        setattr(interface, "call_notify", call_notify)  # noqa: B010 - a generated method
        return interface

    async def send_replacing(self, notification: Notification,
                             replaces: NoticeHandle | None) -> NoticeHandle | None:
        """Send ``notification`` in place of ``replaces`` (if still valid); return its handle."""
        if self.interface is None:
            # connect here, not inside send(): that logs a traceback for each notice while no
            # service runs, where the notifier says it once, with the reason, and falls back
            self.interface = await self._init_dbus()
        call = _NotifyCall(replaces)
        token = _CALL.set(call)
        try:
            await self.send(notification)
        finally:
            _CALL.reset(token)
        return call.shown
