"""The nudger looks at the day only when a notice could be due: fewer queries, no notice missed.

The notices go to a recording stand-in for the notifier: what reaches the desktop is
tested on dunst in tests/desktop/test_budget_notifications.py; here it is the timing.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.core.vocabulary import DELIVERED_DESKTOP
from monitor.nudge.notice import Delivery, Notice
from monitor.nudge.notify import Notifier
from monitor.nudge.nudger import RECHECK_AT_LEAST_EVERY, Nudger
from monitor.store.database import Store
from tests.conftest import write_config

ZONE = UTC
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()  # a Monday, 09:00 UTC
MINUTE = 60.0


class RecordingNotifier(Notifier):
    """Keeps the messages instead of showing them."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Notice] = []

    def deliver(self, notice: Notice, *, log_if_unshown: bool = True) -> Delivery:
        self.sent.append(notice)
        return Delivery(DELIVERED_DESKTOP)


class CountingStore(Store):
    """A real store that counts the statements run on it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.statements = 0
        self.connection.set_trace_callback(self._count)

    def _count(self, _statement: str) -> None:
        self.statements += 1


@pytest.fixture
def settings(user_paths: Paths) -> Settings:
    write_config(user_paths, '[budgets]\nsocial = "10m"\ntotal = "8h"\n'
                             '[prompts]\nwarn_before = "2m"\nsuggest_people_on = []\n'
                             '[experiment]\nhold_back = 0\n')  # no notice held back
    return load_settings(user_paths)


def use_social(store: Store, start: float, seconds: float) -> None:
    with store.transaction():
        store.insert_span(start, start + seconds, "firefox", "Facebook", "social", "Facebook", "here")


def test_no_queries_while_nothing_can_be_due_and_the_heads_up_on_time(settings):
    notifier = RecordingNotifier()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    with CountingStore(settings.paths.database) as store:
        use_social(store, START - 5 * MINUTE, 5 * MINUTE)  # 5 of 10 minutes: heads-up at 8
        assert nudger.check(store, settings, START, ZONE) == []
        looked = store.statements
        assert looked > 0
        for second in range(1, 60, 2):  # a minute of samples, every 2 s, while using social
            assert nudger.check(store, settings, START + second, ZONE) == []
        assert store.statements == looked, "the day was read again while nothing could be due"

        use_social(store, START, 3 * MINUTE)  # three minutes later the heads-up is due
        alerts = nudger.check(store, settings, START + 3 * MINUTE, ZONE)
    assert [alert.kind for alert in alerts] == ["warn"]
    assert [message.title for message in notifier.sent] == ["Social: 2 m left of 10 m"]


def test_usage_from_elsewhere_is_seen_within_the_recheck_limit(settings):
    notifier = RecordingNotifier()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    with Store(settings.paths.database) as store:
        assert nudger.check(store, settings, START, ZONE) == []
        use_social(store, START - 3 * 3600, 20 * MINUTE)  # an import of this morning's phone use
        assert nudger.check(store, settings, START + 2, ZONE) == []  # still trusting the headroom
        alerts = nudger.check(store, settings, START + RECHECK_AT_LEAST_EVERY, ZONE)
    assert [alert.kind for alert in alerts] == ["over"]


def test_a_settings_change_or_a_new_day_is_looked_at_at_once(settings, user_paths):
    notifier = RecordingNotifier()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    with Store(settings.paths.database) as store:
        use_social(store, START - 5 * MINUTE, 5 * MINUTE)
        assert nudger.check(store, settings, START, ZONE) == []
        write_config(user_paths, '[budgets]\nsocial = "4m"\n[prompts]\nsuggest_people_on = []\n'
                                 '[experiment]\nhold_back = 0\n')
        tighter = load_settings(user_paths)
        assert [alert.kind for alert in nudger.check(store, tighter, START + 2, ZONE)] == ["over"]
        # the next day (starting 04:00 local) begins with nothing used: nothing due, no error
        next_day = datetime(2026, 3, 3, 4, 0, 1, tzinfo=UTC).timestamp()
        assert nudger.check(store, tighter, next_day, ZONE) == []


def test_a_button_press_makes_the_nudger_look_again(settings):
    notifier = RecordingNotifier()
    now = START
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: now)
    with CountingStore(settings.paths.database) as store:
        use_social(store, START - 11 * MINUTE, 11 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, now, ZONE)] == ["over"]
        assert nudger.check(store, settings, now + 2, ZONE) == []
        looked = store.statements
        assert notifier.sent[0].on_action is not None
        notifier.sent[0].on_action("more")  # "15 more minutes"
        assert nudger.check(store, settings, now + 4, ZONE) == []
        assert store.statements > looked, "a press must make the nudger read the day again"
    with sqlite3.connect(settings.paths.database) as connection:
        assert connection.execute("SELECT action FROM prompts").fetchone()[0] == "more"
