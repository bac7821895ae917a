"""ActivityWatch imports keep aw-watcher-web's ``audible`` as watching: a tab playing in front is not away."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.history.activitywatch import import_activitywatch
from monitor.store.database import Store
from monitor.store.spans import category_totals, item_totals
from tests.reports_fixtures import make_settings

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime.fromisoformat("2026-03-24T10:00:00+00:00").timestamp()


@pytest.fixture
def settings(user_paths):
    return make_settings(user_paths, '[tracking]\ndevice = "this-laptop"\n')


def event(minute: int, minutes: float, **data) -> dict:
    return {"timestamp": f"2026-03-24T10:{minute:02d}:00+00:00", "duration": minutes * 60, "data": data}


def export(tmp_path: Path, windows: list[dict], tabs: list[dict], afk: list[dict]) -> Path:
    path = tmp_path / "aw-buckets-export.json"
    buckets = {
        "aw-watcher-window_laptop": {"type": "currentwindow", "hostname": "laptop", "events": windows},
        "aw-watcher-web-firefox_laptop": {"type": "web.tab.current", "hostname": "laptop", "events": tabs},
        "aw-watcher-afk_laptop": {"type": "afkstatus", "hostname": "laptop", "events": afk},
    }
    path.write_text(json.dumps({"buckets": buckets}), encoding="utf-8")
    return path


def rows(store: Store) -> list[tuple[float, float, str | None, int]]:
    found = store.connection.execute("SELECT start_utc, end_utc, title, watching FROM spans ORDER BY 1")
    return [(start - T0, end - T0, title, watching) for start, end, title, watching in found]


YOUTUBE = {"url": "https://www.youtube.com/watch?v=x", "title": "A talk - YouTube", "incognito": False}
AFK_FROM_5 = [event(0, 5, status="not-afk"), event(5, 15, status="afk")]


def test_a_sounding_tab_in_front_through_afk_time_is_watching(settings, store, tmp_path):
    path = export(tmp_path, [event(0, 20, app="firefox", title="A talk - YouTube — Mozilla Firefox")],
                  [event(0, 20, audible=True, **YOUTUBE)], AFK_FROM_5)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    title = "A talk - YouTube — www.youtube.com"
    assert rows(store) == [(0, 300, title, 0), (300, 1200, title, 1)]
    assert report.away_seconds == 0
    [item] = item_totals(store, T0, T0 + 3600)
    assert (item.seconds, item.watching_seconds) == (1200, 900)
    assert category_totals(store, T0, T0 + 3600, count_watching=False) == {item.category: 300}
    again = import_activitywatch(store, path, settings, zone=BERLIN)
    assert again.spans_added == 0


def test_a_silent_tab_through_afk_time_is_away_as_before(settings, store, tmp_path):
    path = export(tmp_path, [event(0, 20, app="firefox", title="A talk - YouTube — Mozilla Firefox")],
                  [event(0, 20, audible=False, **YOUTUBE)], AFK_FROM_5)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert rows(store) == [(0, 300, "A talk - YouTube — www.youtube.com", 0)]
    assert report.away_seconds == 900


def test_music_in_a_background_tab_does_not_keep_the_editor_counting(settings, store, tmp_path):
    path = export(tmp_path, [event(0, 20, app="code", title="notes.md - VS Code")],
                  [event(0, 20, audible=True, **YOUTUBE)], AFK_FROM_5)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert rows(store) == [(0, 300, "notes.md - VS Code", 0)]
    assert report.away_seconds == 900
    assert report.background_tab_seconds == 300  # the tab behind the editor, while someone was there


def test_an_export_without_the_audible_flag_imports_as_before(settings, store, tmp_path):
    path = export(tmp_path, [event(0, 20, app="firefox", title="A talk - YouTube — Mozilla Firefox")],
                  [event(0, 20, **YOUTUBE)], AFK_FROM_5)
    import_activitywatch(store, path, settings, zone=BERLIN)
    assert rows(store) == [(0, 300, "A talk - YouTube — www.youtube.com", 0)]
