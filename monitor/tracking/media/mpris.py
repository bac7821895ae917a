"""MPRIS media players on the D-Bus session bus, followed by their signals (Linux).

On opening (the first time the person is idle long enough for it to matter) the source
subscribes to ``NameOwnerChanged`` for the ``org.mpris.MediaPlayer2.*`` names and to
``PropertiesChanged`` of ``/org/mpris/MediaPlayer2``, lists the players already there,
and asks each new player once for its process (``GetConnectionUnixProcessID``), its
``PlaybackStatus`` and its title. From then on the players' signals keep the book
(monitor.tracking.media.base.PlayerBook) current: no polling, and a sample reads it
without any D-Bus traffic. A player that leaves the bus is gone at that moment; when
the bus itself goes (a restart, a logout) every player is, and the source connects
again at most every ``retry_every`` seconds. Without a session bus it sees no player
and says why (``problem``); nothing here raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import IdleInhibitor, Player, PlayerBook
from monitor.tracking.media.inhibitors import LinuxInhibitors
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus

if TYPE_CHECKING:
    from dbus_fast import Message

log = logging.getLogger(__name__)

MPRIS_PREFIX = "org.mpris.MediaPlayer2."
MPRIS_PATH = "/org/mpris/MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"
DBUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
NAME_RULE = ("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
             "member='NameOwnerChanged',arg0namespace='org.mpris.MediaPlayer2'")
PROPERTIES_RULE = (f"type='signal',interface='{PROPERTIES}',member='PropertiesChanged',"
                   f"path='{MPRIS_PATH}',arg0='{PLAYER_INTERFACE}'")
RETRY_SECONDS = 30.0


def _value(variant: Any) -> Any:
    """A D-Bus variant's value (dbus-fast's Variant), or the value itself."""
    return getattr(variant, "value", variant)


def _title(metadata: Any) -> str | None:
    title = _value(_value(metadata).get("xesam:title")) if isinstance(_value(metadata), dict) else None
    return title if isinstance(title, str) and title else None


class MprisSource:
    """The session bus's MPRIS players; see the module docstring."""

    name = "mpris"

    def __init__(self, address: str | None = None, *, clock: Callable[[], float] = time.time,
                 retry_every: float = RETRY_SECONDS, inhibitors: LinuxInhibitors | None = None) -> None:
        """Follow the players on the bus at ``address`` (None: the session bus)."""
        self.address = address
        self.clock = clock
        self.retry_every = retry_every
        self.problem: str | None = None
        self._book = PlayerBook()
        self._bus: SessionBus | None = None
        self._pending: dict[str, str] = {}
        """Unique names of players not asked yet for their process and status → their MPRIS name."""
        self._pending_lock = threading.Lock()
        self._next_try = 0.0
        self._inhibitors = inhibitors if inhibitors is not None else LinuxInhibitors(
            lambda: self._bus, clock=clock)

    def players(self) -> tuple[Player, ...]:
        """The players on the bus now, and those gone lately (see PlayerBook.snapshot)."""
        now = self.clock()
        self._keep_connected(now)
        self._ask_new_players(now)
        return self._book.snapshot(now)

    def inhibitors(self) -> tuple[IdleInhibitor, ...]:
        """Idle inhibitors held now (logind's and GNOME's), asked on demand."""
        return self._inhibitors.read()

    def _keep_connected(self, now: float) -> None:
        bus = self._bus
        if bus is not None and bus.connected:
            return
        if bus is not None:
            log.warning("lost the D-Bus session bus: every media player counts as stopped from now")
            self._book.drop_all(now)
            self._bus = None
            bus.close()
        if now < self._next_try:
            return
        self._next_try = now + self.retry_every
        try:
            self._bus = self._subscribe(now)
        except (PlatformUnavailable, DBusCallFailed) as exc:
            if self.problem is None:
                log.warning("cannot see media players (%s); playing media will not count while you "
                            "give no input", exc)
            self.problem = f"no media players can be seen: {exc}"
            return
        if self.problem is not None:
            log.info("media players can be seen again")
        self.problem = None

    def _subscribe(self, now: float) -> SessionBus:
        bus = SessionBus(self.address)
        try:
            bus.add_handler(self._on_message)
            bus.add_match(NAME_RULE)
            bus.add_match(PROPERTIES_RULE)
            [names] = bus.call(*DBUS, "ListNames")
            for name in names:
                if isinstance(name, str) and name.startswith(MPRIS_PREFIX):
                    try:
                        [owner] = bus.call(*DBUS, "GetNameOwner", "s", [name])
                    except DBusCallFailed:  # it left meanwhile
                        continue
                    self._arrived(owner, name, now)
        except BaseException:
            bus.close()
            raise
        return bus

    def _arrived(self, unique: str, name: str, now: float) -> None:
        self._book.set(unique, now, name=name)
        with self._pending_lock:
            self._pending[unique] = name

    def _ask_new_players(self, now: float) -> None:
        """Ask each player that arrived for its process, status and title (once)."""
        with self._pending_lock:
            pending = list(self._pending)
        bus = self._bus
        if bus is None:
            return
        for unique in pending:
            try:
                [pid] = bus.call(*DBUS, "GetConnectionUnixProcessID", "s", [unique])
            except DBusCallFailed:  # gone before we asked
                self._book.drop(unique, now)
                self._forget_pending(unique)
                continue
            except PlatformUnavailable:
                return  # the bus is checked again next time
            status = title = None
            try:
                [status] = bus.call(unique, MPRIS_PATH, PROPERTIES, "Get", "ss", [PLAYER_INTERFACE,
                                                                                "PlaybackStatus"])
                [metadata] = bus.call(unique, MPRIS_PATH, PROPERTIES, "Get", "ss", [PLAYER_INTERFACE,
                                                                                  "Metadata"])
                title = _title(metadata)
            except DBusCallFailed as exc:  # a player that does not answer: known, never playing
                log.debug("the media player %s did not answer: %s", unique, exc)
            except PlatformUnavailable:
                return
            self._forget_pending(unique)
            status_text = _value(status)
            self._book.set(unique, now, pid=int(pid), title=title, create=False,
                           status=status_text if isinstance(status_text, str) else None)

    def _forget_pending(self, unique: str) -> None:
        with self._pending_lock:
            self._pending.pop(unique, None)

    def _on_message(self, message: Message) -> None:
        """Signals from the bus (on the connection's loop thread): players come, go, change."""
        from dbus_fast import MessageType  # noqa: PLC0415 - loaded already by the connection

        if message.message_type != MessageType.SIGNAL or not message.body:
            return
        now = self.clock()
        if message.member == "NameOwnerChanged" and message.interface == DBUS[2]:
            name, old, new = message.body
            if not str(name).startswith(MPRIS_PREFIX):
                return
            if old:
                self._book.drop(old, now)
                self._forget_pending(old)
            if new:
                self._arrived(new, name, now)
        elif message.member == "PropertiesChanged" and message.path == MPRIS_PATH:
            interface, changed = message.body[0], message.body[1]
            if interface != PLAYER_INTERFACE or not isinstance(changed, dict):
                return
            status = _value(changed.get("PlaybackStatus"))
            title = _title(changed["Metadata"]) if "Metadata" in changed else None
            self._book.set(message.sender, now, status=status if isinstance(status, str) else None,
                           title=title, create=False)

    def close(self) -> None:
        """Leave the bus."""
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()
        self._inhibitors.close()
