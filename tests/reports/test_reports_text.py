"""Text from data is shown as written: no rich markup read from names, no TeX read from titles.

``[excluded]`` (what privacy leaves of a title) reads "(excluded title)" in the tables and on
the page; prompt answers read as the words of their buttons, not as the stored names, and a
doorway's outcomes as its buttons' words, done ("Leave": Left).
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.vocabulary import (
    CLICK,
    CONTINUED,
    DOORWAY,
    DOORWAY_NO_ANSWER,
    DOORWAY_OUTCOME_WORDS,
    DOORWAY_OUTCOMES,
    DOORWAY_UNAVAILABLE,
    EXCLUDED_TITLE,
    LEFT,
    MORE,
    NOT_TODAY,
    REACHED_OUT,
    SOMEONE_ELSE,
)
from monitor.store.database import Store
from reports.charts import week_figure
from reports.week import week_report
from reports.weekly import render_week_report
from reports.weeks import parse_week
from reports.words import action_words, item_words, outcome_words
from tests.reports_fixtures import add_interaction, add_person, add_prompt, add_span, at, make_settings

BERLIN = ZoneInfo("Europe/Berlin")
W20 = parse_week("2026-W20")
MON, TUE = W20.days()[:2]
MARKUP_NAME = "[bold]Bracket[/bold] Person"
TEX_TITLE = "Pay $5 or $6 now"
BROKEN_TEX = r"$\frac{a}$ sale"


def row_labels(ax) -> list:
    """A bar chart's row labels, in row order (texts with the gid "row-label", as y tick labels)."""
    return [text for text in ax.texts if text.get_gid() == "row-label"]


def fill_odd_week(store: Store, zone) -> None:
    """Items, a category and a person whose names look like markup, every kind of answer, doorways."""
    add_span(store, at(MON, "10:00", zone), 1500, category="uncategorized", name=EXCLUDED_TITLE,
             title=EXCLUDED_TITLE, app="firefox")
    add_span(store, at(MON, "11:00", zone), 1200, category="[red]odd[/red]", name=MARKUP_NAME, app="[x]app")
    add_span(store, at(MON, "12:00", zone), 900, category="shopping", name=TEX_TITLE)
    add_span(store, at(TUE, "12:00", zone), 600, category="shopping", name=BROKEN_TEX)
    person = add_person(store, MARKUP_NAME, 7, at(MON, "04:00", zone) - 30 * 86400)
    add_interaction(store, person, at(TUE, "19:00", zone), via="[i]call[/i]")
    for action in (MORE, MORE, CLICK, NOT_TODAY, REACHED_OUT, SOMEONE_ELSE, None):
        add_prompt(store, at(MON, "12:00", zone), MON, action)
    for outcome in (LEFT, LEFT, CONTINUED, DOORWAY_UNAVAILABLE):
        add_prompt(store, at(TUE, "13:00", zone), TUE, outcome, kind=DOORWAY)


@pytest.fixture
def odd_week(user_paths, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    settings = make_settings(user_paths)
    with Store(user_paths.database) as store:
        fill_odd_week(store, local_zone())
    return settings


def test_words_for_actions_and_excluded_items():
    assert [action_words(a) for a in (MORE, CLICK, NOT_TODAY, REACHED_OUT, SOMEONE_ELSE, "no answer")] == [
        "15 more minutes", "Opened", "Not today", "Reached out", "Someone else", "No answer"]
    assert action_words("snoozed-twice") == "Snoozed twice"  # a stored action with no button yet
    assert [outcome_words(o) for o in (LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER)] == [
        "Left", "Continued", "Reached out", "No answer"]
    assert outcome_words("went-for-a-walk") == "Went for a walk"  # an outcome the doorway may add later
    assert item_words(EXCLUDED_TITLE) == "(excluded title)"
    assert item_words(MARKUP_NAME) == MARKUP_NAME


def test_the_doorway_stores_the_outcomes_the_report_counts():
    from monitor.doorway import doorway, view

    assert DOORWAY_OUTCOMES == view.OUTCOMES  # the words the window answers with
    assert DOORWAY_UNAVAILABLE == doorway.UNAVAILABLE
    assert set(DOORWAY_OUTCOME_WORDS) == set(DOORWAY_OUTCOMES)


def test_today_shows_names_as_written(user_paths, run, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    settings = make_settings(user_paths)
    zone = local_zone()
    start, _ = day_bounds(day_of(time.time(), settings.day_starts_at, zone), settings.day_starts_at, zone)
    with Store(user_paths.database) as store:
        add_span(store, start + 60, 900, category="uncategorized", name=EXCLUDED_TITLE, app="firefox")
        add_span(store, start + 1000, 600, category="[red]odd[/red]", name=MARKUP_NAME, app="[x]app")
    code, out, err = run("today")
    assert code == 0, err
    [excluded] = [line for line in out.splitlines() if "firefox" in line]
    assert excluded.split() == ["(excluded", "title)", "firefox", "uncategorized", "15", "m"]
    [odd] = [line for line in out.splitlines() if "Bracket" in line]
    assert odd.split() == ["[bold]Bracket[/bold]", "Person", "[x]app", "[red]odd[/red]", "10", "m"]
    assert any(line.split()[:2] == ["[red]odd[/red]", "10"] for line in out.splitlines())


def test_week_shows_names_and_answers_as_written(odd_week, run):
    code, out, err = run("week", "--week", "2026-W20")
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.split()[:4] == ["(excluded", "title)", "uncategorized", "25"] for line in lines)
    assert any(line.split()[:3] == ["[bold]Bracket[/bold]", "Person", "[red]odd[/red]"] for line in lines)
    assert any(line.split()[:2] == ["[red]odd[/red]", "20"] for line in lines)  # the category table
    assert any(line.split()[:6] == ["Pay", "$5", "or", "$6", "now", "shopping"] for line in lines)
    assert f"Reached: {MARKUP_NAME}" in lines
    assert ("Doorway: 3 shown; Left (2), Continued (1), Reached out (0), No answer (0); "
            "1 doorway could not be shown (not counted)") in lines
    assert ("Notices: 7 sent; 15 more minutes (2), Opened (1), Not today (1), Reached out (1), "
            "Someone else (1), No answer (1)") in lines


def test_the_page_writes_names_as_written_and_answers_as_buttons(odd_week, tmp_path):
    with Store(odd_week.paths.database) as store:
        report = week_report(store, W20, starts_at=odd_week.day_starts_at, zone=BERLIN,
                             budgets=odd_week.budgets, now=at(MON, "04:00", BERLIN) + 8 * 86400)
    fig = week_figure(report)
    [items] = [ax for ax in fig.axes if ax.get_gid() == "items"]
    labels = [label.get_text() for label in row_labels(items)]
    assert labels == ["(excluded title)", "[bold]Bracket[/bold] Pe…", TEX_TITLE, BROKEN_TEX]
    assert not any(label.get_parse_math() for label in row_labels(items))  # "$" is a dollar
    [prompts] = [ax for ax in fig.axes if ax.get_gid() == "prompts"]
    assert [label.get_text() for label in row_labels(prompts)] == [
        "15 more minutes", "Opened", "Not today", "Reached out", "Someone else", "No answer"]
    assert [patch.get_width() for patch in prompts.containers[0].patches] == [2, 1, 1, 1, 1, 1]
    [doorway] = [ax for ax in fig.axes if ax.get_gid() == "doorway"]
    assert [label.get_text() for label in row_labels(doorway)] == [
        "Left", "Continued", "Reached out", "No answer"]
    assert [patch.get_width() for patch in doorway.containers[0].patches] == [2, 1, 0, 0]
    people = [text.get_text() for text in fig.texts if text.get_gid() == "people"]
    assert "✓ [bold]Bracket[/bold…" in people
    # a title that is broken TeX draws as text instead of failing the whole page
    with Store(odd_week.paths.database) as store:
        path, _ = render_week_report(store, odd_week, W20, tmp_path / "week.png", zone=BERLIN,
                                     now=report.as_of + 1)
    assert path.read_bytes()[:4] == b"\x89PNG"
