"""Week and range aggregates: local days with a day start, DST, budgets, items, prompts, people."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.core.vocabulary import (
    CONTINUED,
    DOORWAY,
    DOORWAY_NO_ANSWER,
    DOORWAY_UNAVAILABLE,
    LEFT,
    REACHED_OUT,
)
from monitor.store.database import Store
from monitor.store.people_reads import people_reached
from monitor.store.prompts import outcomes_between
from monitor.store.spans import category_totals, top_items
from reports.daily import daily_totals
from reports.headline import Headline, change_percent, headline_text
from reports.people_stats import most_overdue
from reports.prompt_stats import NO_ANSWER, doorway_counts, prompt_stats
from reports.week import week_report
from reports.week_budgets import category_weeks, check_days
from reports.weeks import days_between, parse_week
from tests.reports_fixtures import add_interaction, add_person, add_prompt, add_span, at, make_settings

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)
W13 = parse_week("2026-W13")  # Mon 23 – Sun 29 March 2026; clocks go forward on Sunday 02:00
MON, TUE, WED, THU, FRI, SAT, SUN = W13.days()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def test_a_span_before_the_day_start_counts_to_the_day_before(store):
    add_span(store, at(TUE, "02:00", BERLIN), 600, category="social")   # Monday night, late
    add_span(store, at(TUE, "04:00", BERLIN), 300, category="work")     # Tuesday proper
    add_span(store, at(MON, "03:59", BERLIN), 60, category="video")     # Sunday 22 March, week 12
    monday, tuesday = daily_totals(store, [MON, TUE], starts_at=FOUR, zone=BERLIN)
    assert monday.categories == {"social": 600.0}
    assert tuesday.categories == {"work": 300.0}
    midnight = daily_totals(store, [MON, TUE], starts_at=time(0, 0), zone=BERLIN)
    assert midnight[0].categories == {"video": 60.0}
    assert midnight[1].categories == {"social": 600.0, "work": 300.0}


def test_the_dst_day_is_23_hours_and_keeps_its_late_night(store):
    # Sunday 29 March 03:30 CEST exists (02:00 -> 03:00) and is before 04:00: Saturday's
    add_span(store, at(SUN, "01:30", BERLIN), 120, category="social")
    add_span(store, at(SUN, "03:30", BERLIN), 240, category="social")
    add_span(store, at(SUN, "04:10", BERLIN), 60, category="social")
    days = daily_totals(store, W13.days(), starts_at=FOUR, zone=BERLIN)
    assert [day.length_hours for day in days] == [24, 24, 24, 24, 24, 23, 24]
    assert days[5].seconds("social") == 360.0
    assert days[6].seconds("social") == 60.0
    assert sum(day.end_utc - day.start_utc for day in days) == 167 * 3600
    autumn = daily_totals(store, parse_week("2026-W43").days(), starts_at=FOUR, zone=BERLIN)
    assert autumn[5].length_hours == 25  # Saturday 24 October runs into the extra hour


def test_totals_over_any_range_sum_in_sql_and_order_categories(store):
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    expected: dict[str, float] = {}
    for offset, day in enumerate(days_between(first, last)):
        category = ("social", "work", "video")[offset % 3]
        add_span(store, at(day, "10:00", BERLIN), 100 + offset, category=category)
        expected[category] = expected.get(category, 0.0) + 100 + offset
    year = daily_totals(store, days_between(first, last), starts_at=FOUR, zone=BERLIN)
    assert len(year) == 365
    assert all(day.total_seconds == 100 + index for index, day in enumerate(year))
    start, end = year[0].start_utc, year[-1].end_utc
    totals = category_totals(store, start, end)
    assert totals == expected
    assert list(totals) == sorted(totals, key=lambda name: -totals[name])


def test_range_queries_use_the_start_index(store):
    plan = " ".join(str(tuple(row)) for row in store.connection.execute(
        "EXPLAIN QUERY PLAN WITH bounds (i, s, e) AS (VALUES (0, 1.0, 2.0)) "
        "SELECT bounds.i, spans.category, SUM(spans.end_utc - spans.start_utc) "
        "FROM bounds JOIN spans ON spans.start_utc >= bounds.s AND spans.start_utc < bounds.e "
        "GROUP BY bounds.i, spans.category"))
    assert "USING INDEX spans_start" in plan


def test_budgets_per_day_with_weekend_overrides(user_paths, store):
    settings = make_settings(user_paths)
    add_span(store, at(MON, "10:00", BERLIN), 40 * 60, category="social")   # over 30 m
    add_span(store, at(MON, "11:00", BERLIN), 60 * 60, category="work")
    add_span(store, at(SAT, "10:00", BERLIN), 50 * 60, category="social")   # within 1 h
    add_span(store, at(SAT, "11:00", BERLIN), 140 * 60, category="video")   # total 3 h 10 m > 3 h
    days = daily_totals(store, W13.days(), starts_at=FOUR, zone=BERLIN)
    checks = check_days(days, settings.budgets, now=at(SUN, "12:00", BERLIN))
    assert checks[0].budgets == {"total": 7200.0, "social": 1800.0}
    assert checks[5].budgets == {"total": 10800.0, "social": 3600.0}
    assert checks[0].over == ("social",)
    assert checks[5].over == ("total",)
    # only days with data are judged: Tuesday to Friday and Sunday are neither within nor over
    assert [check.has_data for check in checks] == [True, False, False, False, False, True, False]
    assert [check.within for check in checks] == [False] * 7
    assert not any(check.budgets_recorded for check in checks)  # nothing kept: the settings stand in
    weeks = {week.name: week for week in category_weeks(days, checks)}
    assert weeks["social"].seconds == 90 * 60
    assert weeks["social"].budget_seconds == 1800 + 3600  # summed over Monday and Saturday only
    assert weeks["social"].days_over == 1
    assert weeks["video"].budget_seconds is None
    assert weeks["work"].seconds == 3600


def test_days_not_begun_count_neither_way(user_paths, store):
    settings = make_settings(user_paths)
    days = daily_totals(store, W13.days(), starts_at=FOUR, zone=BERLIN)
    checks = check_days(days, settings.budgets, now=at(WED, "12:00", BERLIN))
    assert [check.counted for check in checks] == [True, True, True, False, False, False, False]


def test_top_items_group_a_name_across_apps_and_keep_the_main_app(store):
    add_span(store, at(MON, "10:00", BERLIN), 600, name="YouTube", category="video", app="firefox")
    add_span(store, at(TUE, "10:00", BERLIN), 900, name="YouTube", category="video", app="chromium")
    add_span(store, at(TUE, "11:00", BERLIN), 1000, name="Reddit", category="social")
    add_span(store, at(TUE, "12:00", BERLIN), 10, name="xterm", category="uncategorized", app="xterm")
    start, end = at(MON, "04:00", BERLIN), at(MON + timedelta(days=7), "04:00", BERLIN)
    items = top_items(store, start, end, limit=2)
    assert [(item.name, item.app, item.seconds) for item in items] == [
        ("YouTube", "chromium", 1500.0), ("Reddit", "firefox", 1000.0)]


def test_prompts_by_kind_and_answer(store):
    for action in ("logged", "logged", "snoozed", None):
        add_prompt(store, at(TUE, "12:00", BERLIN), TUE, action)
    add_prompt(store, at(MON, "12:00", BERLIN), MON - timedelta(days=1), "logged")  # week 12
    add_prompt(store, at(WED, "12:00", BERLIN), WED, None, kind="warn")
    for outcome in (LEFT, CONTINUED, None, DOORWAY_UNAVAILABLE):  # doorways are not notices
        add_prompt(store, at(WED, "13:00", BERLIN), WED, outcome, kind=DOORWAY)
    stats = prompt_stats(store, MON, SUN)
    assert stats.sent == 5
    assert stats.by_kind == {"over": 4, "warn": 1}
    assert stats.by_action == {"logged": 2, NO_ANSWER: 2, "snoozed": 1}
    assert stats.answered == 3


def test_doorways_by_outcome_apart_from_notices(store):
    for outcome in (LEFT, LEFT, LEFT, REACHED_OUT, DOORWAY_NO_ANSWER, *[DOORWAY_UNAVAILABLE] * 2):
        add_prompt(store, at(THU, "20:00", BERLIN), THU, outcome, kind=DOORWAY)
    add_prompt(store, at(FRI, "20:00", BERLIN), FRI, None, kind=DOORWAY)  # still open: no answer (yet)
    add_prompt(store, at(FRI, "21:00", BERLIN), FRI, "went-for-a-walk", kind=DOORWAY)  # a later outcome
    add_prompt(store, at(SAT, "12:00", BERLIN), SAT, REACHED_OUT)  # a notice's "Reached out"
    add_prompt(store, at(MON, "12:00", BERLIN), MON - timedelta(days=1), LEFT, kind=DOORWAY)  # week 12
    add_prompt(store, at(SAT, "13:00", BERLIN), SAT, None, kind=DOORWAY, held_back=True)  # never shown
    add_prompt(store, at(SAT, "13:05", BERLIN), SAT, None, held_back=True)  # never sent
    stats = doorway_counts(outcomes_between(store, MON, SUN))
    assert stats.outcomes == {LEFT: 3, CONTINUED: 0, REACHED_OUT: 1, DOORWAY_NO_ANSWER: 2,
                              "went-for-a-walk": 1}
    assert list(stats.outcomes)[:4] == [LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER]
    assert (stats.shown, stats.answered, stats.unavailable, stats.recorded) == (7, 5, 2, 9)
    notices = prompt_stats(store, MON, SUN)
    assert (notices.sent, notices.by_kind, notices.by_action) == (1, {"over": 1}, {REACHED_OUT: 1})
    none = doorway_counts(outcomes_between(store, SUN + timedelta(days=1), SUN + timedelta(days=7)))
    assert (none.outcomes, none.shown, none.recorded) == (dict.fromkeys(
        (LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER), 0), 0, 0)


def test_people_reached_and_most_overdue(store):
    start = at(MON, "04:00", BERLIN)
    created = start - 100 * 86400
    anna = add_person(store, "Anna", 7, created)
    ben = add_person(store, "Ben", 14, created)
    chloe = add_person(store, "Chloé", 30, created)
    dario = add_person(store, "Dario", None, created)     # no wish: never overdue
    emma = add_person(store, "Emma", 10, start - 86400)  # new, never talked: due after the week
    add_interaction(store, anna, start + 86400, "call")
    add_interaction(store, anna, start + 2 * 86400, "text")
    add_interaction(store, dario, start + 3 * 86400, "in person")
    add_interaction(store, ben, start - 20 * 86400)        # due 6 days before the start
    add_interaction(store, chloe, start - 40 * 86400)      # due 10 days before the start
    add_interaction(store, ben, start + 8 * 86400)         # after the week: not counted
    end = start + 7 * 86400
    reached = people_reached(store, start, end)
    assert [(p.name, p.interactions, p.via) for p in reached] == [
        ("Anna", 2, ("call", "text")), ("Dario", 1, ("in person",))]
    overdue = most_overdue(store, end, limit=5)
    assert [p.name for p in overdue] == ["Chloé", "Ben"]
    assert overdue[0].overdue_days == pytest.approx(17)
    assert overdue[1].overdue_days == pytest.approx(13)
    assert emma not in [p.person_id for p in overdue]


def test_change_and_headline_text():
    assert change_percent(80, 100) == pytest.approx(-20)
    assert change_percent(5, 0) is None
    headline = Headline(total_seconds=20000, social_seconds=3 * 3600 + 600, previous_total_seconds=1,
                        previous_social_seconds=(3 * 3600 + 600) / 0.8, days_within_budget=3,
                        days_counted=7, people_reached=3)
    assert headline_text(headline) == "3 h 10 m on social, 20 % less than last week; you reached 3 people"
    more = Headline(3600, 1200, 1, 1000, 0, 7, 1)
    assert headline_text(more) == "20 m on social, 20 % more than last week; you reached 1 person"
    new = Headline(3600, 1200, 0, 0, 0, 7, 0)
    assert headline_text(new) == "20 m on social (none last week); you reached no one"


def test_week_report_compares_a_running_week_with_the_same_stretch_before(user_paths, store):
    settings = make_settings(user_paths)
    for day in parse_week("2026-W12").days():          # 20 m social every day of week 12
        add_span(store, at(day, "10:00", BERLIN), 1200, category="social")
    add_span(store, at(MON, "10:00", BERLIN), 600, category="social")
    add_span(store, at(TUE, "10:00", BERLIN), 600, category="social")
    person = add_person(store, "Anna", 7, at(MON, "04:00", BERLIN) - 50 * 86400)
    add_interaction(store, person, at(TUE, "18:00", BERLIN))
    now = at(TUE, "20:00", BERLIN)                     # two days into week 13
    report = week_report(store, W13, starts_at=FOUR, zone=BERLIN, budgets=settings.budgets, now=now)
    assert report.headline.social_seconds == 1200
    assert report.headline.previous_social_seconds == 2400  # Mon and Tue of week 12 only
    assert report.headline.social_change_percent == pytest.approx(-50)
    assert report.headline.days_counted == 2
    assert report.headline.people_reached == 1
    assert report.headline_text == "20 m on social, 50 % less than last week; you reached 1 person"
    finished = week_report(store, W13, starts_at=FOUR, zone=BERLIN, budgets=settings.budgets,
                           now=at(SUN, "23:00", BERLIN) + 86400)
    assert finished.headline.previous_social_seconds == 7 * 1200
    assert finished.as_of == finished.end_utc
