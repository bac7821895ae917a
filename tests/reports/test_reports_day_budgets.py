"""A week whose social budget changed mid-week: each day is judged by the budgets kept for it.

Monday to Wednesday were kept with a 30 m social budget, Thursday to Saturday with 1 h (the
person raised it on Thursday); Sunday was imported, so nothing was kept for it and it falls
back to the current settings (20 m), which the report says in a footnote. Wednesday has no
data at all: it is neither within nor over.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.core.days import local_zone
from monitor.store.database import Store
from monitor.store.day_budgets import record_day_budgets
from reports.charts import week_figure
from reports.serialize import week_json
from reports.week import WeekReport, week_report
from reports.weeks import parse_week
from tests.reports_fixtures import add_span, at, make_settings

W20 = parse_week("2026-W20")  # Mon 11 – Sun 17 May 2026: no clock change in Berlin
MON, TUE, WED, THU, FRI, SAT, SUN = W20.days()
NOW_CONFIG = '[day]\nstarts_at = "04:00"\n[budgets]\ntotal = "2h"\nsocial = "20m"\n'
SOCIAL_PER_DAY = 45 * 60


def fill(store: Store, zone) -> None:
    """45 m of social on every day but Wednesday; the budgets the daemon kept, Sunday's missing."""
    for day in (MON, TUE, THU, FRI, SAT, SUN):
        add_span(store, at(day, "21:00", zone), SOCIAL_PER_DAY, category="social")
    for day in (MON, TUE, WED):
        record_day_budgets(store, day, {"total": 7200.0, "social": 1800.0})
    for day in (THU, FRI, SAT):
        record_day_budgets(store, day, {"total": 7200.0, "social": 3600.0})


def report_now(paths) -> WeekReport:
    """The week as the reports see it after its end, with the current settings and the local zone."""
    settings = make_settings(paths, NOW_CONFIG)
    zone = local_zone()
    with Store(paths.database) as store:
        return week_report(store, W20, starts_at=settings.day_starts_at, zone=zone, budgets=settings.budgets,
                           now=at(SUN, "23:00", zone) + 86400)


@pytest.fixture
def week(user_paths, monkeypatch) -> WeekReport:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the zone the CLI reads too
    with Store(user_paths.database) as store:
        fill(store, local_zone())
    return report_now(user_paths)


def test_each_day_is_judged_by_its_own_budgets(week):
    assert [check.budgets.get("social") for check in week.checks] == [1800, 1800, 1800, 3600, 3600, 3600,
                                                                      1200]
    assert [check.budgets_recorded for check in week.checks] == [True] * 6 + [False]
    assert [check.has_data for check in week.checks] == [True, True, False, True, True, True, True]
    assert [bool(check.over) for check in week.checks] == [True, True, False, False, False, False, True]
    assert [check.within for check in week.checks] == [False, False, False, True, True, True, False]
    assert (week.headline.days_within_budget, week.headline.days_with_data) == (3, 6)
    social = {c.name: c for c in week.categories}["social"]
    assert social.seconds == 6 * SOCIAL_PER_DAY
    assert social.budget_seconds == 2 * 1800 + 3 * 3600 + 1200  # the six days with data, each its own
    assert social.days_over == 3


def test_todays_budgets_alone_would_have_judged_the_week_otherwise(user_paths, week):
    """The same week without the kept budgets: every day with data over the current 20 m."""
    with Store(user_paths.database) as store:
        store.connection.execute("DELETE FROM day_budgets")
    bare = report_now(user_paths)
    assert [check.within for check in bare.checks] == [False] * 7
    assert bare.headline.days_with_data == week.headline.days_with_data
    assert bare.budgets_note is not None
    assert bare.budgets_note.startswith("Every day with data: judged against your current budgets")


def test_the_footnote_names_only_the_day_without_kept_budgets(week):
    assert week.budgets_note == ("Sun 17 May: judged against your current budgets, as none were kept then "
                                 "(recorded before unscroll kept them, or imported)")
    data = week_json(week)
    assert data["budgets_note"] == week.budgets_note
    assert [day["budgets_recorded"] for day in data["days"]] == [True] * 6 + [False]
    assert [day["budget_seconds"]["social"] for day in data["days"]] == [1800] * 3 + [3600] * 3 + [1200]
    assert data["headline"]["days_with_data"] == 6
    assert data["headline"]["days_within_budget"] == 3


def test_the_page_draws_the_kept_budgets_and_the_footnote(week):
    fig = week_figure(week)
    [social] = [ax for ax in fig.axes if ax.get_gid() == "social"]
    [line] = [line for line in social.get_lines() if line.get_gid() == "social-budget"]
    ys = list(line.get_ydata())
    assert [ys[2 * i] * 3600 for i in range(7)] == pytest.approx([1800] * 3 + [3600] * 3 + [1200])
    over = [patch.get_gid() == "over" for patch in social.containers[0].patches]
    assert over == [True, True, False, False, False, False, True]
    [daily] = [ax for ax in fig.axes if ax.get_gid() == "daily"]
    starred = [label.get_text().split("\n")[1].endswith("*") for label in daily.texts
               if label.get_gid() == "column-label"]
    assert starred == [False] * 6 + [True]
    [note] = [text.get_text() for text in fig.texts if text.get_gid() == "budgets-note"]
    assert note == f"* {week.budgets_note}."
    cards = [text.get_text() for text in fig.texts if text.get_gid() == "card"]
    assert "3 of 6" in cards
    assert "45 m a day on 6 days with data" in cards


def test_the_week_command_shows_the_same(week):
    result = CliRunner().invoke(cli, ["week", "--week", "2026-W20"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Within budget: 3 of 6 days with data." in lines
    [sunday] = [line for line in lines if "Sun 17 May" in line and "█" in line]
    assert "Sun 17 May*" in sunday
    assert not [line for line in lines if "Sat 16 May*" in line]
    assert lines[-1] == f"* {week.budgets_note}."
    data = json.loads(CliRunner().invoke(cli, ["week", "--week", "2026-W20", "--json"]).output)
    effect = data.pop("effect")  # the command measures the experiment too: none ran that week
    assert (effect["kinds"], effect["until"]) == ([], "2026-05-17")
    expected = week_json(week)
    assert expected.pop("effect") is None
    assert data == json.loads(json.dumps(expected))
