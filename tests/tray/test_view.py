"""What the tray shows, decided from today's figures alone: the icon's step, the title, the menu."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.core.durations import format_duration
from monitor.tray.view import (
    OVER,
    PAUSE_UNTIL_TOMORROW,
    QUIT,
    REPORT,
    RESUME,
    SETTINGS,
    PersonOffer,
    build_view,
    level_of,
    person_key,
    person_of,
    spent_fraction,
    summary_of,
)
from reports.aggregate import CategoryTotal, DaySummary

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 13, 0, tzinfo=BERLIN).timestamp()
MINUTE = 60.0


def summary(social: float, work: float = 0.0, *, social_budget: float | None = 30 * MINUTE,
            total_budget: float | None = 2 * 3600.0) -> DaySummary:
    categories = [CategoryTotal("social", social, social_budget), CategoryTotal("work", work, None)]
    categories.sort(key=lambda c: (-c.seconds, c.name))
    return DaySummary(day=date(2026, 11, 27), total_seconds=social + work, total_budget_seconds=total_budget,
                      categories=categories, items=[])


@pytest.mark.parametrize(("fraction", "level"), [
    (0.0, 0), (0.2499, 0), (0.25, 1), (0.4999, 1), (0.5, 2), (0.7499, 2), (0.75, 3), (0.9999, 3),
    (1.0, OVER), (3.5, OVER), (math.inf, OVER)])
def test_a_step_for_each_quarter_spent_and_one_for_over(fraction, level):
    assert level_of(fraction) == level


def test_a_zero_budget_is_spent_at_the_first_second():
    assert spent_fraction(0.0, 0.0) == 0.0
    assert level_of(spent_fraction(1.0, 0.0)) == OVER


def test_the_title_says_each_budget_in_todays_words():
    view = build_view(summary(18 * MINUTE, 54 * MINUTE), None, (), NOW, BERLIN)
    assert view.title == "Social 18 m of 30 m · Screen 1 h 12 m of 2 h 00 m"
    assert view.level == 2  # social is 60 % spent, the most of any budget
    assert not view.paused


def test_the_most_used_budget_sets_the_icon():
    quiet_social = build_view(summary(5 * MINUTE, 100 * MINUTE), None, (), NOW, BERLIN)
    assert quiet_social.level == 3  # the total: 105 of 120 minutes
    spent = build_view(summary(31 * MINUTE), None, (), NOW, BERLIN)
    assert spent.level == OVER


def test_without_budgets_the_title_is_todays_screen_time():
    view = build_view(summary(10 * MINUTE, 20 * MINUTE, social_budget=None, total_budget=None), None, (),
                      NOW, BERLIN)
    assert view.title == "Screen 30 m today"
    assert view.level == 0


def test_a_pause_leads_the_title_and_changes_the_icon():
    until = NOW + 1800
    view = build_view(summary(18 * MINUTE), until, (), NOW, BERLIN)
    assert view.paused
    assert view.title.startswith("Paused until 13:30 · Social 18 m of 30 m")
    assert build_view(summary(0), math.inf, (), NOW, BERLIN).title.startswith("Paused until you resume · ")
    over = build_view(summary(18 * MINUTE), NOW - 1, (), NOW, BERLIN)  # a pause that has ended
    assert not over.paused
    assert not over.title.startswith("Paused")


def test_the_menu_today_pause_report_people_settings_quit():
    offers = [PersonOffer(7, "Call Sam"), PersonOffer(12, "Message Ana")]
    view = build_view(summary(18 * MINUTE, 54 * MINUTE), None, offers, NOW, BERLIN)
    labels = [entry.label for entry in view.menu if not entry.separator]
    assert labels == [
        "Work  54 m", "Social  18 m of 30 m · 12 m left", "Screen  1 h 12 m of 2 h 00 m · 48 m left",
        "Pause for 30 min", "Pause for 1 h", "Pause until tomorrow", "Resume",
        "Open this week's report", "Call Sam", "Message Ana", "Settings file", "Quit unscroll"]
    keys = {entry.label: entry.key for entry in view.menu}
    assert keys["Pause until tomorrow"] == PAUSE_UNTIL_TOMORROW
    assert [keys["Open this week's report"], keys["Settings file"], keys["Quit unscroll"]] == [
        REPORT, SETTINGS, QUIT]
    assert person_of(keys["Call Sam"]) == 7
    enabled = {entry.label: entry.enabled for entry in view.menu}
    assert not enabled["Resume"]  # nothing to resume
    assert not enabled["Work  54 m"]  # a line to read
    assert sum(entry.separator for entry in view.menu) == 4


def test_while_paused_the_menu_says_until_when_and_offers_resume():
    view = build_view(summary(31 * MINUTE), NOW + 3600, (), NOW, BERLIN)
    entries = {entry.label: entry for entry in view.menu}
    assert "Paused until 14:00" in entries
    assert entries["Resume"].enabled
    assert entries["Resume"].key == RESUME
    assert "Social  31 m of 30 m · over by 1 m" in entries
    assert "Nobody is due to hear from you" in entries


def test_person_keys_round_trip_and_refuse_others():
    assert person_of(person_key(42)) == 42
    assert person_of("person-x") is None
    assert person_of(REPORT) is None


def test_the_words_are_those_of_format_duration():
    view = build_view(summary(9 * MINUTE + 5), None, (), NOW, BERLIN)
    assert f"Social {format_duration(9 * MINUTE + 5)} of 30 m" in view.title


def test_a_day_is_laid_out_as_unscroll_today_lays_it_out():
    laid = summary_of(date(2026, 11, 27), {"work": 600.0, "video": 600.0, "news": 900.0},
                      {"social": 1800.0, "total": 7200.0})
    assert [(c.name, c.seconds, c.budget_seconds) for c in laid.categories] == [
        ("news", 900.0, None), ("video", 600.0, None), ("work", 600.0, None), ("social", 0.0, 1800.0)]
    assert laid.total_seconds == 2100.0
    assert laid.total_budget_seconds == 7200.0
