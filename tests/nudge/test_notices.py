"""The notices' life (issue #21, items 4-6): buttons, "Someone else" with nobody left, replacing, missed ones.

The nudger runs on a real SQLite store; the notifier is a stand-in that records what it
is asked to show and answers as a notification server would (an id per notice), or as
a session without one would (the log). What reaches dunst on a real bus is tested in
tests/desktop/test_notice_lifecycle.py; here it is the policy and the records.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.core.vocabulary import (
    DELIVERED_DESKTOP,
    DELIVERED_LOG,
    MORE,
    NOT_TODAY,
    OVER,
    REACHED_OUT,
    REPEAT,
    SOMEONE_ELSE,
    SUGGESTION,
    WARN,
)
from monitor.nudge.dbus_notify import replaces_id_for
from monitor.nudge.missed import MAX_LINES, MissedNotice, catch_up_notice, missed_today
from monitor.nudge.notice import SERVER_DEFAULT, STAYS, Delivery, Notice, NoticeHandle
from monitor.nudge.notify import Notifier
from monitor.nudge.nudger import BUDGET_BUTTONS, Nudger
from monitor.nudge.policy import Alert, describe, stays_on_screen
from monitor.nudge.prompt_log import snoozes_of_day
from monitor.people import directory
from monitor.people.connect import PERSON_BUTTONS
from monitor.store.database import Store
from monitor.store.prompts import prompts_of_day
from tests.conftest import write_config

ZONE = UTC
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()  # a Monday, 09:00 UTC
TODAY = datetime(2026, 3, 2).date()
MINUTE = 60.0
DAY = 86400.0
SERVER = ":1.7"
EVERY_PROMPT_SHOWN = "[experiment]\nhold_back = 0\n"  # no notice held back (tests/effect turn it on)


class ServerStandIn(Notifier):
    """Records each notice and answers like a notification server: a new id, or the one replaced.

    With ``up`` False it answers like a session without one: the notice reached only the log.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Notice] = []
        self.up = True
        self._last_id = 0

    def deliver(self, notice: Notice, *, log_if_unshown: bool = True) -> Delivery:
        if not self.up:
            return Delivery(DELIVERED_LOG)
        self.sent.append(notice)
        if notice.replaces is not None:
            return Delivery(DELIVERED_DESKTOP, notice.replaces)
        self._last_id += 1
        return Delivery(DELIVERED_DESKTOP, NoticeHandle(SERVER, self._last_id))

    def service_present(self) -> bool:
        return self.up


@pytest.fixture
def settings(user_paths: Paths) -> Settings:
    write_config(user_paths, '[budgets]\nsocial = "10m"\ntotal = ""\n'
                             '[prompts]\nwarn_before = "2m"\nrepeat_every = "5m"\n' + EVERY_PROMPT_SHOWN)
    return load_settings(user_paths)


def use_social(store: Store, start: float, seconds: float) -> None:
    with store.transaction():
        store.insert_span(start, start + seconds, "firefox", "Facebook", "social", "Facebook", "here")


def add_person(store: Store, name: str, every_days: float, talked_days_ago: float) -> int:
    return directory.add(store, name, now=START, every_days=every_days,
                         last_talked=START - talked_days_ago * DAY).id


# --- item 4: the person notice's buttons --------------------------------------------------------

def test_the_person_notice_offers_not_today_and_gnome_keeps_the_first_three():
    keys = [key for _label, key in PERSON_BUTTONS]
    assert keys == [REACHED_OUT, SOMEONE_ELSE, NOT_TODAY, MORE]
    labels = [label for label, _key in PERSON_BUTTONS]
    # GNOME Shell shows three buttons: "15 more minutes" (no answer differs least from it) goes
    assert labels[:3] == ["Reached out", "Someone else", "Not today"]
    # the words and the key of "Not today" are the budget notice's own
    assert dict(BUDGET_BUTTONS)["Not today"] == NOT_TODAY == dict(PERSON_BUTTONS)["Not today"]


def test_not_today_on_the_person_notice_silences_the_category_until_tomorrow(settings):
    notifier = ServerStandIn()
    now = START
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: now)
    with Store(settings.paths.database) as store:
        ana = add_person(store, "Ana Okafor", 7, 42)
        use_social(store, START - 11 * MINUTE, 11 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, now, ZONE)] == [OVER]
        [person_notice] = notifier.sent
        assert person_notice.person_id == ana
        assert person_notice.buttons == PERSON_BUTTONS
        person_notice.on_action(NOT_TODAY)
        [snooze] = snoozes_of_day(store, TODAY, ZONE)
        assert (snooze.category, snooze.until_used_s) == ("social", None)
        use_social(store, START, 2 * 3600)  # two more hours: a repeat each 5 m without the snooze
        for minutes in range(1, 120, 7):
            assert nudger.check(store, settings, START + minutes * MINUTE, ZONE) == []
        assert len(notifier.sent) == 1
        assert [p.action for p in prompts_of_day(store, TODAY)] == [NOT_TODAY]
        # the next day (from 04:00) counts afresh
        tomorrow = datetime(2026, 3, 3, 9, 0, tzinfo=UTC).timestamp()
        use_social(store, tomorrow - 11 * MINUTE, 11 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, tomorrow, ZONE)] == [OVER]


# --- item 5: suggestions ------------------------------------------------------------------------

def test_someone_else_with_nobody_left_says_so_and_never_names_who_you_just_talked_to(settings):
    notifier = ServerStandIn()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    with Store(settings.paths.database) as store:
        ana = add_person(store, "Ana Okafor", 7, 42)
        add_person(store, "Ben Moreau", 7, 10 / (24 * 60))  # logged ten minutes ago
        use_social(store, START - 11 * MINUTE, 11 * MINUTE)
        nudger.check(store, settings, START, ZONE)
    [first] = notifier.sent
    assert first.person_id == ana
    first.on_action(SOMEONE_ELSE)  # the stand-in calls the handler at once, as the worker would
    [_, nobody] = notifier.sent
    assert nobody.kind == SUGGESTION
    assert nobody.person_id is None
    assert nobody.body.startswith("Nobody else is due today")
    assert 'unscroll people add "Name" --every 2w' in nobody.body
    assert "Ben" not in nobody.body
    assert nobody.buttons == BUDGET_BUTTONS  # "Not today" still silences the day
    assert nobody.timeout_s == STAYS
    with Store(settings.paths.database) as store:
        rows = prompts_of_day(store, TODAY)
    assert [(row.kind, row.person_id, row.action) for row in rows] == [
        (OVER, ana, SOMEONE_ELSE), (SUGGESTION, None, None)]


def test_reached_out_on_a_notice_keeps_that_person_out_of_the_next_ones(settings, user_paths):
    write_config(user_paths, '[budgets]\nsocial = "10m"\ntotal = ""\n'
                             '[prompts]\nwarn_before = "0s"\nrepeat_every = "5m"\nsuggest_gap = "1h"\n'
                             + EVERY_PROMPT_SHOWN)
    short_gap = load_settings(user_paths)
    notifier = ServerStandIn()
    now = START
    nudger = Nudger(short_gap.paths.database, notifier, clock=lambda: now)
    with Store(short_gap.paths.database) as store:
        ana = add_person(store, "Ana Okafor", 7, 42)
        use_social(store, START - 11 * MINUTE, 11 * MINUTE)
        nudger.check(store, short_gap, now, ZONE)
        assert notifier.sent[0].person_id == ana
        now = START + 30 * MINUTE
        notifier.sent[0].on_action(REACHED_OUT)  # half an hour later she answers the notice
        # 70 minutes on: the gap (1 h) has passed since she was named, not since the talk
        now = START + 70 * MINUTE
        use_social(store, START, 10 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, short_gap, now, ZONE)] == [REPEAT]
        assert notifier.sent[-1].person_id is None  # nobody else on the list: a plain notice
        # once an hour has passed since the talk too, she may be named again
        now = START + 100 * MINUTE
        use_social(store, START + 10 * MINUTE, 10 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, short_gap, now, ZONE)] == [REPEAT]
    assert notifier.sent[-1].person_id == ana


# --- item 6: replacing, staying, missed ---------------------------------------------------------

def test_the_over_budget_notice_replaces_the_heads_up_and_stays(settings):
    notifier = ServerStandIn()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    write_config(settings.paths, '[budgets]\nsocial = "10m"\ntotal = "20m"\n[prompts]\n'
                                 'warn_before = "2m"\nsuggest_people_on = []\n' + EVERY_PROMPT_SHOWN)
    two = load_settings(settings.paths)
    with Store(settings.paths.database) as store:
        use_social(store, START - 9 * MINUTE, 9 * MINUTE)
        assert [a.kind for a in nudger.check(store, two, START, ZONE)] == [WARN]
        use_social(store, START, MINUTE)
        assert [a.kind for a in nudger.check(store, two, START + MINUTE, ZONE)] == [OVER]
        use_social(store, START + MINUTE, 9 * MINUTE)  # 19 of 20 m in all: the total's heads-up
        kinds = [a.kind for a in nudger.check(store, two, START + 10 * MINUTE, ZONE)]
        rows = prompts_of_day(store, TODAY)
    heads_up, over, total_heads_up = notifier.sent
    assert kinds == [WARN]
    assert heads_up.replaces is None
    assert over.replaces == NoticeHandle(SERVER, 1)  # the heads-up's id
    assert total_heads_up.replaces is None  # another category: a notice of its own
    assert (heads_up.timeout_s, over.timeout_s) == (SERVER_DEFAULT, STAYS)
    assert {row.delivery for row in rows} == {DELIVERED_DESKTOP}


def test_a_handle_from_a_server_since_restarted_replaces_nothing():
    kept = NoticeHandle(":1.7", 12)
    assert replaces_id_for(kept, ":1.7") == 12
    assert replaces_id_for(kept, ":1.31") == 0  # dunst restarted: its id 12 may be another app's
    assert replaces_id_for(kept, None) == 0
    assert replaces_id_for(None, ":1.7") == 0


def test_which_kinds_stay_on_screen():
    assert not stays_on_screen(WARN)
    assert all(stays_on_screen(kind) for kind in (OVER, REPEAT, SUGGESTION))
    alert = Alert(REPEAT, "social", 1500.0, 600.0, datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert describe(alert).timeout_s == STAYS


def test_missed_notices_are_recorded_listed_and_summed_up_once_when_the_service_is_back(settings):
    notifier = ServerStandIn()
    now = START
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: now)
    with Store(settings.paths.database) as store:
        notifier.up = False
        use_social(store, START - 9 * MINUTE, 9 * MINUTE)
        nudger.check(store, settings, now, ZONE)  # the heads-up, missed
        use_social(store, START, 2 * MINUTE)
        now = START + 2 * MINUTE
        nudger.check(store, settings, now, ZONE)  # the over-budget notice, missed
        missed = missed_today(store, now, time(4, 0), ZONE)
        assert [(m.kind, m.shown_later_at) for m in missed] == [(WARN, None), (OVER, None)]
        assert missed[1].title == "Social: 11 m of your 10 m today"
        assert notifier.sent == []

        notifier.up = True
        now += 30
        nudger.check(store, settings, now, ZONE)
        [summary] = notifier.sent
        assert summary.title == "While notifications were off: 2 notices"
        assert summary.body.splitlines() == ["09:00 Social: 1 m left of 10 m",
                                             "09:02 Social: 11 m of your 10 m today"]
        assert summary.timeout_s == STAYS
        for later in range(1, 10):  # shown once: never again
            nudger.check(store, settings, now + later * 20, ZONE)
        assert len(notifier.sent) == 1
        assert [m.shown_later_at for m in missed_today(store, now, time(4, 0), ZONE)] == [now, now]


def test_a_daemon_started_later_still_sums_up_the_days_missed_notices(settings):
    down = ServerStandIn()
    down.up = False
    with Store(settings.paths.database) as store:
        use_social(store, START - 11 * MINUTE, 11 * MINUTE)
        Nudger(settings.paths.database, down, clock=lambda: START).check(store, settings, START, ZONE)
        notifier = ServerStandIn()
        restarted = Nudger(settings.paths.database, notifier, clock=lambda: START + 600)
        restarted.check(store, settings, START + 600, ZONE)
    assert [notice.title for notice in notifier.sent] == ["While notifications were off: 1 notice"]


def test_the_summary_lists_a_few_then_counts_the_rest():
    missed = [MissedNotice(index, START + index * MINUTE, REPEAT, "social", f"Social: {index} m over",
                           "", None, None) for index in range(MAX_LINES + 3)]
    notice = catch_up_notice(missed, ZONE)
    lines = notice.body.splitlines()
    assert notice.title == f"While notifications were off: {MAX_LINES + 3} notices"
    assert lines[0] == "09:00 Social: 0 m over"
    assert lines[-1] == "… and 3 more"
    assert len(lines) == MAX_LINES + 1


def test_suggest_gap_must_be_an_hour_or_more(user_paths):
    write_config(user_paths, '[prompts]\nsuggest_gap = "10m"\n')
    with pytest.raises(Exception, match=r"config\.toml: prompts\.suggest_gap: '10m' is too short") as err:
        load_settings(user_paths)
    assert '"3d"' in str(err.value)
    write_config(user_paths, '[prompts]\nsuggest_gap = "1h"\n')
    assert load_settings(user_paths).prompts.suggest_gap == timedelta(hours=1)
