"""Watching time in reports: `today --json` and its table, the week page's lighter shade, the settings."""

from __future__ import annotations

import json
import time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.errors import ConfigError
from monitor.core.settings import load_settings
from monitor.store.database import Store
from reports.charts import week_figure
from reports.daily import daily_totals
from reports.week import week_report
from reports.weeks import parse_week
from tests.conftest import write_config
from tests.reports_fixtures import at, make_settings

BERLIN = ZoneInfo("Europe/Berlin")
W13 = parse_week("2026-W13")
MON, TUE = W13.days()[:2]


def watched_span(store: Store, start: float, seconds: float, watched: float, *, name: str = "YouTube",
                 category: str = "video") -> None:
    """An attended stretch of ``seconds - watched``, then ``watched`` seconds counted while watching."""
    store.insert_span(start, start + seconds - watched, "firefox", name, category, name, "test-device")
    store.insert_span(start + seconds - watched, start + seconds, "firefox", name, category, name,
                      "test-device", watching=True)


def test_today_json_has_watching_seconds_for_items_and_categories(user_paths, run, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    settings = make_settings(user_paths, '[budgets]\nvideo = "30m"\n')
    zone = local_zone()
    start, _ = day_bounds(day_of(time.time(), settings.day_starts_at, zone), settings.day_starts_at, zone)
    with Store(user_paths.database) as store:
        watched_span(store, start + 60, 1800, 1500)
        store.insert_span(start + 4000, start + 4600, "code", "notes", "work", "notes", "test-device")
    code, out, err = run("today", "--json")
    assert code == 0, err
    shown = json.loads(out)
    [youtube] = [item for item in shown["items"] if item["name"] == "YouTube"]
    assert (youtube["seconds"], youtube["watching_seconds"]) == (1800, 1500)
    [notes] = [item for item in shown["items"] if item["name"] == "notes"]
    assert notes["watching_seconds"] == 0
    [video] = [category for category in shown["categories"] if category["name"] == "video"]
    assert (video["seconds"], video["watching_seconds"]) == (1800, 1500)
    code, out, err = run("today")
    assert code == 0, err
    [row] = [line for line in out.splitlines() if line.split()[:1] == ["video"]]
    assert "(25 m watching)" in row
    assert "0 s left" in row  # watching counts against the budget like any other time


def test_count_watching_false_leaves_it_out_of_what_a_budget_has_left(user_paths, run, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    settings = make_settings(user_paths, '[budgets]\nvideo = "30m"\ncount_watching = false\n')
    assert settings.budgets.count_watching is False
    assert "count_watching" not in settings.budgets.daily
    zone = local_zone()
    start, _ = day_bounds(day_of(time.time(), settings.day_starts_at, zone), settings.day_starts_at, zone)
    with Store(user_paths.database) as store:
        watched_span(store, start + 60, 1800, 1500)
    code, out, err = run("today")
    assert code == 0, err
    [row] = [line for line in out.splitlines() if line.split()[:1] == ["video"]]
    assert "25 m left" in row


def test_settings_read_watching_max_and_count_watching_and_refuse_bad_values(user_paths):
    write_config(user_paths, '[tracking]\nwatching_max = "90m"\n')
    loaded = load_settings(user_paths)
    assert loaded.tracking.watching_max.total_seconds() == 5400
    assert loaded.budgets.count_watching is True  # the shipped default
    write_config(user_paths, '[tracking]\nwatching_max = "0s"\n')
    with pytest.raises(ConfigError, match=r"config.toml: tracking.watching_max: must be longer than zero"):
        load_settings(user_paths)
    write_config(user_paths, '[budgets]\ncount_watching = "no"\n')
    with pytest.raises(ConfigError, match=r"config.toml: budgets.count_watching: 'no' is not true or false"):
        load_settings(user_paths)


def test_the_weekly_page_draws_watching_as_a_lighter_shade_on_its_category(user_paths, tmp_path):
    settings = make_settings(user_paths)
    with Store(tmp_path / "u.sqlite3") as store:
        watched_span(store, at(MON, "20:00", BERLIN), 3600, 2400)
        watched_span(store, at(TUE, "20:00", BERLIN), 600, 0)
        store.insert_span(at(MON, "09:00", BERLIN), at(MON, "10:00", BERLIN), "code", "a", "work", "a", "d")
        days = daily_totals(store, W13.days(), starts_at=settings.day_starts_at, zone=BERLIN)
        assert days[0].watching_seconds("video") == 2400
        assert days[1].watching_seconds("video") == 0
        assert days[0].seconds("video") == 3600
        report = week_report(store, W13, starts_at=settings.day_starts_at, zone=BERLIN,
                             budgets=settings.budgets, now=at(W13.days()[-1], "23:00", BERLIN) + 86400)
    fig = week_figure(report)
    [daily] = [ax for ax in fig.axes if ax.get_gid() == "daily"]
    bars = {container.get_label(): container.patches for container in daily.containers}
    assert [p.get_height() * 3600 for p in bars["video"]][:2] == pytest.approx([1200, 600])
    watched = bars["_watching video"]
    assert [p.get_height() * 3600 for p in watched][:2] == pytest.approx([2400, 0])
    assert watched[0].get_gid() == "watching video"
    assert watched[0].get_facecolor()[:3] == pytest.approx(bars["video"][0].get_facecolor()[:3])
    assert watched[0].get_facecolor()[3] < bars["video"][0].get_facecolor()[3]  # lighter
    assert watched[0].get_y() == pytest.approx(bars["video"][0].get_y() + bars["video"][0].get_height())
    labels = [text.get_text() for text in fig.texts]
    assert any("lighter: watching" in label for label in labels)
    legend = [text.get_text() for text in daily.get_legend().get_texts()]
    assert not any("watching" in label for label in legend)
