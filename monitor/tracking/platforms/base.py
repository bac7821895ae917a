"""The interface every desktop backend implements: the focused window and the idle time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class ActiveWindow:
    """The window that has the user's attention, as the desktop reports it."""

    app: str
    """The process name (``firefox``), or the best name the desktop gives."""
    title: str | None
    pid: int | None
    handle: str | None = None
    """The desktop's own id for the window (X11 window id, sway container id), for ``minimise``."""


class Platform(Protocol):
    """A connection to one desktop session.

    Methods raise ``PlatformUnavailable`` when the session has gone away (the display
    closed); the daemon then closes the backend and opens a new one later.
    """

    name: str
    """A short backend name such as ``x11``, shown by ``unscroll sample``."""

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None when nothing has focus (an empty desktop)."""
        ...

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or mouse input."""
        ...

    def close(self) -> None:
        """Release the connection to the desktop."""
        ...


@runtime_checkable
class ChangeSource(Protocol):
    """A backend whose desktop reports focus and title changes as they happen."""

    def wait_for_change(self, timeout: float | None) -> float | None:
        """Block until the focus or the focused window's title changes; return when (UTC seconds).

        Returns None when ``timeout`` passes first or the backend was closed meanwhile
        (``close`` from another thread wakes a waiting one); raises ``PlatformUnavailable``
        when the session has gone away.
        """
        ...

    def wake_on_input(self, wanted: bool) -> None:
        """While ``wanted`` (the person is away), ``wait_for_change`` returns at the next input too."""
        ...

    def latest_change(self) -> float | None:
        """When the latest change seen so far happened (UTC seconds); None before any.

        A sample on the timer may find the focus moved before ``wait_for_change`` has
        returned that change: it credits the switch to this instant instead.
        """
        ...


def change_source(platform: object) -> ChangeSource | None:
    """``platform`` when it reports focus changes as they happen, else None."""
    return platform if isinstance(platform, ChangeSource) else None


@runtime_checkable
class Minimiser(Protocol):
    """A backend that can put a window out of the way (minimise, hide, scratchpad)."""

    def minimise(self, handle: str) -> bool:
        """Minimise the window ``handle`` (an ``ActiveWindow.handle``); False if the desktop would not.

        Raises ``PlatformUnavailable`` when the session has gone away.
        """
        ...


def minimiser(platform: object) -> Minimiser | None:
    """``platform`` when it can minimise a window, else None."""
    return platform if isinstance(platform, Minimiser) else None
