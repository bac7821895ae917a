"""The alert policy over whole simulated days, fed minute by minute as the daemon would."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.core.days import day_of
from monitor.core.settings import PromptSettings
from monitor.core.vocabulary import MORE, NOT_TODAY, OVER, REPEAT, WARN
from monitor.nudge.policy import (
    Alert,
    PromptRecord,
    Snooze,
    category_label,
    decide,
    describe,
    headroom,
    in_quiet_hours,
    snooze_for,
)
from monitor.store.database import Store

ZONE = ZoneInfo("Europe/Berlin")
DAY_START = time(4, 0)
MINUTE = 60.0


class _Dated(Protocol):
    @property
    def at(self) -> datetime: ...


D = TypeVar("D", bound=_Dated)


def day_of_datetime(at: datetime, starts_at: time, zone: tzinfo | None = None) -> date:
    """The local day (starting at ``starts_at``) that the aware datetime ``at`` belongs to."""
    return day_of(at.timestamp(), starts_at, zone or at.tzinfo or UTC)


def todays(items: Iterable[D], now: datetime, starts_at: time) -> list[D]:
    """The records (prompts, snoozes) that belong to the same local day as ``now``.

    Days begin at ``starts_at`` in ``now``'s time zone: with 04:00, a prompt at 03:30
    belongs to the day before.
    """
    zone = now.tzinfo or UTC
    today = day_of_datetime(now, starts_at, zone)
    return [item for item in items if day_of_datetime(item.at, starts_at, zone) == today]


def record_of(alert: Alert) -> PromptRecord:
    """The record the daemon keeps once ``alert`` has been sent."""
    return PromptRecord(alert.at, alert.kind, alert.category, alert.used_s)


def prompts(warn_before: float = 5, repeat_every: float = 15, max_per_day: int = 4,
            quiet: tuple[time, time] | None = None) -> PromptSettings:
    return PromptSettings(warn_before=timedelta(minutes=warn_before),
                          repeat_every=timedelta(minutes=repeat_every),
                          max_per_day=max_per_day, quiet_hours=quiet,
                          suggest_gap=timedelta(days=3), suggest_people_on=("social",))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time on 2026-03-<day> (Monday the 2nd onwards)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=ZONE)


Activity = Callable[[datetime], str | None]


def schedule(*blocks: tuple[datetime, datetime, str]) -> Activity:
    """What the user attends to at each minute: [start, end) blocks of one category."""
    def activity(now: datetime) -> str | None:
        for start, end, category in blocks:
            if start <= now < end:
                return category
        return None
    return activity


@dataclass
class Day:
    """A simulated run of the daemon: usage per local day, prompts and snoozes kept."""

    budgets: Mapping[str, float]
    settings: PromptSettings
    sent: list[PromptRecord] = field(default_factory=list)
    snoozes: list[Snooze] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    usage: dict[date, dict[str, float]] = field(default_factory=lambda: defaultdict(
        lambda: defaultdict(float)))

    def totals(self, now: datetime) -> dict[str, float]:
        return dict(self.usage[day_of_datetime(now, DAY_START)])

    def run(self, activity: Activity, start: datetime, end: datetime,
            press: Mapping[datetime, str] | None = None) -> list[Alert]:
        """Feed ``decide`` once a minute from ``start`` to ``end``; ``press`` maps a minute to
        a button pressed then on the latest notice ("more" or "not-today")."""
        now = start
        while now < end:
            category = activity(now)
            # the minute [now, now + 1 min) is counted towards the day of its start
            now_end = now + timedelta(minutes=1)
            if category is not None:
                today = self.usage[day_of_datetime(now, DAY_START)]
                today[category] += MINUTE
                today["total"] += MINUTE
            totals = self.totals(now)
            if press and now in press and self.sent:
                last = self.sent[-1]
                assert last.category is not None
                snooze = snooze_for(press[now], last.category, now, totals.get(last.category, 0))
                assert snooze is not None
                self.snoozes.append(snooze)
            for alert in decide(totals, self.budgets, todays(self.sent, now, DAY_START),
                                todays(self.snoozes, now, DAY_START), now, self.settings):
                self.alerts.append(alert)
                self.sent.append(record_of(alert))
            now = now_end
        return self.alerts

    def summary(self, category: str | None = None) -> list[tuple[str, str, str, float]]:
        return [(a.at.strftime("%d %H:%M"), a.kind, a.category, a.used_s / MINUTE)
                for a in self.alerts if category is None or a.category == category]


def test_thresholds_warn_over_and_repeats_by_use():
    day = Day({"social": 30 * MINUTE}, prompts(max_per_day=10))
    day.run(schedule((at(2, 9), at(2, 10, 30), "social")), at(2, 8), at(2, 12))
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        ("02 09:44", REPEAT, "social", 45),
        ("02 09:59", REPEAT, "social", 60),
        ("02 10:14", REPEAT, "social", 75),
        ("02 10:29", REPEAT, "social", 90),
    ]
    assert all(alert.budget_s == 30 * MINUTE for alert in day.alerts)


def test_a_pause_of_an_hour_sends_no_repeat_use_not_clock_time():
    day = Day({"social": 30 * MINUTE}, prompts())
    day.run(schedule((at(2, 9), at(2, 9, 35), "social"),
                     (at(2, 9, 35), at(2, 10, 35), "work"),
                     (at(2, 10, 35), at(2, 11), "social")), at(2, 8), at(2, 12))
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        # 15 more minutes of social: 5 before the break and 10 after it
        ("02 10:44", REPEAT, "social", 45),
        ("02 10:59", REPEAT, "social", 60),
    ]


def test_at_most_max_per_day_notices_per_category():
    day = Day({"social": 30 * MINUTE}, prompts(max_per_day=3))
    day.run(schedule((at(2, 9), at(2, 13), "social")), at(2, 8), at(2, 14))
    assert [kind for _, kind, _, _ in day.summary()] == [WARN, OVER, REPEAT]


def test_max_per_day_zero_sends_nothing():
    day = Day({"social": 30 * MINUTE}, prompts(max_per_day=0))
    day.run(schedule((at(2, 9), at(2, 13), "social")), at(2, 8), at(2, 14))
    assert day.alerts == []


def test_quiet_hours_wrapping_midnight_suppress_and_do_not_queue():
    # a night owl from 21:00 to 02:00, then again from 06:00 with quiet hours 22:00-08:00
    day = Day({"social": 30 * MINUTE}, prompts(quiet=(time(22, 0), time(8, 0))))
    day.run(schedule((at(2, 21), at(3, 2), "social"), (at(3, 6), at(3, 10), "social")),
            at(2, 20), at(3, 12))
    assert day.summary() == [
        ("02 21:24", WARN, "social", 25),
        ("02 21:29", OVER, "social", 30),
        ("02 21:44", REPEAT, "social", 45),
        ("02 21:59", REPEAT, "social", 60),  # the fourth: the cap for that day
        # the new day began at 04:00; its warn and over fell in quiet hours (06:24, 06:29):
        # at 08:00 only the one notice due then, not a backlog
        ("03 08:00", OVER, "social", 121),
        ("03 08:15", REPEAT, "social", 136),
        ("03 08:30", REPEAT, "social", 151),
        ("03 08:45", REPEAT, "social", 166),
    ]


def test_in_quiet_hours_windows():
    plain = (time(12, 0), time(14, 0))
    assert in_quiet_hours(at(2, 12), plain)
    assert in_quiet_hours(at(2, 13, 59), plain)
    assert not in_quiet_hours(at(2, 14), plain)
    assert not in_quiet_hours(at(2, 11, 59), plain)
    night = (time(22, 0), time(8, 0))
    assert in_quiet_hours(at(2, 23, 30), night)
    assert in_quiet_hours(at(3, 0, 0), night)
    assert in_quiet_hours(at(3, 7, 59), night)
    assert not in_quiet_hours(at(3, 8, 0), night)
    assert not in_quiet_hours(at(2, 21, 59), night)
    assert not in_quiet_hours(at(2, 3), (time(3, 0), time(3, 0)))
    assert not in_quiet_hours(at(2, 3), None)


def test_day_starts_at_four_a_0330_prompt_belongs_to_the_day_before():
    late = PromptRecord(at(3, 3, 30), OVER, "social", 1800)
    early = PromptRecord(at(3, 4, 0), WARN, "social", 1500)
    assert day_of_datetime(late.at, DAY_START) == date(2026, 3, 2)
    assert day_of_datetime(early.at, DAY_START) == date(2026, 3, 3)
    assert todays([late, early], at(3, 9), DAY_START) == [early]
    assert todays([late, early], at(3, 3, 45), DAY_START) == [late]
    # a record stored in UTC is placed by local time
    utc = PromptRecord(datetime(2026, 3, 3, 2, 30, tzinfo=ZoneInfo("UTC")), OVER, "social")
    assert todays([utc], at(3, 9), DAY_START) == []  # 03:30 local


def test_usage_across_the_day_start_begins_a_new_day_of_notices():
    day = Day({"social": 30 * MINUTE}, prompts(max_per_day=2))
    day.run(schedule((at(2, 23), at(3, 5), "social")), at(2, 22), at(3, 6))
    assert day.summary() == [
        ("02 23:24", WARN, "social", 25),
        ("02 23:29", OVER, "social", 30),
        # 04:00 begins 3 March: a fresh budget and a fresh cap
        ("03 04:24", WARN, "social", 25),
        ("03 04:29", OVER, "social", 30),
    ]


def test_snooze_fifteen_more_minutes_then_a_repeat():
    # repeats every 10 minutes, but "15 more minutes" pressed at 32 m holds them to 47 m
    day = Day({"social": 30 * MINUTE}, prompts(repeat_every=10, max_per_day=10))
    day.run(schedule((at(2, 9), at(2, 10, 15), "social")), at(2, 8), at(2, 11),
            press={at(2, 9, 31): MORE})
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        ("02 09:46", REPEAT, "social", 47),
        ("02 09:56", REPEAT, "social", 57),
        ("02 10:06", REPEAT, "social", 67),
    ]


def test_snooze_shorter_than_repeat_every_ends_with_a_repeat():
    day = Day({"social": 30 * MINUTE}, prompts(repeat_every=30))
    day.run(schedule((at(2, 9), at(2, 10, 30), "social")), at(2, 8), at(2, 11),
            press={at(2, 9, 30): MORE})  # pressed at 31 m: quiet until 46 m
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        ("02 09:45", REPEAT, "social", 46),  # the snooze ends: a repeat
        ("02 10:15", REPEAT, "social", 76),  # then every 30 m of use again
    ]


def test_snooze_on_the_heads_up_holds_back_the_over_notice():
    day = Day({"social": 30 * MINUTE}, prompts())
    day.run(schedule((at(2, 9), at(2, 10), "social")), at(2, 8), at(2, 10),
            press={at(2, 9, 25): MORE})  # pressed at 26 m: quiet until 41 m
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:40", OVER, "social", 41),
        ("02 09:55", REPEAT, "social", 56),
    ]


def test_snooze_counts_use_not_time():
    day = Day({"social": 30 * MINUTE}, prompts(repeat_every=60))
    day.run(schedule((at(2, 9), at(2, 9, 30), "social"),
                     (at(2, 12), at(2, 12, 20), "social")), at(2, 8), at(2, 13),
            press={at(2, 9, 30): MORE})  # pressed at 30 m: quiet until 45 m
    assert day.summary()[-1] == ("02 12:14", REPEAT, "social", 45)


def test_snooze_not_today_silences_the_category_until_tomorrow():
    day = Day({"social": 30 * MINUTE, "total": 60 * MINUTE}, prompts())
    day.run(schedule((at(2, 9), at(2, 12), "social"), (at(3, 9), at(3, 9, 31), "social")),
            at(2, 8), at(3, 10), press={at(2, 9, 30): NOT_TODAY})
    social = day.summary("social")
    assert social == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        ("03 09:24", WARN, "social", 25),
        ("03 09:29", OVER, "social", 30),
    ]
    # the total is another budget: its notices still come
    assert [kind for _, kind, _, _ in day.summary("total")][:2] == [WARN, OVER]


def test_two_budgets_crossed_in_one_day():
    day = Day({"social": 30 * MINUTE, "total": 60 * MINUTE}, prompts(max_per_day=2))
    day.run(schedule((at(2, 9), at(2, 9, 40), "social"), (at(2, 9, 40), at(2, 11), "video")),
            at(2, 8), at(2, 12))
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:29", OVER, "social", 30),
        ("02 09:54", WARN, "total", 55),
        ("02 09:59", OVER, "total", 60),
    ]


def test_two_budgets_crossed_in_the_same_minute_come_total_last():
    day = Day({"total": 30 * MINUTE, "social": 30 * MINUTE}, prompts(max_per_day=2))
    day.run(schedule((at(2, 9), at(2, 10), "social")), at(2, 9), at(2, 10))
    assert day.summary() == [
        ("02 09:24", WARN, "social", 25),
        ("02 09:24", WARN, "total", 25),
        ("02 09:29", OVER, "social", 30),
        ("02 09:29", OVER, "total", 30),
    ]


def test_zero_budget_is_over_at_the_first_minute_and_absent_budgets_never_alert():
    day = Day({"video": 0.0}, prompts(max_per_day=2))
    day.run(schedule((at(2, 9), at(2, 9, 30), "news"), (at(2, 10), at(2, 10, 20), "video")),
            at(2, 8), at(2, 11))
    assert day.summary() == [
        ("02 10:00", OVER, "video", 1),
        ("02 10:15", REPEAT, "video", 16),
    ]


def test_no_budgets_no_notices():
    day = Day({}, prompts())
    day.run(schedule((at(2, 9), at(2, 14), "social")), at(2, 8), at(2, 15))
    assert day.alerts == []


def test_already_over_at_first_sight_sends_only_over():
    alerts = decide({"social": 40 * MINUTE, "total": 40 * MINUTE}, {"social": 30 * MINUTE},
                    [], [], at(2, 9), prompts())
    assert [(a.kind, a.category, a.used_s) for a in alerts] == [(OVER, "social", 40 * MINUTE)]


def test_warn_before_zero_means_no_heads_up():
    day = Day({"social": 30 * MINUTE}, prompts(warn_before=0, max_per_day=2))
    day.run(schedule((at(2, 9), at(2, 10), "social")), at(2, 8), at(2, 11))
    assert [kind for _, kind, _, _ in day.summary()] == [OVER, REPEAT]


def test_budgets_as_timedeltas_and_other_prompt_kinds_are_ignored():
    person = PromptRecord(at(2, 9), "person", None)
    alerts = decide({"social": 26 * MINUTE}, {"social": timedelta(minutes=30)}, [person] * 5,
                    [], at(2, 9, 30), prompts())
    assert [(a.kind, a.budget_s) for a in alerts] == [(WARN, 30 * MINUTE)]


def test_snooze_for_actions():
    now = at(2, 9)
    assert snooze_for(MORE, "social", now, 1800) == Snooze("social", now, 2700)
    assert snooze_for(NOT_TODAY, "social", now, 1800) == Snooze("social", now, None)
    assert snooze_for("dismissed", "social", now, 1800) is None


def test_describe_over_budget_message_and_rotation():
    alert = Alert(OVER, "social", 32 * MINUTE, 30 * MINUTE, at(2, 9))
    first = describe(alert, 0)
    assert first.title == "Social: 32 m of your 30 m today"
    bodies = {describe(alert, index).body for index in range(4)}
    assert len(bodies) == 4
    assert describe(alert, 4) == first  # deterministic, rotating
    warn = describe(Alert(WARN, "total", 115 * MINUTE, 120 * MINUTE, at(2, 9)), 1)
    assert warn.title == "Screen time: 5 m left of 2 h 00 m"
    repeat = describe(Alert(REPEAT, "video", 75 * MINUTE, 60 * MINUTE, at(2, 9)), 0)
    assert repeat.title == "Video: 1 h 15 m of your 1 h 00 m today"
    assert "15 m" in repeat.body
    assert category_label("total") == "Screen time"


def test_prompts_table_keeps_used_seconds(tmp_path):
    with Store(tmp_path / "db.sqlite3") as store:
        store.connection.execute(
            "INSERT INTO prompts (at_utc, day, kind, category, used_s) VALUES (?, ?, ?, ?, ?)",
            (at(2, 9).timestamp(), "2026-03-02", OVER, "social", 1830.0))
        row = store.connection.execute("SELECT kind, used_s FROM prompts").fetchone()
    assert tuple(row) == (OVER, pytest.approx(1830.0))


# --- headroom: how long the daemon may go without asking ---------------------------------------

CATEGORIES = ("social", "video", "total")
minutes = st.integers(min_value=0, max_value=240).map(lambda value: value * MINUTE)


@st.composite
def budget_days(draw: st.DrawFn) -> tuple[dict[str, float], dict[str, float], list[PromptRecord],
                                          list[Snooze], PromptSettings]:
    """A day so far: usage, budgets, notices sent at some usage, snoozes, prompt settings."""
    budgets = draw(st.dictionaries(st.sampled_from(CATEGORIES), minutes, min_size=1))
    totals = {category: draw(minutes) for category in CATEGORIES}
    sent = [PromptRecord(at(2, 9, index), draw(st.sampled_from((WARN, OVER, REPEAT))), category,
                         min(draw(minutes), totals[category]))
            for index, category in enumerate(draw(st.lists(st.sampled_from(CATEGORIES), max_size=4)))]
    snoozes = [Snooze(category, at(2, 10, index),
                      draw(st.one_of(st.none(), minutes.map(lambda value, c=category: totals[c] + value))))
               for index, category in enumerate(draw(st.lists(st.sampled_from(CATEGORIES), max_size=2)))]
    settings = prompts(warn_before=draw(st.integers(0, 20)), repeat_every=draw(st.integers(1, 30)),
                       max_per_day=draw(st.integers(0, 5)))
    return budgets, totals, sent, snoozes, settings


@settings(max_examples=300, deadline=None)
@given(budget_days(), st.integers(min_value=0, max_value=4 * 3600))
def test_headroom_is_exactly_the_use_before_the_next_notice(day, extra):
    """No notice can come sooner than the headroom says, and one comes when it runs out."""
    budgets, totals, sent, snoozes, settings_ = day
    room = headroom(totals, budgets, sent, snoozes, settings_)
    grown = {category: used + extra for category, used in totals.items()}
    alerts = decide(grown, budgets, sent, snoozes, at(2, 12), settings_)
    if extra < room:
        assert alerts == [], (room, extra)
    if room != float("inf"):
        # a notice is due once the headroom is used up (a zero budget: after the first second)
        used_up = max(room, 1.0)
        at_room = {category: used + used_up for category, used in totals.items()}
        assert decide(at_room, budgets, sent, snoozes, at(2, 12), settings_), (room, extra)


def test_headroom_counts_down_to_the_heads_up_then_the_budget():
    settings_ = prompts(warn_before=5, repeat_every=15)
    budgets = {"social": 30 * MINUTE}
    assert headroom({"social": 10 * MINUTE}, budgets, [], [], settings_) == 15 * MINUTE
    warned = [PromptRecord(at(2, 9), WARN, "social", 25 * MINUTE)]
    assert headroom({"social": 26 * MINUTE}, budgets, warned, [], settings_) == 4 * MINUTE
    over = [*warned, PromptRecord(at(2, 9, 5), OVER, "social", 30 * MINUTE)]
    assert headroom({"social": 31 * MINUTE}, budgets, over, [], settings_) == 14 * MINUTE
    rest_of_day = [Snooze.rest_of_day("social", at(2, 9, 6))]
    assert headroom({"social": 31 * MINUTE}, budgets, over, rest_of_day, settings_) == float("inf")
    assert headroom({"social": 31 * MINUTE}, {}, [], [], settings_) == float("inf")
