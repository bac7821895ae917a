"""Minimising a window on KDE Plasma (Wayland): a one-shot KWin script that answers back.

KWin lets other programs act on windows only through scripts. To minimise one, the
backend loads a tiny script that finds the window by its ``internalId`` (the handle the
reporting script sends with each report), sets ``minimized``, and calls
``org.unscroll.KWinFocus.Minimised(handle, done)`` on our bus connection; the backend
waits for that answer with a deadline, then unloads the script.
"""

from __future__ import annotations

import json

MINIMISED_METHOD = "Minimised"
ANSWER_TIMEOUT = 3.0
"""Seconds KWin has to run the script and answer."""

_SCRIPT = """\
// unscroll: minimise one window, then say whether it worked.
var wanted = %(handle)s;
var windows = workspace.windowList !== undefined ? workspace.windowList() : workspace.clientList();
var done = false;
for (var i = 0; i < windows.length; i++) {
    if (String(windows[i].internalId) === wanted) {
        windows[i].minimized = true;
        done = windows[i].minimized === true;
    }
}
callDBus(%(target)s, %(path)s, %(interface)s, %(method)s, wanted, done);
"""


def minimise_script(target: str, path: str, interface: str, handle: str) -> str:
    """The script that minimises the window ``handle`` and answers to the bus name ``target``."""
    return _SCRIPT % {"handle": json.dumps(handle), "target": json.dumps(target),
                      "path": json.dumps(path), "interface": json.dumps(interface),
                      "method": json.dumps(MINIMISED_METHOD)}
