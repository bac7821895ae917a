"""The weekly page's "Do the prompts help?" strip: the experiment as it stands at the week's end.

Histories with a known effect (seeded), drawn by the same call the daemon makes: the
strip states the difference and its interval only when the interval supports it, and
says how many more decisions it needs before that. Its numbers are measure_effect's.
"""

from __future__ import annotations

import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.vocabulary import DOORWAY
from monitor.effect.measure import measure_effect
from monitor.store.database import Store
from reports.charts import week_figure
from reports.week import week_report
from reports.weekly import report_for
from reports.weeks import parse_week
from tests.reports_fixtures import (
    SAMPLE_CONFIG,
    SAMPLE_NOW,
    SAMPLE_WEEK,
    SAMPLE_ZONE,
    add_prompt,
    add_span,
    at,
    fill_sample_week,
    make_settings,
)

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = parse_week("2026-W13")
AFTER_WEEK = at(WEEK.days()[-1], "23:00", BERLIN) + 86400


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "effect.sqlite3") as opened:
        yield opened


def decisions_with_effect(store: Store, shown_minutes: float, held_minutes: float, each: int = 25) -> None:
    """``each`` shown and held-back doorways, followed by about that many minutes of social (seeded)."""
    rng = random.Random(7)
    arms = [False] * each + [True] * each
    rng.shuffle(arms)
    for number, held_back in enumerate(arms):
        day = WEEK.days()[number // 9]
        when = at(day, "08:00", BERLIN) + (number % 9) * 2700
        add_prompt(store, when, day, None if held_back else "continue", kind=DOORWAY, held_back=held_back)
        minutes = (held_minutes if held_back else shown_minutes) + rng.uniform(-2, 2)
        add_span(store, when, minutes * 60)


def strip(fig) -> list[str]:
    return [text.get_text() for text in fig.texts if text.get_gid() == "effect"]


def test_a_clear_difference_is_stated_with_its_interval(user_paths, store):
    settings = make_settings(user_paths)
    decisions_with_effect(store, shown_minutes=5, held_minutes=15)
    report = report_for(store, settings, WEEK, zone=BERLIN, now=AFTER_WEEK)
    measured = measure_effect(store, settings, AFTER_WEEK, BERLIN)
    [kind] = measured.kinds
    [time_effect] = [o for o in kind.outcomes if o.name == "category_seconds_next_30m"]
    low, high = time_effect.comparison.interval
    assert high < 0
    assert low < -600 < high
    title, line = strip(week_figure(report))
    assert title == "Do the prompts help?"
    assert line.startswith("When unscroll opened the doorway, you spent 10 min less on social in the next "
                           "half hour than when it held back (95 % CI ")
    assert line.endswith("; 25 and 25 times).")


def test_no_difference_is_never_called_one(user_paths, store):
    settings = make_settings(user_paths)
    decisions_with_effect(store, shown_minutes=10, held_minutes=10)
    [line] = strip(week_figure(report_for(store, settings, WEEK, zone=BERLIN, now=AFTER_WEEK)))[1:]
    assert "not a clear difference" in line
    assert "so it may be none" in line


def test_the_sample_week_says_how_many_more_it_needs(user_paths, store):
    settings = make_settings(user_paths, SAMPLE_CONFIG)
    fill_sample_week(store)
    zone = ZoneInfo(SAMPLE_ZONE)
    now = at(parse_week(SAMPLE_WEEK).days()[-1], "21:30", zone)
    assert SAMPLE_NOW.startswith("2026-05-17T21:30")
    [doorways, *_] = measure_effect(store, settings, now, zone).kinds
    lines = strip(week_figure(report_for(store, settings, SAMPLE_WEEK, zone=zone, now=now)))
    assert lines[1] == (f"Doorways ({doorways.shown} meant to be shown, {doorways.held_back} held back): too "
                        f"few to tell yet; {20 - doorways.held_back} more held-back doorways are needed.")


def test_a_page_drawn_without_the_experiment_has_no_strip(user_paths, store):
    settings = make_settings(user_paths)
    decisions_with_effect(store, shown_minutes=5, held_minutes=15)
    report = week_report(store, WEEK, starts_at=settings.day_starts_at, zone=BERLIN, budgets=settings.budgets,
                         now=AFTER_WEEK)
    assert report.effect is None
    assert strip(week_figure(report)) == []
