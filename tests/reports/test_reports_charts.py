"""The weekly report page: values read back from the drawn figure match the aggregates."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.errors import InputError
from monitor.core.vocabulary import CLICK, DOORWAY, DOORWAY_UNAVAILABLE, MORE
from monitor.store.database import Store
from reports.charts import chart_format, week_figure
from reports.palette import KNOWN, OTHERS, category_colour
from reports.panels import short_duration, stack_order
from reports.week import WeekReport, week_report
from reports.weekly import render_week_report
from reports.weeks import parse_week
from tests.helpers import assert_private
from tests.reports_fixtures import (
    SAMPLE_CONFIG,
    SAMPLE_NOW,
    SAMPLE_WEEK,
    SAMPLE_ZONE,
    add_interaction,
    add_person,
    add_prompt,
    add_span,
    at,
    fill_sample_week,
    make_settings,
)

BERLIN = ZoneInfo("Europe/Berlin")
W13 = parse_week("2026-W13")  # the week clocks go forward in Berlin (Sunday 29 March)
MON, TUE, WED, THU, FRI, SAT, SUN = W13.days()
AFTER_WEEK = at(SUN, "23:00", BERLIN) + 86400


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def fill_week(store: Store) -> None:
    """A week with a day start of 04:00: late nights, a DST night, and no data on Wednesday."""
    add_span(store, at(MON, "09:00", BERLIN), 3000, category="work", name="VS Code", app="code")
    add_span(store, at(MON, "20:00", BERLIN), 2400, category="social", name="Reddit")
    add_span(store, at(TUE, "02:30", BERLIN), 900, category="social", name="Instagram")  # Monday's
    add_span(store, at(TUE, "21:00", BERLIN), 1500, category="video", name="YouTube")
    add_span(store, at(THU, "10:00", BERLIN), 600, category="social", name="Reddit")
    add_span(store, at(THU, "11:00", BERLIN), 7000, category="work", name="VS Code", app="code")
    add_span(store, at(FRI, "22:00", BERLIN), 4000, category="social", name="X")
    add_span(store, at(SUN, "03:15", BERLIN), 1800, category="social", name="Reddit")  # Saturday's, CEST
    add_span(store, at(SAT, "15:00", BERLIN), 3000, category="messaging", name="Signal", app="signal")
    add_span(store, at(SUN, "12:00", BERLIN), 1200, category="study", name="Anki", app="anki")


def report_of(store: Store, settings, now: float = AFTER_WEEK) -> WeekReport:
    return week_report(store, W13, starts_at=settings.day_starts_at, zone=BERLIN, budgets=settings.budgets,
                       now=now)


def axes_named(fig, gid):
    [ax] = [ax for ax in fig.axes if ax.get_gid() == gid]
    return ax


def column_labels(ax) -> list:
    """A chart's column (day) labels, left to right (texts with the gid "column-label", as x tick labels)."""
    return [text for text in ax.texts if text.get_gid() == "column-label"]


def row_labels(ax) -> list:
    """A bar chart's row labels, in row order (texts with the gid "row-label", as y tick labels)."""
    return [text for text in ax.texts if text.get_gid() == "row-label"]


def texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


def test_daily_bars_and_budget_line_match_the_aggregates(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    report = report_of(store, settings)
    fig = week_figure(report)
    daily = axes_named(fig, "daily")
    drawn = {container.get_label(): [patch.get_height() * 3600 for patch in container.patches]
             for container in daily.containers}
    expected = {name: [day.seconds(name) for day in report.days] for name in drawn}
    assert set(drawn) == {"social", "work", "video", "messaging", "study"}
    for name in drawn:
        assert drawn[name] == pytest.approx(expected[name], abs=1e-6)
    # the aggregates themselves, from the spans above (04:00 day start, 23 h Saturday)
    assert drawn["social"] == pytest.approx([3300, 0, 0, 600, 4000, 1800, 0])
    assert drawn["work"] == pytest.approx([3000, 0, 0, 7000, 0, 0, 0])
    # bars are stacked: each segment starts where the one below ends; social is on the baseline
    assert next(c.get_label() for c in daily.containers) == "social"
    tops = [0.0] * 7
    for container in daily.containers:
        for index, patch in enumerate(container.patches):
            assert patch.get_y() == pytest.approx(tops[index])
            tops[index] += patch.get_height()
    assert [top * 3600 for top in tops] == pytest.approx([day.total_seconds for day in report.days])
    [line] = [line for line in daily.get_lines() if line.get_gid() == "total-budget"]
    ys = list(line.get_ydata())
    assert [ys[2 * i] * 3600 for i in range(7)] == pytest.approx([7200] * 5 + [10800] * 2)
    assert all(ys[2 * i] == ys[2 * i + 1] for i in range(7))
    xs = list(line.get_xdata())
    assert xs[0] == -0.5
    assert xs[-1] == 6.5


def test_a_day_without_data_is_drawn_empty_and_labelled(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    report = report_of(store, settings)
    assert report.days[2].total_seconds == 0  # Wednesday
    daily = axes_named(week_figure(report), "daily")
    assert all(container.patches[2].get_height() == 0 for container in daily.containers)
    [no_data] = [text for text in daily.texts if text.get_text() == "no data"]
    assert no_data.get_position()[0] == 2


def test_the_dst_day_is_labelled_with_its_length(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    report = report_of(store, settings)
    labels = [label.get_text() for label in column_labels(axes_named(week_figure(report), "daily"))]
    assert "23 h day" in labels[5]
    assert labels[5].startswith("Sat")
    assert all("h day" not in label for index, label in enumerate(labels) if index != 5)


def test_social_bars_mark_over_budget_days(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    report = report_of(store, settings)
    social = axes_named(week_figure(report), "social")
    [bars] = social.containers
    heights = [patch.get_height() * 3600 for patch in bars.patches]
    assert heights == pytest.approx([day.seconds("social") for day in report.days])
    over = [patch.get_gid() == "over" for patch in bars.patches]
    assert over == ["social" in check.over for check in report.checks]
    assert over == [True, False, False, False, True, False, False]  # Sat: 30 m of a 1 h weekend budget
    assert all(bool(patch.get_hatch()) == is_over for patch, is_over in zip(bars.patches, over, strict=True))
    [line] = [line for line in social.get_lines() if line.get_gid() == "social-budget"]
    ys = list(line.get_ydata())
    assert [ys[2 * i] * 3600 for i in range(7)] == pytest.approx([1800] * 5 + [3600] * 2)
    assert "+25 m" in texts(social)  # Monday: 55 m against 30 m


def test_items_people_and_prompts_panels(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    start = at(MON, "04:00", BERLIN)
    anna = add_person(store, "Anna", 7, start - 60 * 86400)
    ben = add_person(store, "Ben", 7, start - 60 * 86400)
    add_interaction(store, anna, start + 86400, "call")
    add_interaction(store, ben, start - 30 * 86400, "text")
    for action in (MORE, CLICK, None, MORE):
        add_prompt(store, start + 3600, MON, action)
    report = report_of(store, settings)
    fig = week_figure(report)
    items = axes_named(fig, "items")
    [bars] = items.containers
    assert [patch.get_width() * 3600 for patch in bars.patches] == pytest.approx(
        [item.seconds for item in report.top_items])
    assert [label.get_text() for label in row_labels(items)] == [i.name for i in report.top_items]
    assert report.top_items[0].name == "VS Code"
    assert next(patch.get_facecolor() for patch in bars.patches)[:3] == pytest.approx(
        tuple(int(KNOWN["work"][i:i + 2], 16) / 255 for i in (1, 3, 5)))
    people = [text.get_text() for text in fig.texts if text.get_gid() == "people"]
    assert "✓ Anna" in people
    assert "Ben" in people
    prompts = axes_named(fig, "prompts")
    # the buttons' words, not the stored names ("more", "click"); no answer last
    assert [label.get_text() for label in row_labels(prompts)] == [
        "15 more minutes", "Opened", "No answer"]
    assert [patch.get_width() for patch in prompts.containers[0].patches] == [2, 1, 1]
    assert "Notices · 4 sent" in [text.get_text() for text in fig.texts]
    assert not [ax for ax in fig.axes if ax.get_gid() == "doorway"]  # a week without doorways: no column


def test_doorways_that_could_not_be_shown_are_a_note_not_an_outcome(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    for _ in range(3):
        add_prompt(store, at(TUE, "21:00", BERLIN), TUE, DOORWAY_UNAVAILABLE, kind=DOORWAY)
    report = report_of(store, settings)
    fig = week_figure(report)
    doorway = axes_named(fig, "doorway")
    assert [patch.get_width() for patch in doorway.containers[0].patches] == [0, 0, 0, 0]
    assert [text.get_text() for text in doorway.texts if text.get_gid() == "doorway-note"] == [
        "† 3 could not be shown"]
    shown = [text.get_text() for text in fig.texts]
    assert "Doorway · 0 shown †" in shown
    assert "Notices · 0 sent" in shown
    assert "no prompts were shown this week" in shown
    assert [text.get_text() for text in axes_named(fig, "prompts").texts] == ["none this week"]


def test_a_week_of_only_doorways_is_not_empty(user_paths, store):
    settings = make_settings(user_paths)
    add_prompt(store, at(WED, "21:00", BERLIN), WED, DOORWAY_UNAVAILABLE, kind=DOORWAY)
    report = report_of(store, settings)
    assert not report.is_empty
    assert "No data yet" not in [text.get_text() for text in week_figure(report).texts]


def test_the_sample_week_draws_its_doorways_beside_its_notices(user_paths, store, tmp_path):
    settings = make_settings(user_paths, SAMPLE_CONFIG)
    fill_sample_week(store)
    # held-back doorways were never shown: the experiment's strip counts them, not the answers
    outcomes = dict(store.connection.execute(
        "SELECT COALESCE(action, 'no-answer'), COUNT(*) FROM prompts "
        "WHERE kind = 'doorway' AND held_back = 0 GROUP BY 1"))
    notices = store.connection.execute("SELECT COUNT(*) FROM prompts WHERE kind != 'doorway'").fetchone()[0]
    now = datetime.fromisoformat(SAMPLE_NOW).timestamp()
    report = week_report(store, parse_week(SAMPLE_WEEK), starts_at=settings.day_starts_at,
                         zone=ZoneInfo(SAMPLE_ZONE), budgets=settings.budgets, now=now)
    fig = week_figure(report)
    doorway = axes_named(fig, "doorway")
    drawn = {label.get_text(): patch.get_width()
             for label, patch in zip(row_labels(doorway), doorway.containers[0].patches, strict=True)}
    assert drawn == {"Left": outcomes["left"], "Continued": outcomes["continued"],
                     "Reached out": outcomes["reached-out"], "No answer": outcomes["no-answer"]}
    [note] = [text.get_text() for text in doorway.texts if text.get_gid() == "doorway-note"]
    assert note == f"† {outcomes['unavailable']} more could not be shown"
    assert sum(patch.get_width() for patch in axes_named(fig, "prompts").containers[0].patches) == notices
    # the page as the README shows it: the same call the daemon's weekly job makes
    path, headline = render_week_report(store, settings, SAMPLE_WEEK, tmp_path / "sample.png",
                                        zone=ZoneInfo(SAMPLE_ZONE), now=now)
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert headline == report.headline_text


def test_headline_cards_show_the_numbers(user_paths, store):
    settings = make_settings(user_paths)
    fill_week(store)
    report = report_of(store, settings)
    fig = week_figure(report)
    shown = [text.get_text() for text in fig.texts if text.get_gid() == "card"]
    assert short_duration(report.headline.total_seconds) in shown
    assert short_duration(report.headline.social_seconds) in shown
    assert report.headline.days_with_data == 6  # Wednesday has no data: it is not judged
    assert report.headline.days_within_budget == 3  # Tue, Sat and Sun; Mon, Thu and Fri are over
    assert "3 of 6" in shown
    assert "days with data, every budget kept" in shown
    sentence = [text.get_text() for text in fig.texts if "on social" in text.get_text()]
    assert sentence == [report.headline_text[:1].upper() + report.headline_text[1:] + "."]


def test_an_empty_week_is_a_friendly_page(user_paths, store, tmp_path):
    settings = make_settings(user_paths)
    path, headline = render_week_report(store, settings, "2026-W13", tmp_path / "empty.png", zone=BERLIN,
                                        now=AFTER_WEEK)
    assert path.stat().st_size > 0
    assert headline == "no time on social; you reached no one"
    fig = week_figure(report_of(store, settings))
    assert "No data yet" in [text.get_text() for text in fig.texts]
    assert not [ax for ax in fig.axes if ax.get_gid() == "daily"]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_render_writes_each_format_privately(user_paths, store, tmp_path, suffix):
    settings = make_settings(user_paths)
    fill_week(store)
    out = tmp_path / f"week{suffix}"
    path, headline = render_week_report(store, settings, W13, out, zone=BERLIN, now=AFTER_WEEK)
    assert path == out
    head = out.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head
    assert_private(out)
    assert headline.endswith("you reached no one")
    assert not list(tmp_path.glob(".*.part"))


def test_render_refuses_bad_paths_and_weeks(user_paths, store, tmp_path):
    settings = make_settings(user_paths)
    with pytest.raises(InputError, match="does not exist"):
        render_week_report(store, settings, W13, tmp_path / "missing" / "w.png")
    with pytest.raises(InputError, match=r"\.png, \.svg or \.pdf"):
        render_week_report(store, settings, W13, tmp_path / "w.jpg")
    with pytest.raises(InputError, match="2026-W13"):
        render_week_report(store, settings, "last week", tmp_path / "w.png")
    assert chart_format(Path("A.PNG")) == "png"


def test_category_colours_are_stable_and_colour_blind_safe():
    assert category_colour("social") == "#D55E00"
    assert category_colour("Social ") == category_colour("social")
    for name in ("study", "gardening", "reading"):
        assert category_colour(name) in OTHERS
        assert category_colour(name) == category_colour(name.upper())
    # the same in a fresh interpreter (no salted hash)
    code = "from reports.palette import category_colour; print(category_colour('study'))"
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert fresh.stdout.strip() == category_colour("study")


def test_stack_order_and_short_durations():
    assert stack_order(["work", "social", "uncategorized", "video"]) == [
        "social", "work", "video", "uncategorized"]
    assert [short_duration(s) for s in (0, 45, 600, 3600, 5400, 7260)] == [
        "0", "45 s", "10 m", "1 h", "1 h 30 m", "2 h 01 m"]


def test_drawing_stays_out_of_the_today_path():
    code = ("import sys, reports.cli.today_command, reports.aggregate, reports.weekly, reports.week, "
            "reports.cli.report_command, reports.cli.week_command\n"
            "print('matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_budget_line_has_gaps_on_days_without_a_budget(user_paths, store):
    settings = make_settings(user_paths, '[budgets]\ntotal = ""\nsocial = ""\n[budgets.sat]\ntotal = "1h"\n')
    fill_week(store)
    report = report_of(store, settings)
    daily = axes_named(week_figure(report), "daily")
    [line] = [line for line in daily.get_lines() if line.get_gid() == "total-budget"]
    ys = list(line.get_ydata())
    assert [math.isnan(y) for y in ys[::2]] == [True] * 5 + [False, True]
    assert ys[10] * 3600 == pytest.approx(3600)
    assert report.starts_at == time(4, 0)
