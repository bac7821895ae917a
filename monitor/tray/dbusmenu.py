"""The tray's menu on D-Bus: ``com.canonical.dbusmenu`` at ``/MenuBar``, over dbus-fast (Linux).

Tray hosts (KDE Plasma, the GNOME AppIndicator extension, XFCE, Cinnamon, waybar through
libdbusmenu) read the menu with ``GetLayout`` and press an entry with ``Event(id,
"clicked", …)``. Each entry keeps its id while the menu changes (``entry_ids``): the
actions have fixed ids, a person's id follows from who they are, and the lines that only
inform are numbered by place; so a press that crosses an update never lands on another
entry. A changed menu is announced with ``LayoutUpdated``.

Everything here runs on the backend's event loop thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from dbus_fast import Variant
from dbus_fast.annotations import DBusBool, DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from monitor.tray.view import (
    PAUSE_FOR,
    PAUSE_UNTIL_TOMORROW,
    QUIT,
    REPORT,
    RESUME,
    SETTINGS,
    MenuEntry,
    person_of,
)

log = logging.getLogger(__name__)

INTERFACE = "com.canonical.dbusmenu"
MENU_PATH = "/MenuBar"
ROOT = 0
FIXED_IDS = {**{key: index for index, key in enumerate(PAUSE_FOR, start=1)}, PAUSE_UNTIL_TOMORROW: 8,
             RESUME: 9, REPORT: 10, SETTINGS: 11, QUIT: 12}
LINE_IDS = 100
"""Lines that only inform, and separators: 100 + their place in the menu."""
PERSON_IDS = 1_000_000
"""A person's entry: this + their id (while that fits D-Bus's int32; by place above it)."""
INT32_MAX = 2**31 - 1

# D-Bus signatures, read by dbus-fast from these annotations (they must stay module names)
Nothing = Annotated[None, DBusSignature("")]
Layout = Annotated[tuple[int, list[Any]], DBusSignature("u(ia{sv}av)")]
GroupProperties = Annotated[list[Any], DBusSignature("a(ia{sv})")]
Names = Annotated[list[str], DBusSignature("as")]
Ids = Annotated[list[int], DBusSignature("ai")]
AnyValue = Annotated[Variant, DBusSignature("v")]
Events = Annotated[list[Any], DBusSignature("a(isvu)")]
IdLists = Annotated[tuple[list[int], list[int]], DBusSignature("aiai")]
RemovedProperties = Annotated[list[Any], DBusSignature("a(ias)")]


def entry_ids(menu: Sequence[MenuEntry]) -> list[tuple[int, MenuEntry]]:
    """Each entry with its id (see the module's docstring)."""
    ids = []
    for place, entry in enumerate(menu):
        person = None if entry.key is None else person_of(entry.key)
        if entry.key in FIXED_IDS:
            ids.append((FIXED_IDS[entry.key], entry))
        elif person is not None and PERSON_IDS + person <= INT32_MAX:
            ids.append((PERSON_IDS + person, entry))
        else:
            ids.append((LINE_IDS + place, entry))
    return ids


def label_text(label: str) -> str:
    """A label as dbusmenu takes it: an underscore marks a mnemonic, so a real one is doubled."""
    return label.replace("_", "__")


def entry_properties(entry: MenuEntry, wanted: Sequence[str] = ()) -> dict[str, Variant]:
    """An entry's dbusmenu properties (only ``wanted`` ones when any are named)."""
    if entry.separator:
        properties = {"type": Variant("s", "separator"), "visible": Variant("b", True)}
    else:
        properties = {"label": Variant("s", label_text(entry.label)), "enabled": Variant("b", entry.enabled),
                      "visible": Variant("b", True)}
    return {name: value for name, value in properties.items() if not wanted or name in wanted}


class MenuInterface(ServiceInterface):
    """``com.canonical.dbusmenu``: the menu of ``entries``; a click posts the entry's key to ``on_choice``."""

    def __init__(self, on_choice: Callable[[str], None]) -> None:
        """Start with an empty menu; ``set_menu`` fills it."""
        super().__init__(INTERFACE)
        self.on_choice = on_choice
        self.revision = 1
        self.entries: list[tuple[int, MenuEntry]] = []

    def set_menu(self, menu: Sequence[MenuEntry]) -> bool:
        """Take a new menu; True (and a ``LayoutUpdated`` signal) when it differs from the last."""
        entries = entry_ids(menu)
        if entries == self.entries:
            return False
        self.entries = entries
        self.revision += 1
        self.LayoutUpdated()
        return True

    def _properties(self, item_id: int, wanted: Sequence[str] = ()) -> dict[str, Variant] | None:
        """The properties of the root (a submenu) or of an entry; None for an id not in the menu."""
        if item_id == ROOT:
            return {"children-display": Variant("s", "submenu")}
        entry = dict(self.entries).get(item_id)
        return None if entry is None else entry_properties(entry, wanted)

    def _item(self, item_id: int, wanted: Sequence[str]) -> list[Any] | None:
        properties = self._properties(item_id, wanted)
        if properties is None:
            return None
        entries = self.entries if item_id == ROOT else []
        children = [Variant("(ia{sv}av)", [number, entry_properties(entry, wanted), []])
                    for number, entry in entries]
        return [item_id, properties, children]

    # --- properties ----------------------------------------------------------------------
    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> DBusUInt32:
        """The dbusmenu protocol version."""
        return 3

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> DBusStr:
        """Left to right."""
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> DBusStr:
        """Always ``normal``: the menu never asks for attention."""
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> Names:
        """No icon themes: the menu has no icons."""
        return []

    # --- methods -------------------------------------------------------------------------
    @dbus_method()
    def GetLayout(self, parentId: DBusInt32, recursionDepth: DBusInt32,
                  propertyNames: Names) -> Layout:
        """The menu (or one entry) with its properties."""
        item = self._item(parentId, propertyNames)
        if item is None:
            return self.revision, [parentId, {}, []]
        if recursionDepth == 0:
            item[2] = []
        return self.revision, item

    @dbus_method()
    def GetGroupProperties(self, ids: Ids, propertyNames: Names) -> GroupProperties:
        """The properties of the entries ``ids`` (the root too; every entry when empty)."""
        wanted = ids or [number for number, _entry in self.entries]
        found = [(number, self._properties(number, propertyNames)) for number in wanted]
        return [[number, properties] for number, properties in found if properties is not None]

    @dbus_method()
    def GetProperty(self, id: DBusInt32, name: DBusStr) -> AnyValue:
        """One property of one entry (an empty label when there is no such entry or property)."""
        properties = self._properties(id) or {}
        return properties.get(name, Variant("s", ""))

    @dbus_method()
    def Event(self, id: DBusInt32, eventId: DBusStr, data: AnyValue,
              timestamp: DBusUInt32) -> Nothing:
        """A click on an entry: its key goes to ``on_choice``; other events are ignored."""
        if eventId != "clicked":
            return
        entry = dict(self.entries).get(id)
        if entry is None or entry.key is None or not entry.enabled:
            log.info("tray: a click on menu entry %d, which is not there to choose now", id)
            return
        self.on_choice(entry.key)

    @dbus_method()
    def EventGroup(self, events: Events) -> Ids:
        """Several events at once; the ids that are not in the menu come back."""
        known = dict(self.entries)
        for number, event_id, data, timestamp in events:
            if number in known:
                self.Event(number, event_id, data, timestamp)
        return [number for number, *_rest in events if number not in known and number != ROOT]

    @dbus_method()
    def AboutToShow(self, id: DBusInt32) -> DBusBool:
        """The menu is about to open: it is always current, nothing to update."""
        return False

    @dbus_method()
    def AboutToShowGroup(self, ids: Ids) -> IdLists:
        """As ``AboutToShow`` for several entries: none needs an update, none is unknown."""
        return [], []

    # --- signals -------------------------------------------------------------------------
    @dbus_signal()
    def LayoutUpdated(self) -> Annotated[tuple[int, int], DBusSignature("ui")]:
        """The menu changed: its new revision, from the root."""
        return self.revision, ROOT

    @dbus_signal()
    def ItemsPropertiesUpdated(self) -> Annotated[tuple[list[Any], list[Any]],
                                                  DBusSignature("a(ia{sv})a(ias)")]:
        """Not sent: every change is announced as a new layout."""
        return [], []
