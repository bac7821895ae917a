"""A tiny X client for the desktop harness: one window whose title properties we choose.

Run as its own process (``python xwindow_helper.py ...``): it creates and maps a window,
sets exactly the properties asked for, prints ``WINDOW <id>`` on stdout and then stays
alive until its stdin closes or it is terminated. The parent reads the id from stdout.

--title-hex HEX        the title bytes, hex encoded (so invalid UTF-8 can be sent)
--property NAME        _NET_WM_NAME or WM_NAME
--type TYPE            UTF8_STRING or STRING (the property's type atom)
--net-wm-pid PID       the _NET_WM_PID to advertise: "self", "none" or a number
--wm-class INST,CLASS  the WM_CLASS to set
--process-name NAME    set this process's name (prctl PR_SET_NAME) first, as psutil sees it
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys

from Xlib import X, Xatom, display


def set_process_name(name: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_name = 15
    if libc.prctl(pr_set_name, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME) failed")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--title-hex", required=True)
    parser.add_argument("--property", default="_NET_WM_NAME", choices=["_NET_WM_NAME", "WM_NAME"])
    parser.add_argument("--type", default="UTF8_STRING", choices=["UTF8_STRING", "STRING"])
    parser.add_argument("--net-wm-pid", default="self")
    parser.add_argument("--wm-class", default="xwindow,XWindow")
    parser.add_argument("--process-name")
    args = parser.parse_args()

    if args.process_name:
        set_process_name(args.process_name)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    disp = display.Display()
    screen = disp.screen()
    window = screen.root.create_window(
        10, 10, 320, 200, 0, screen.root_depth, X.InputOutput, X.CopyFromParent,
        background_pixel=screen.white_pixel, event_mask=X.StructureNotifyMask,
    )
    title = bytes.fromhex(args.title_hex)
    prop_type = Xatom.STRING if args.type == "STRING" else disp.intern_atom("UTF8_STRING")
    prop = Xatom.WM_NAME if args.property == "WM_NAME" else disp.intern_atom("_NET_WM_NAME")
    window.change_property(prop, prop_type, 8, title)
    instance, klass = args.wm_class.split(",", 1)
    window.change_property(Xatom.WM_CLASS, Xatom.STRING, 8,
                           instance.encode() + b"\0" + klass.encode() + b"\0")
    if args.net_wm_pid != "none":
        pid = os.getpid() if args.net_wm_pid == "self" else int(args.net_wm_pid)
        window.change_property(disp.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [pid])
    window.map()
    disp.sync()
    print(f"WINDOW {window.id}", flush=True)
    # Stay alive (and keep the window) until the parent closes our stdin or terminates us.
    sys.stdin.read()
    disp.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
