"""Minimising a window on an X display the way ICCCM and EWMH ask: through the window manager.

A client may not unmap another client's window itself; it asks the window manager with a
``WM_CHANGE_STATE`` client message (``IconicState``) sent to the root window, and the
window manager minimises it, marking it ``_NET_WM_STATE_HIDDEN`` and setting its
``WM_STATE`` to iconic. A window manager that ignores the request leaves both unchanged,
which is how ``is_minimised`` tells.
"""

from __future__ import annotations

from typing import Any

import Xlib.error
from Xlib import X, Xatom
from Xlib.protocol import event

ICONIC_STATE = 3
"""ICCCM's ``IconicState``, the value of ``WM_STATE`` for a minimised window."""


def request_minimise(display: Any, root: Any, window_id: int) -> None:
    """Ask the window manager to minimise ``window_id`` (returns at once; the WM acts later)."""
    message = event.ClientMessage(
        window=display.create_resource_object("window", window_id),
        client_type=display.intern_atom("WM_CHANGE_STATE"),
        data=(32, [ICONIC_STATE, 0, 0, 0, 0]),
    )
    root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
    display.flush()


def is_minimised(display: Any, window_id: int) -> bool | None:
    """Whether ``window_id`` is minimised now; None when the window is gone."""
    window = display.create_resource_object("window", window_id)
    hidden = display.intern_atom("_NET_WM_STATE_HIDDEN")
    wm_state = display.intern_atom("WM_STATE")
    try:
        net_state = window.get_property(display.intern_atom("_NET_WM_STATE"), Xatom.ATOM, 0, 64)
        icccm_state = window.get_property(wm_state, wm_state, 0, 2)
    except Xlib.error.BadWindow:
        return None
    if net_state is not None and hidden in net_state.value:
        return True
    return icccm_state is not None and len(icccm_state.value) > 0 and icccm_state.value[0] == ICONIC_STATE
