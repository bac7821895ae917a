"""The physical floor: a bare loop making the daemon's X11 calls at the same interval, and nothing else.

Every ``--interval`` seconds: the root's ``_NET_ACTIVE_WINDOW``, that window's ``_NET_WM_NAME``
(``WM_NAME`` when unset, as for xterm) and ``_NET_WM_PID``, and the MIT-SCREEN-SAVER idle
time, through python-xlib on ``$DISPLAY``. No classification, no database, no scheduler.
Prints ``ready`` after the first round and stops by itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import sys
import time

import Xlib.display
from Xlib import X, Xatom


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=900.0, help="stop after this long")
    args = parser.parse_args()
    display = Xlib.display.Display()
    root = display.screen().root
    active = display.intern_atom("_NET_ACTIVE_WINDOW")
    name = display.intern_atom("_NET_WM_NAME")
    pid = display.intern_atom("_NET_WM_PID")
    began = tick = time.monotonic()
    ready = False
    while time.monotonic() - began < args.seconds:
        prop = root.get_property(active, Xatom.WINDOW, 0, 1)
        if prop is not None and len(prop.value) and prop.value[0]:
            window = display.create_resource_object("window", int(prop.value[0]))
            try:
                title = window.get_property(name, X.AnyPropertyType, 0, 16384)
                if title is None:
                    window.get_property(Xatom.WM_NAME, X.AnyPropertyType, 0, 16384)
                window.get_property(pid, Xatom.CARDINAL, 0, 1)
            except Exception:
                pass
        root.screensaver_query_info()
        if not ready:
            print("ready", flush=True)
            ready = True
        tick += args.interval
        time.sleep(max(0.0, tick - time.monotonic()))
    display.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
