"""Over-budget notices stay on a real GNOME Shell 43 (issue #21, item 6: "per server capabilities").

GNOME Shell ignores ``expire_timeout`` and keeps only critical notices on screen, so there
(and only there: dunst paints critical notices as alarms, tests/desktop/test_notice_lifecycle.py)
a notice that must stay goes out with urgency critical, as well as expire_timeout 0. The
heads-up keeps the server's own timeout and normal urgency, and the over-budget notice
takes its place (``replaces_id``). Everything is real: Debian's headless gnome-shell (see
gnome_session.py) owns org.freedesktop.Notifications on its session bus, unscroll's
notifier runs as the daemon would, and dbus-monitor reads the Notify calls off the bus.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.gnome_session import GnomeSession
from tests.desktop.harness import Notification, Notifications
from tests.desktop.wayland_session import running
from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]

SEND = """
import json
from monitor.nudge.notice import STAYS, Notice
from monitor.nudge.notify import Notifier

notifier = Notifier()
heads_up = notifier.deliver(Notice("warn", "social", 1500.0, "Social: 5 m left of 30 m", "A heads-up."))
over = notifier.deliver(Notice("over", "social", 1860.0, "Social: 31 m of your 30 m today", "Over.",
                               timeout_s=STAYS, replaces=heads_up.handle))
print(json.dumps([[d.way, None if d.handle is None else d.handle.notice_id] for d in (heads_up, over)]))
"""


class _SessionBus:
    """What the bus watcher needs of a desktop: the environment of a program in the session."""

    def __init__(self, session: GnomeSession) -> None:
        self.env = session.env


@pytest.fixture(scope="module")
def gnome() -> Iterator[GnomeSession]:
    """A headless GNOME Shell on its own buses (unscroll's extension is not needed here)."""
    with running(lambda workdir: GnomeSession(workdir, install_unscroll=False),
                 "unscroll-gnome-notices-") as session:
        yield session


def ours(watcher: Notifications) -> list[Notification] | None:
    """unscroll's two Notify calls, once seen: the Shell passes each on to itself again, with a sender-pid."""
    found = [notice for notice in watcher.notifications if '"sender-pid"' not in notice.hints]
    return found if len(found) >= 2 else None


def urgency(hints: str) -> int | None:
    found = re.search(r'string "urgency"\s+variant\s+byte (\d)', hints)
    return None if found is None else int(found.group(1))


def test_gnome_gets_the_over_budget_notice_as_critical_in_the_heads_ups_place(gnome):
    info = gnome.call("/org/freedesktop/Notifications", "org.freedesktop.Notifications.GetServerInformation",
                      destination="org.freedesktop.Notifications")
    assert info.startswith("('gnome-shell', 'GNOME'")
    watcher = Notifications(_SessionBus(gnome))  # type: ignore[arg-type]
    watcher.start()
    try:
        sent = subprocess.run([sys.executable, "-c", SEND], env=gnome.env, capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
        assert sent.returncode == 0, sent.stderr
        (heads_up_way, heads_up_id), (over_way, over_id) = json.loads(sent.stdout)
        heads_up, over = wait_until(lambda: ours(watcher), timeout=20, message="the two Notify calls")
    finally:
        watcher.stop()
    assert (heads_up_way, over_way) == ("desktop", "desktop")
    assert heads_up.summary == "Social: 5 m left of 30 m"
    assert (heads_up.replaces_id, heads_up.expire_timeout, urgency(heads_up.hints)) == (0, -1, 1)
    assert over.summary == "Social: 31 m of your 30 m today"
    assert over.replaces_id == heads_up_id == heads_up.id  # in the heads-up's place
    assert over_id == heads_up_id                         # GNOME kept the id: replaced, not added
    assert over.expire_timeout == 0
    assert urgency(over.hints) == 2  # critical: the one way GNOME Shell keeps a notice up
