"""The tray icon on Linux: a StatusNotifierItem with a dbusmenu, over dbus-fast.

The item (``org.kde.StatusNotifierItem`` at ``/StatusNotifierItem``, under the bus name
``org.kde.StatusNotifierItem-PID-1``) registers with the ``org.kde.StatusNotifierWatcher``
that the tray host runs: KDE Plasma, GNOME's AppIndicator extension, XFCE's and
Cinnamon's panels, waybar. It follows the watcher's name on the bus, so when the host
goes away the item says so ("no tray host", logged once) and when a host comes back
(a restarted panel) the item registers again and the icon is back, unscroll untouched.

A host reads the properties (``IconPixmap``: the dial of monitor.tray.icons; ``Title``
and ``ToolTip``: the view's title) and follows the ``NewIcon``, ``NewTitle`` and
``NewToolTip`` signals; ``ItemIsMenu`` asks it to open the menu on a click.

``SniBackend.run`` runs the asyncio loop on the calling (main) thread; ``show`` and
``stop`` may be called from any thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from typing import Annotated, Any

from dbus_fast import Message, MessageFlag, MessageType
from dbus_fast.annotations import DBusBool, DBusInt32, DBusObjectPath, DBusSignature, DBusStr
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from monitor.tray.dbusmenu import MENU_PATH, MenuInterface
from monitor.tray.icons import pixmaps
from monitor.tray.standing import NO_HOST, NO_HOST_HELP, SHOWN
from monitor.tray.view import TrayView

log = logging.getLogger(__name__)

ITEM_INTERFACE = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
BUS = "org.freedesktop.DBus"
NO_HOST_WORDS = f"{NO_HOST}: {NO_HOST_HELP}"
WATCHER_MATCH = (f"type='signal',sender='{BUS}',interface='{BUS}',member='NameOwnerChanged',"
                 f"arg0='{WATCHER}'")
HOST_MATCH = f"type='signal',interface='{WATCHER}',member='StatusNotifierHostRegistered'"

# D-Bus signatures, read by dbus-fast from these annotations (they must stay module names)
Nothing = Annotated[None, DBusSignature("")]
Pixmaps = Annotated[list[Any], DBusSignature("a(iiay)")]
ToolTip = Annotated[list[Any], DBusSignature("(sa(iiay)ss)")]


class ItemInterface(ServiceInterface):
    """``org.kde.StatusNotifierItem``: the icon, its title and tooltip, and where its menu is."""

    def __init__(self) -> None:
        """An empty dial titled "unscroll" until the first view."""
        super().__init__(ITEM_INTERFACE)
        self.title = "unscroll"
        self.icon = pixmaps(0, False)

    def set_view(self, view: TrayView) -> None:
        """Take the view's icon and title, announcing each that changed."""
        icon = pixmaps(view.level, view.paused)
        if icon != self.icon:
            self.icon = icon
            self.NewIcon()
        if view.title != self.title:
            self.title = view.title
            self.NewTitle()
            self.NewToolTip()

    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> DBusStr:
        """What kind of item this is."""
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> DBusStr:
        """The application's name."""
        return "unscroll"

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> DBusStr:
        """Today against the budgets, in one line."""
        return self.title

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> DBusStr:
        """Always shown (``Active``)."""
        return "Active"

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> DBusInt32:
        """No window of its own."""
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> DBusStr:
        """No themed icon: the pixmaps are the icon."""
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> Pixmaps:
        """The dial at several sizes (ARGB32)."""
        return [list(size) for size in self.icon]

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconName(self) -> DBusStr:
        """No overlay."""
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconPixmap(self) -> Pixmaps:
        """No overlay."""
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> DBusStr:
        """The item never asks for attention."""
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> Pixmaps:
        """The item never asks for attention."""
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionMovieName(self) -> DBusStr:
        """The item never asks for attention."""
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> ToolTip:
        """The title again, as the tooltip (no icon of its own)."""
        return ["", [], "unscroll", self.title]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> DBusBool:
        """A click opens the menu."""
        return True

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> DBusObjectPath:
        """Where the dbusmenu is."""
        return MENU_PATH

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> DBusStr:
        """No icon theme (KDE's extension to the protocol)."""
        return ""

    @dbus_method()
    def ContextMenu(self, x: DBusInt32, y: DBusInt32) -> Nothing:
        """Hosts show the menu themselves (``Menu``)."""

    @dbus_method()
    def Activate(self, x: DBusInt32, y: DBusInt32) -> Nothing:
        """Hosts that activate rather than open the menu: nothing else to do."""

    @dbus_method()
    def SecondaryActivate(self, x: DBusInt32, y: DBusInt32) -> Nothing:
        """A middle click: nothing to do."""

    @dbus_method()
    def Scroll(self, delta: DBusInt32, orientation: DBusStr) -> Nothing:
        """Scrolling over the icon: nothing to do."""

    @dbus_signal()
    def NewTitle(self) -> Nothing:
        """The title changed."""

    @dbus_signal()
    def NewIcon(self) -> Nothing:
        """The icon changed."""

    @dbus_signal()
    def NewToolTip(self) -> Nothing:
        """The tooltip changed."""


class SniBackend:
    """The StatusNotifierItem, its menu and its registration, on an asyncio loop of its own."""

    def __init__(self, on_choice: Callable[[str], None], report: Callable[[str], None],
                 bus_address: str | None = None) -> None:
        """Send menu choices to ``on_choice`` and the tray's state (``shown`` …) to ``report``."""
        self.item = ItemInterface()
        self.menu = MenuInterface(on_choice)
        self.report = report
        self.bus_address = bus_address
        self.name = f"{ITEM_INTERFACE}-{os.getpid()}-1"
        self.failed = False
        self._state: str | None = None
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: TrayView | None = None
        self._stopping: asyncio.Event | None = None
        self._stop_asked = False
        self._bus: Any = None
        self._tasks: set[asyncio.Future[None]] = set()
        self._registering: asyncio.Lock | None = None

    # --- from any thread -----------------------------------------------------------------
    def show(self, view: TrayView) -> None:
        """Show ``view`` (applied on the loop; kept until the loop runs)."""
        with self._lock:
            self._pending = view
            loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._apply)

    def stop(self) -> None:
        """End ``run``: the item leaves the bus (and the tray)."""
        with self._lock:
            self._stop_asked = True
            loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            loop.call_soon_threadsafe(stopping.set)

    # --- on the loop ---------------------------------------------------------------------
    def run(self) -> None:
        """Connect, show the item and keep it shown until ``stop`` (or the bus goes away)."""
        asyncio.run(self._main())

    def _apply(self) -> None:
        with self._lock:
            view, self._pending = self._pending, None
        if view is not None:
            self.item.set_view(view)
            self.menu.set_menu(view.menu)

    def _say(self, state: str, words: str | None = None) -> None:
        """Report a new state to the daemon; log it once per change."""
        if state == self._state:
            return
        self._state = state
        self.report(state)
        if state == SHOWN:
            log.info("tray icon shown")
        else:
            log.warning("tray: %s", words or state)

    async def _main(self) -> None:
        from dbus_fast.aio import MessageBus  # noqa: PLC0415 - Linux only

        self._stopping = asyncio.Event()
        try:
            bus = await MessageBus(bus_address=self.bus_address).connect()
        except Exception as exc:
            self.failed = True
            self._say(f"error: cannot connect to the D-Bus session bus ({exc})")
            return
        self._bus = bus
        bus.export(ITEM_PATH, self.item)
        bus.export(MENU_PATH, self.menu)
        await bus.request_name(self.name)
        with self._lock:
            self._loop = asyncio.get_running_loop()
            stop_asked = self._stop_asked
        self._apply()
        bus.add_message_handler(self._on_message)
        for rule in (WATCHER_MATCH, HOST_MATCH):
            await self._call(BUS, "/org/freedesktop/DBus", BUS, "AddMatch", "s", [rule])
        await self._register()
        if not stop_asked:
            ended = asyncio.ensure_future(self._bus.wait_for_disconnect())
            await asyncio.wait([ended, asyncio.ensure_future(self._stopping.wait())],
                               return_when=asyncio.FIRST_COMPLETED)
            if ended.done():
                self.failed = True
                self._say("error: the D-Bus session bus went away")
        bus.disconnect()

    async def _call(self, destination: str, path: str, interface: str, member: str,
                    signature: str = "", body: list[Any] | None = None) -> Message:
        """A method call that never starts a service (a tray host is there or it is not)."""
        message = Message(destination=destination, path=path, interface=interface, member=member,
                          signature=signature, body=body or [], flags=MessageFlag.NO_AUTOSTART)
        reply: Message = await self._bus.call(message)
        return reply

    def _on_message(self, message: Message) -> None:
        """A watcher that appeared (or a host that registered with it): register again."""
        if message.message_type != MessageType.SIGNAL:
            return
        if message.member in ("NameOwnerChanged", "StatusNotifierHostRegistered"):
            task = asyncio.ensure_future(self._register())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _register(self) -> None:
        """Register with the watcher, if there is one, and say whether a host shows the icon."""
        if self._registering is None:
            self._registering = asyncio.Lock()
        async with self._registering:  # one at a time: the last word on the state is the latest
            await self._register_once()

    async def _register_once(self) -> None:
        reply = await self._call(WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s",
                                 [self.name])
        if reply.message_type == MessageType.ERROR:
            if reply.error_name in ("org.freedesktop.DBus.Error.ServiceUnknown",
                                    "org.freedesktop.DBus.Error.NameHasNoOwner"):
                self._say(NO_HOST, NO_HOST_WORDS)
            else:
                text = reply.body[0] if reply.body else ""
                self._say(f"error: the tray host refused the icon ({reply.error_name}: {text})")
            return
        host = await self._call(WATCHER, WATCHER_PATH, "org.freedesktop.DBus.Properties", "Get", "ss",
                                [WATCHER, "IsStatusNotifierHostRegistered"])
        hosted = host.message_type == MessageType.ERROR or bool(host.body[0].value)
        self._say(SHOWN if hosted else NO_HOST, None if hosted else NO_HOST_WORDS)
