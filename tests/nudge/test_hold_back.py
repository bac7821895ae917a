"""The experiment in the nudger: an over-budget notice held back is recorded as if sent, and not sent.

The nudger runs on a real SQLite store with a seeded draw (monitor.effect.draw) in the data
folder, so which notices are held back is known in advance; the notifier is a stand-in that
records what it is asked to show (what reaches dunst is tests/desktop/test_hold_back.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.core.vocabulary import OVER, REPEAT, WARN
from monitor.effect.draw import read_state, replay, write_state
from monitor.nudge.notice import Delivery, Notice, NoticeHandle
from monitor.nudge.notify import Notifier
from monitor.nudge.nudger import Nudger
from monitor.nudge.prompt_history import prompt_history
from monitor.store.database import Store
from monitor.store.prompts import prompts_of_day
from tests.reports_fixtures import make_settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
TODAY = datetime(2026, 3, 2).date()
SEED = "nudger-seed"
CONFIG = """
[budgets]
social = "10m"
total = ""
[prompts]
warn_before = "2m"
repeat_every = "1m"
max_per_day = 40
suggest_people_on = []
[experiment]
hold_back = 0.5
"""


class Recorder(Notifier):
    """Records each notice it is asked to show, and answers like a notification server."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Notice] = []

    def deliver(self, notice: Notice, *, log_if_unshown: bool = True) -> Delivery:
        self.sent.append(notice)
        return Delivery("desktop", NoticeHandle(":1.9", len(self.sent)))

    def service_present(self) -> bool:
        return True


def test_held_back_notices_are_recorded_as_if_sent_and_never_sent(user_paths):
    settings = make_settings(user_paths, CONFIG)
    write_state(user_paths.data_dir, SEED, 0)
    notifier = Recorder()
    now = START
    nudger = Nudger(user_paths.database, notifier, clock=lambda: now)
    with Store(user_paths.database) as store:
        for minute in range(7, 31):  # 7 to 30 minutes of social media, one check a minute
            now = START + minute * 60
            store.insert_span(now - 60, now, "firefox", "Facebook", "social", "Facebook", "desk")
            nudger.check(store, settings, now, UTC)
        stored = prompts_of_day(store, TODAY)
        entries = prompt_history(store, TODAY, UTC)
    decisions = [p for p in stored if p.kind in (OVER, REPEAT)]
    assert len(decisions) >= 15
    assert [p.held_back for p in decisions] == replay(SEED, 0.5, len(decisions))
    assert read_state(user_paths.data_dir) == (SEED, len(decisions))  # the heads-up is no decision
    [heads_up] = [p for p in stored if p.kind == WARN]
    assert not heads_up.held_back
    shown = [p for p in stored if not p.held_back]
    assert [n.kind for n in notifier.sent] == [p.kind for p in shown]
    assert [n.used_s for n in notifier.sent] == [p.used_s for p in shown]
    assert all(p.delivery is None for p in stored if p.held_back)  # never missed, never summed up
    assert [e.held_back for e in entries] == [p.held_back for p in stored]
    # as if shown: the repeats keep their spacing whether or not the one before was held back
    assert [round(p.used_s / 60) for p in decisions] == list(range(10, 10 + len(decisions)))


def test_with_zero_every_notice_is_sent_and_nothing_is_drawn(user_paths):
    settings = make_settings(user_paths, CONFIG.replace("hold_back = 0.5", "hold_back = 0"))
    notifier = Recorder()
    nudger = Nudger(user_paths.database, notifier, clock=lambda: START + 900)
    with Store(user_paths.database) as store:
        store.insert_span(START, START + 900, "firefox", "Facebook", "social", "Facebook", "desk")
        nudger.check(store, settings, START + 900, UTC)
        assert [p.held_back for p in prompts_of_day(store, TODAY)] == [False]
    assert len(notifier.sent) == 1
    assert read_state(user_paths.data_dir) is None
