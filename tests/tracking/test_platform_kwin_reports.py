"""The pure parts of monitor.tracking.platforms.kwin: reports turned into windows, and the script itself.

The backend itself runs against a real headless KWin in tests/desktop/test_kwin.py.
"""

from __future__ import annotations

import os

from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.kwin import REPORT_INTERFACE, REPORT_PATH, script_source, window_from_report


def test_the_report_that_nothing_is_active():
    assert window_from_report("", "", "", 0) is None


def test_a_window_is_named_after_its_process():
    window = window_from_report("Notes — Kate", "org.kde.kate", "kate", os.getpid())
    assert window is not None
    assert window.title == "Notes — Kate"
    assert window.pid == os.getpid()
    assert window.app.startswith("python") or window.app.startswith("pytest")


def test_without_a_live_pid_the_resource_class_names_the_app():
    assert window_from_report("Inbox", "org.kde.kmail2", "kmail", 0) == ActiveWindow(
        app="org.kde.kmail2", title="Inbox", pid=None)
    assert window_from_report("", "", "plasmashell", -1) == ActiveWindow(
        app="plasmashell", title=None, pid=None)


def test_the_script_reports_to_this_connection_in_both_plasma_versions():
    source = script_source(':1.42"); evil("')
    assert '":1.42\\"); evil(\\""' in source  # quoted as a JavaScript string, not spliced in
    assert f'"{REPORT_PATH}"' in source
    assert f'"{REPORT_INTERFACE}"' in source
    assert "workspace.windowActivated" in source  # Plasma 6
    assert "workspace.clientActivated" in source  # Plasma 5
    assert "captionChanged" in source
