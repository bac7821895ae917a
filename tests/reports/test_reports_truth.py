"""The weekly numbers against a seeded simulation of a week's use.

The simulation decides, in plain Python, which local day each stretch of use belongs to
(04:00 day start, late nights included), the budgets the daemon kept for each day (raised
mid-week, Sunday imported without any), how each notice was answered and how each doorway
ended (some could not be shown, one still open when the week was read). The page, the JSON
and the terminal lines are then read back and compared with the simulation's own totals,
never with the report's.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import day_start
from monitor.core.vocabulary import (
    CLICK,
    CONTINUED,
    DOORWAY,
    DOORWAY_NO_ANSWER,
    DOORWAY_UNAVAILABLE,
    EXCLUDED_TITLE,
    LEFT,
    MORE,
    NOT_TODAY,
    REACHED_OUT,
    SOMEONE_ELSE,
)
from monitor.store.database import Store
from monitor.store.day_budgets import record_day_budgets
from reports.charts import week_figure
from reports.panels import short_duration
from reports.serialize import week_json
from reports.week import WeekReport, week_report
from reports.weeks import parse_week
from tests.reports_fixtures import add_prompt, add_span, make_settings

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)
W20 = parse_week("2026-W20")  # 11 – 17 May 2026, no clock change
DAYS = W20.days()
CURRENT = '[day]\nstarts_at = "04:00"\n[budgets]\ntotal = "2h"\nsocial = "20m"\n'
CURRENT_BUDGETS = {"total": 7200.0, "social": 1200.0}  # what CURRENT says for a day with none kept
ITEMS = {"social": ["Reddit", "Instagram", "X"], "video": ["YouTube", "Twitch"], "work": ["VS Code"],
         "uncategorized": [EXCLUDED_TITLE, "xterm"]}
ANSWERS = [MORE, NOT_TODAY, REACHED_OUT, SOMEONE_ELSE, CLICK, None]
BUTTON_WORDS = {MORE: "15 more minutes", NOT_TODAY: "Not today", REACHED_OUT: "Reached out",
                SOMEONE_ELSE: "Someone else", CLICK: "Opened", None: "No answer"}
DOORWAY_ENDS = [LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER, DOORWAY_UNAVAILABLE]
DOORWAY_WORDS = {LEFT: "Left", CONTINUED: "Continued", REACHED_OUT: "Reached out",
                 DOORWAY_NO_ANSWER: "No answer"}


@dataclass
class Truth:
    """What happened, as the simulation knows it."""

    seconds: dict[date, Counter[str]] = field(default_factory=dict)
    items: Counter[tuple[str, str]] = field(default_factory=Counter)
    budgets: dict[date, dict[str, float]] = field(default_factory=dict)
    answers: Counter[str | None] = field(default_factory=Counter)
    doorways: Counter[str] = field(default_factory=Counter)
    """How each doorway ended: an outcome, or ``unavailable`` (never shown)."""

    def total(self, day: date) -> float:
        return sum(self.seconds[day].values())

    def over(self, day: date) -> set[str]:
        used = {**self.seconds[day], "total": self.total(day)}
        return {name for name, limit in self.budgets[day].items() if used.get(name, 0.0) > limit}

    def with_data(self) -> list[date]:
        return [day for day in DAYS if self.total(day) > 0]


def simulate(store: Store, seed: int) -> Truth:
    """A week of use: two empty days (never Sunday), sessions from 04:00 to the small hours."""
    rng = random.Random(seed)
    truth = Truth()
    empty = set(rng.sample(DAYS[:6], 2))
    for index, day in enumerate(DAYS):
        truth.seconds[day] = Counter()
        kept = {"total": 9000.0, "social": 1800.0} if index < 3 else {"total": 10800.0, "social": 3600.0}
        if day != DAYS[-1]:  # Sunday was imported: the daemon kept nothing for it
            record_day_budgets(store, day, kept)
        truth.budgets[day] = kept if day != DAYS[-1] else CURRENT_BUDGETS
        if day in empty:
            continue
        offset = rng.uniform(0, 4 * 3600)  # seconds after the day's 04:00 start
        for _ in range(rng.randint(2, 9)):
            length = float(rng.randint(60, 40 * 60))
            if offset + length >= 86400:
                break
            category = rng.choices(list(ITEMS), weights=[4, 2, 3, 1])[0]
            name = rng.choice(ITEMS[category])
            add_span(store, day_start(day, FOUR, BERLIN) + offset, length, category=category, name=name)
            truth.seconds[day][category] += length
            truth.items[(name, category)] += length
            offset += length + rng.uniform(0, 3 * 3600)
    for _ in range(rng.randint(5, 25)):
        day, answer = rng.choice(DAYS), rng.choice(ANSWERS)
        add_prompt(store, day_start(day, FOUR, BERLIN) + rng.uniform(3600, 80000), day, answer)
        truth.answers[answer] += 1
    for _ in range(rng.randint(8, 40)):
        day, end = rng.choice(DAYS), rng.choice(DOORWAY_ENDS)
        add_prompt(store, day_start(day, FOUR, BERLIN) + rng.uniform(3600, 80000), day, end, kind=DOORWAY)
        truth.doorways[end] += 1
    # the week's last doorway was still open when the week was read: it counts as no answer
    add_prompt(store, day_start(DAYS[-1], FOUR, BERLIN) + 86000, DAYS[-1], None, kind=DOORWAY)
    truth.doorways[DOORWAY_NO_ANSWER] += 1
    return truth


def report(store: Store, settings) -> WeekReport:
    return week_report(store, W20, starts_at=FOUR, zone=BERLIN, budgets=settings.budgets,
                       now=day_start(DAYS[-1], FOUR, BERLIN) + 3 * 86400)


@pytest.fixture(params=[3, 17, 2026])
def simulated(request, user_paths):
    settings = make_settings(user_paths, CURRENT)
    with Store(user_paths.database) as store:  # the user's own store, for the terminal's view too
        truth = simulate(store, request.param)
        yield truth, report(store, settings)


def row_labels(ax) -> list:
    """A bar chart's row labels, in row order (texts with the gid "row-label", as y tick labels)."""
    return [text for text in ax.texts if text.get_gid() == "row-label"]


def axes(fig, gid):
    [found] = [ax for ax in fig.axes if ax.get_gid() == gid]
    return found


def test_the_page_draws_the_simulated_week(simulated):
    truth, week = simulated
    fig = week_figure(week)
    daily = axes(fig, "daily")
    for container in daily.containers:
        drawn = [patch.get_height() * 3600 for patch in container.patches]
        assert drawn == pytest.approx([truth.seconds[day][container.get_label()] for day in DAYS], abs=1e-3)
    assert {c.get_label() for c in daily.containers} == {name for day in DAYS for name in truth.seconds[day]}
    social = axes(fig, "social")
    over = [patch.get_gid() == "over" for patch in social.containers[0].patches]
    assert over == ["social" in truth.over(day) for day in DAYS]
    [line] = [line for line in daily.get_lines() if line.get_gid() == "total-budget"]
    assert list(line.get_ydata())[::2] == pytest.approx([truth.budgets[day]["total"] / 3600 for day in DAYS])
    within = sum(not truth.over(day) for day in truth.with_data())
    cards = [text.get_text() for text in fig.texts if text.get_gid() == "card"]
    assert f"{within} of {len(truth.with_data())}" in cards
    total = sum(truth.total(day) for day in DAYS)
    assert short_duration(total) in cards
    days = len(truth.with_data())
    assert f"{short_duration(total / days)} a day on {days} days with data" in cards
    prompts = axes(fig, "prompts")
    bars = prompts.containers[0].patches
    drawn_answers = {label.get_text(): patch.get_width()
                     for label, patch in zip(row_labels(prompts), bars, strict=True)}
    assert drawn_answers == {BUTTON_WORDS[answer]: count for answer, count in truth.answers.items()}
    doorway = axes(fig, "doorway")
    bars = doorway.containers[0].patches
    drawn_doorway = [(label.get_text(), patch.get_width())
                     for label, patch in zip(row_labels(doorway), bars, strict=True)]
    assert drawn_doorway == [(DOORWAY_WORDS[end], truth.doorways[end]) for end in DOORWAY_WORDS]
    shown = sum(truth.doorways.values()) - truth.doorways[DOORWAY_UNAVAILABLE]
    headings = [text.get_text() for text in fig.texts]
    assert any(text.startswith(f"Doorway · {shown} shown") for text in headings)
    assert f"Notices · {sum(truth.answers.values())} sent" in headings
    notes = [text.get_text() for text in doorway.texts if text.get_gid() == "doorway-note"]
    unshown = truth.doorways[DOORWAY_UNAVAILABLE]
    assert notes == ([f"† {unshown} more could not be shown"] if unshown else [])
    items = axes(fig, "items")
    biggest = sorted(truth.items.items(), key=lambda kv: (-kv[1], kv[0][0]))[:8]
    assert [label.get_text() for label in row_labels(items)] == [
        "(excluded title)" if name == EXCLUDED_TITLE else name for (name, _), _ in biggest]
    [note] = [text.get_text() for text in fig.texts if text.get_gid() == "budgets-note"]
    assert note.startswith(f"* {DAYS[-1]:%a %d %b}: judged against your current budgets")


def test_the_json_counts_the_simulated_week(simulated):
    truth, week = simulated
    data = week_json(week)
    with_data = truth.with_data()
    assert 0 < sum(not truth.over(day) for day in with_data) < len(with_data) < 7  # a week worth judging
    assert data["headline"]["days_with_data"] == len(with_data)
    assert data["headline"]["days_within_budget"] == sum(not truth.over(day) for day in with_data)
    assert data["total_seconds"] == round(sum(truth.total(day) for day in DAYS))
    for day, shown in zip(DAYS, data["days"], strict=True):
        assert shown["total_seconds"] == pytest.approx(truth.total(day), abs=1)
        assert set(shown["over_budget"]) == truth.over(day)
        assert shown["budget_seconds"] == {name: round(limit) for name, limit in truth.budgets[day].items()}
        assert shown["budgets_recorded"] is (day != DAYS[-1])
        assert shown["has_data"] is (day in with_data)
    categories = {c["name"]: c for c in data["categories"]}
    social_budget = sum(truth.budgets[day]["social"] for day in with_data)
    assert categories["social"]["budget_seconds"] == round(social_budget)
    for name in ITEMS:
        seconds = sum(truth.seconds[day][name] for day in DAYS)
        if seconds:
            assert categories[name]["seconds"] == round(seconds)
    assert data["prompts"]["sent"] == sum(truth.answers.values())
    assert data["prompts"]["answered"] == sum(truth.answers.values()) - truth.answers[None]
    assert data["prompts"]["by_action"] == {
        "no answer" if answer is None else answer: count for answer, count in truth.answers.items()}
    assert data["prompts"]["by_kind"] == {"over": sum(truth.answers.values())}  # no doorway among them
    outcomes = {end: truth.doorways[end] for end in DOORWAY_WORDS}
    assert data["doorway"] == {"shown": sum(outcomes.values()),
                               "answered": sum(outcomes.values()) - outcomes[DOORWAY_NO_ANSWER],
                               "outcomes": outcomes, "unavailable": truth.doorways[DOORWAY_UNAVAILABLE]}
    assert list(data["doorway"]["outcomes"]) == [LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER]


def counted(text: str) -> dict[str, int]:
    """``15 more minutes (2), No answer (1)`` -> {"15 more minutes": 2, "No answer": 1}."""
    return {words.strip(): int(count) for words, count in re.findall(r"([^,(]+?) \((\d+)\)(?:, |$)", text)}


def test_the_terminal_counts_the_simulated_week(simulated, run, monkeypatch):
    truth, _ = simulated
    monkeypatch.setenv("TZ", "Europe/Berlin")
    code, out, err = run("week", "--week", "2026-W20")
    assert code == 0, err
    [doorway] = [line for line in out.splitlines() if line.startswith("Doorway:")]
    shown = sum(truth.doorways.values()) - truth.doorways[DOORWAY_UNAVAILABLE]
    head, outcomes, *unshown = doorway.split("; ")
    assert head == f"Doorway: {shown} shown"
    assert counted(outcomes) == {DOORWAY_WORDS[end]: truth.doorways[end] for end in DOORWAY_WORDS}
    assert list(counted(outcomes)) == ["Left", "Continued", "Reached out", "No answer"]
    count = truth.doorways[DOORWAY_UNAVAILABLE]
    assert unshown == ([f"{count} doorway{'s' if count > 1 else ''} could not be shown (not counted)"]
                       if count else [])
    [notices] = [line for line in out.splitlines() if line.startswith("Notices:")]
    head, answers = notices.split("; ")
    assert head == f"Notices: {sum(truth.answers.values())} sent"
    assert counted(answers) == {BUTTON_WORDS[answer]: count for answer, count in truth.answers.items()}
