"""The tray icon on Windows (the notification area) and macOS (the menu bar), through pystray.

pystray draws the icon from a Pillow image (the dial of monitor.tray.icons), shows the
title as its tooltip and builds the native menu from ``pystray.Menu``; its loop must run
on the main thread (macOS requires it), which ``DesktopIconBackend.run`` does. ``show``
is called from the tray's worker thread: it swaps the image and the title and asks
pystray to rebuild the menu from the view.

Verified here against a fake of pystray's platform layer (tests/tray), not on Windows
or macOS themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from monitor.tray.icons import rgba
from monitor.tray.view import MenuEntry, TrayView

log = logging.getLogger(__name__)

IMAGE_SIZE = 48
"""pystray scales the image to the platform's size (16 or 32 on Windows, the menu bar's height on macOS)."""
TOOLTIP_LIMIT = 127
"""Windows cuts a notification-area tooltip at 127 characters (NOTIFYICONDATAW.szTip)."""
SHOWN = "shown"


def tooltip_text(title: str) -> str:
    """The title, shortened (with an ellipsis) to what the notification area shows."""
    return title if len(title) <= TOOLTIP_LIMIT else title[:TOOLTIP_LIMIT - 1] + "\u2026"


class DesktopIconBackend:
    """One pystray icon that follows the views it is shown."""

    def __init__(self, on_choice: Callable[[str], None], report: Callable[[str], None],
                 icon_class: Callable[..., Any] | None = None) -> None:
        """Send menu choices to ``on_choice`` and the state to ``report``; ``icon_class``: pystray's Icon."""
        import pystray  # noqa: PLC0415 - Windows and macOS only

        self.pystray = pystray
        self.on_choice = on_choice
        self.report = report
        self.failed = False
        self._lock = threading.Lock()
        self._view: TrayView | None = None
        self._picture: tuple[int, bool] | None = None
        make = icon_class or pystray.Icon
        self.icon = make("unscroll", icon=self._image(0, False), title="unscroll",
                         menu=pystray.Menu(self._items))

    @staticmethod
    def _image(level: int, paused: bool) -> Any:
        from PIL import Image  # noqa: PLC0415

        return Image.frombytes("RGBA", (IMAGE_SIZE, IMAGE_SIZE), rgba(level, paused, IMAGE_SIZE))

    def _entry(self, entry: MenuEntry) -> Any:
        if entry.separator:
            return self.pystray.Menu.SEPARATOR
        key = entry.key

        def chosen(_icon: Any, _item: Any) -> None:
            if key is not None:
                self.on_choice(key)

        return self.pystray.MenuItem(entry.label, chosen, enabled=entry.enabled and key is not None)

    def _items(self) -> Iterator[Any]:
        """The menu as pystray asks for it (on each ``update_menu``)."""
        with self._lock:
            view = self._view
        if view is None:
            yield self.pystray.MenuItem("unscroll is starting", None, enabled=False)
            return
        for entry in view.menu:
            yield self._entry(entry)

    def show(self, view: TrayView) -> None:
        """Show ``view``: a new image only when the dial changed, the title, the menu."""
        with self._lock:
            self._view = view
        picture = (view.level, view.paused)
        if picture != self._picture:
            self.icon.icon = self._image(*picture)
            self._picture = picture
        self.icon.title = tooltip_text(view.title)
        self.icon.update_menu()

    def _setup(self, icon: Any) -> None:
        icon.visible = True
        self.report(SHOWN)
        log.info("tray icon shown")

    def run(self) -> None:
        """Run pystray's loop on this (the main) thread until ``stop``."""
        try:
            self.icon.run(setup=self._setup)
        except Exception as exc:
            self.failed = True
            self.report(f"error: the tray icon could not be shown ({exc})")
            log.exception("the tray icon failed")

    def stop(self) -> None:
        """End pystray's loop (the icon goes)."""
        self.icon.stop()
