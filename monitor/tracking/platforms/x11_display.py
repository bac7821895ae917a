"""Opening an X display without ever hanging, and loading only the extensions that are used.

python-xlib blocks while it connects; a server that accepts the socket and never answers
would hang the daemon. The display is opened on a helper thread and abandoned after the
timeout (one stuck attempt per display at a time).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import Xlib.display
import Xlib.error

from monitor.core.errors import PlatformUnavailable

_CONNECTION_ERRORS = (Xlib.error.ConnectionClosedError, Xlib.error.DisplayError, OSError)

_pending_lock = threading.Lock()
_pending_opens: dict[str, threading.Thread] = {}
"""Opens that timed out and are still blocked, per display: never start a second one."""


class Display(Xlib.display.Display):  # type: ignore[misc]  # python-xlib has no type information
    """A python-xlib display that loads only the extensions this backend calls.

    python-xlib imports and sets up every extension the server offers (RandR, XInput,
    RECORD, ...) when it connects: about 0.7 MB of modules and tables that the daemon
    would keep all day for nothing.
    """

    wanted_extensions = frozenset({"MIT-SCREEN-SAVER", "X-Resource"})

    def list_extensions(self) -> list[str]:
        """The server's extensions, limited to the ones this backend uses."""
        return [name for name in super().list_extensions() if name in self.wanted_extensions]

    def _update_keymap(self, first_keycode: int, count: int) -> None:
        """Skip the keyboard map python-xlib copies on connecting: keysyms are never looked up here.

        It is a few hundred KB of Python lists per connection, kept all day for nothing.
        """


class EventsDisplay(Display):
    """The connection that waits for changes: XInput 2 tells it when input comes back."""

    wanted_extensions = frozenset({"Generic Event Extension", "XInputExtension"})


def open_display(display_name: str | None, label: str, timeout: float,
                  display_class: type[Display] = Display) -> Any:
    """Open the display in a helper thread so that a server that never answers cannot hang us."""
    with _pending_lock:
        stuck = _pending_opens.get(label)
        if stuck is not None and stuck.is_alive():
            raise PlatformUnavailable(
                f"the X server on display {label} is not answering (an earlier connection "
                "attempt is still waiting for it)"
            )
    outcome: dict[str, Any] = {}
    lock = threading.Lock()
    abandoned = False

    def connect() -> None:
        try:
            display = display_class(display_name)
        except BaseException as err:  # handed to the waiting thread
            with lock:
                outcome["error"] = err
            return
        with lock:
            if not abandoned:
                outcome["display"] = display
                return
        with contextlib.suppress(*_CONNECTION_ERRORS):  # nobody waits for it any more
            display.close()

    thread = threading.Thread(target=connect, name=f"unscroll-x11-open-{label}", daemon=True)
    thread.start()
    thread.join(timeout)
    with lock:
        if thread.is_alive() and not outcome:
            abandoned = True
    if abandoned:
        with _pending_lock:
            _pending_opens[label] = thread
        raise PlatformUnavailable(
            f"the X server on display {label} did not answer within {timeout:g} s"
        )
    error = outcome.get("error")
    if error is not None:
        raise PlatformUnavailable(f"cannot open X display {label}: {error}") from error
    return outcome["display"]
