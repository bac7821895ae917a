"""The interface every desktop backend implements: the focused window and the idle time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ActiveWindow:
    """The window that has the user's attention, as the desktop reports it."""

    app: str
    """The process name (``firefox``), or the best name the desktop gives."""
    title: str | None
    pid: int | None


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
