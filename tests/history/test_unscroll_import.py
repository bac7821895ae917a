"""`unscroll import unscroll`: an export comes back whole, once; crafted exports give known answers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import day_of
from monitor.core.vocabulary import DOORWAY
from monitor.history.export import export_json
from monitor.history.unscroll_import import import_unscroll
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten, record_forgotten
from tests.conftest import write_config
from tests.history.crafted_exports import crafted_export, iso, write_export
from tests.reports_fixtures import add_interaction, add_person, make_settings

DATA = Path(__file__).resolve().parents[1] / "data" / "exports"
V1 = DATA / "unscroll-export-v1.json"
V1_DAY = "2026-03-24"


@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")


def effect_json(run) -> dict:
    code, out, err = run("effect", "--json")
    assert code == 0, err
    return json.loads(out)


def seconds_outcome(report: dict, kind: str) -> dict:
    [found] = [k for k in report["kinds"] if k["kind"] == kind]
    return next(o for o in found["outcomes"] if o["name"] == "category_seconds_next_30m")


@pytest.mark.parametrize("kind", ["doorway", "over-budget", "person"])
def test_a_crafted_export_with_an_effect_gives_it_back(run, user_paths, tmp_path, berlin, kind):
    path = write_export(tmp_path / "crafted.json", crafted_export(
        time.time(), shown=60, held_back=40, shown_mean=300, held_back_mean=900, kind=kind))
    code, out, err = run("import", "unscroll", str(path))
    assert code == 0, err
    assert "Added 100 prompts; 0 were already there." in out
    report = effect_json(run)
    [found] = report["kinds"]
    assert (found["kind"], found["shown"], found["held_back"]) == (kind, 60, 40)
    seconds = seconds_outcome(report, kind)
    assert seconds["difference"] == pytest.approx(-600, abs=60)
    low, high = seconds["ci95"]
    assert low < seconds["difference"] < high < 0
    assert seconds["enough"] is True
    assert report["hold_back"] == 0.2
    code, out, _ = run("effect")
    assert "min less on social in the next half hour than when it held back (95 % CI" in " ".join(out.split())


def test_a_crafted_export_without_an_effect_gives_an_interval_around_zero(run, tmp_path, berlin):
    path = write_export(tmp_path / "same.json", crafted_export(
        time.time(), shown=60, held_back=40, shown_mean=600, held_back_mean=600, seed=4))
    assert run("import", "unscroll", str(path))[0] == 0
    seconds = seconds_outcome(effect_json(run), "doorway")
    low, high = seconds["ci95"]
    assert low < 0 < high
    assert seconds["enough"] is True
    out = run("effect")[1]
    assert "that is not a clear difference: the 95 % CI runs from" in " ".join(out.split())


def test_importing_again_adds_nothing(run, tmp_path, berlin):
    path = write_export(tmp_path / "crafted.json", crafted_export(
        time.time(), shown=6, held_back=4, shown_mean=300, held_back_mean=900, kind="person"))
    code, out, _ = run("import", "unscroll", str(path))
    assert code == 0
    # ten spans, or eleven when the clock puts one across a day start (stored as two)
    added = int(re.search(r"Added (\d+) spans", out).group(1))
    assert added in (10, 11), out
    first = effect_json(run)
    code, out, _ = run("import", "unscroll", str(path))
    assert code == 0
    assert f"Added 0 spans (0 s); {added} were already there." in out
    assert "Added 0 prompts; 10 were already there." in out
    assert "Added 0 people; 1 was already there." not in out  # named by prompts, not listed: found again
    assert effect_json(run) == first
    code, out, _ = run("people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["Sam Rivera"]


def test_an_export_of_the_earlier_version_is_read(run, user_paths, berlin):
    code, out, err = run("import", "unscroll", str(V1))
    assert code == 0, err
    assert out.splitlines()[:2] == [f"{V1}: an unscroll export (version 1) read.",
                                    "Added 4 spans (1 h 20 m); 0 were already there."]
    code, out, _ = run("prompts", "--day", V1_DAY, "--json")
    prompts = json.loads(out)
    assert [(p["time"][11:16], p["kind"], p["person"], p["outcome"], p["held_back"]) for p in prompts] == [
        ("21:00", "doorway", "Zoë Martin", "left", False),
        ("21:10", "heads-up", None, None, False),
        ("21:15", "person", "Zoë Martin", "reached-out", False)]
    [zoe] = json.loads(run("people", "list", "--json")[1])
    assert (zoe["name"], zoe["tags"], zoe["emails"]) == ("Zoë Martin", ["friends"], ["zoe@example.org"])
    assert zoe["last_talked"] is not None
    with Store(user_paths.database) as store:
        titles = [row[0] for row in store.connection.execute("SELECT title FROM spans ORDER BY start_utc")]
    assert titles == ["r/Python - Reddit - Mozilla Firefox", "notes.py - VS Code",
                      "Facebook — Mozilla Firefox", None]
    again = run("import", "unscroll", str(V1))[1]
    assert "Added 0 spans (0 s); 4 were already there." in again
    assert "Added 0 people; 1 was already there." in again
    assert "Added 0 interactions; 1 was already there." in again
    assert "Added 0 prompts; 3 were already there." in again


def filled_store(path: Path, now: float) -> Store:
    store = Store(path)
    person = add_person(store, "Ana Okafor", 14, now - 30 * 86400)
    add_interaction(store, person, now - 86400 - 600, "call")
    for number in range(6):
        at = now - 2 * 86400 + number * 3600
        store.insert_span(at, at + 240 + 60 * number, "firefox", "Instagram — Mozilla Firefox", "social",
                          "Instagram", "desk")
        day = day_of(at, clock_time(4, 0), ZoneInfo("Europe/Berlin"))
        store.connection.execute(
            "INSERT INTO prompts (at_utc, day, kind, category, person_id, message, action, action_at, "
            "used_s, delivery, held_back) "
            "VALUES (?, ?, ?, 'social', ?, 'Social: over', ?, ?, 1800, 'desktop', ?)",
            (at, day.isoformat(), DOORWAY if number % 2 else "repeat", person if number == 4 else None,
             "left" if number == 1 else "more" if number == 2 else None, at + 5 if number in (1, 2) else None,
             number % 3 == 0))
    return store


SPANS = "SELECT start_utc, end_utc, app, title, category, name, device FROM spans ORDER BY 1"
PROMPTS = ("SELECT at_utc, day, kind, category, action, action_at, used_s, delivery, held_back FROM prompts "
           "ORDER BY at_utc")


def table(store: Store, sql: str) -> list[tuple]:
    return [tuple(row) for row in store.connection.execute(sql)]


def test_an_export_comes_back_whole_into_a_new_store(user_paths, tmp_path, berlin):
    settings = make_settings(user_paths, '[tracking]\ndevice = "desk"\n')
    # a fixed afternoon: the stored spans lie hours before it, clear of the 04:00 day start
    # that an import splits spans at (with time.time() the test failed shortly after midnight)
    now = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    path = tmp_path / "export.json"
    with filled_store(tmp_path / "old" / "unscroll.sqlite3", now) as old, path.open("w") as out:
        export_json(old, out)
        spans = table(old, SPANS)
        prompts = table(old, PROMPTS)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("unscroll-export", 2)
    first = document["prompts"][0]
    assert {"time", "kind", "category", "person", "outcome", "held_back", "outcomes"} <= set(first)
    assert first["time"] == iso(first["at_utc"])
    assert first["outcomes"] == {"category_seconds_next_30m": 240.0, "visit_ended_within_5m": True,
                                 "reached_out_within_24h": True}
    assert [p["kind"] for p in document["prompts"]] == ["over-budget", "doorway", "over-budget", "doorway",
                                                       "person", "doorway"]
    with Store(user_paths.database) as new:
        report = import_unscroll(new, path, settings)
        assert (report.version, report.spans_added, report.prompts_added, report.people_added) == (2, 6, 6, 1)
        assert table(new, SPANS) == spans
        assert table(new, PROMPTS) == prompts
        assert table(new, "SELECT p.name FROM prompts JOIN people p ON p.id = person_id") == [("Ana Okafor",)]
        assert table(new, "SELECT via FROM interactions") == [("call",)]
        # the store's own export, brought into itself: nothing new (its spans have no origin)
        with path.open("w", encoding="utf-8") as out:
            export_json(new, out)
        again = import_unscroll(new, path, settings)
        added = (again.spans_added, again.prompts_added, again.people_added, again.interactions_added)
        assert added == (0, 0, 0, 0)


def test_privacy_and_forgotten_time_hold_for_imported_spans(user_paths, tmp_path, berlin):
    settings = make_settings(user_paths, '[tracking]\nexclude_titles = ["bank"]\n')
    start = 1_780_000_000.0
    spans = [{"start": iso(start), "end": iso(start + 600), "app": "firefox", "title": "My Bank — Firefox",
              "category": "uncategorized", "name": "firefox"},
             {"start": iso(start + 600), "end": iso(start + 1200), "app": "xterm", "title": "ssh box",
              "category": "work", "name": "xterm"}]
    path = write_export(tmp_path / "x.json", {"format": "unscroll-export", "version": 2, "spans": spans,
                                              "people": [], "interactions": [], "prompts": []})
    with Store(user_paths.database) as store:
        record_forgotten(store, Forgotten(start + 900, start + 1000, "xterm", None, start + 5000))
        report = import_unscroll(store, path, settings)
        rows = table(store, "SELECT start_utc - ?, end_utc - ?, title FROM spans ORDER BY 1".replace(
            "?", str(start)))
    assert rows == [(0.0, 600.0, "[excluded]"), (600.0, 900.0, "ssh box"), (1000.0, 1200.0, "ssh box")]
    assert report.forgotten_seconds == pytest.approx(100)


def test_a_span_across_the_day_start_is_split_there(user_paths, tmp_path, berlin):
    settings = make_settings(user_paths, '[day]\nstarts_at = "04:00"\n')
    spans = [{"start": "2026-05-20T03:30:00+02:00", "end": "2026-05-20T04:30:00+02:00", "app": "mpv",
              "title": "film", "category": "video", "name": "mpv"}]
    path = write_export(tmp_path / "night.json", {"format": "unscroll-export", "version": 2, "spans": spans,
                                                  "people": [], "interactions": [], "prompts": []})
    with Store(user_paths.database) as store:
        assert import_unscroll(store, path, settings).spans_added == 2
        lengths = table(store, "SELECT end_utc - start_utc FROM spans ORDER BY start_utc")
        assert lengths == [(1800.0,), (1800.0,)]


BAD = [
    ("not json {", "not valid JSON at line 1, column 1"),
    ('{"spans": []}', 'not an unscroll export (no "format": "unscroll-export")'),
    ('{"format": "unscroll-export", "version": 9, "spans": []}', "version 9 was written by a newer unscroll"),
    ('{"format": "unscroll-export", "version": 2, "spans": [{"start": "2026-05-20T03:30:00", "end": '
     '"2026-05-20T04:30:00+02:00", "app": "a", "title": null, "category": "c", "name": "n"}]}',
     "spans[0].start: '2026-05-20T03:30:00' has no offset; write it like 2026-03-24T10:05:00+01:00"),
    ('{"format": "unscroll-export", "version": 2, "spans": [{"start": "2026-05-20T03:30:00Z", '
     '"end": "2026-05-20T04:30:00Z", "app": "a", "title": null, "name": "n"}]}',
     "spans[0]: category is missing; expected a string in quotes"),
    ('{"format": "unscroll-export", "version": 2, "prompts": [{"time": "2026-05-20T03:30:00Z", '
     '"kind": "popup", "category": null, "person": null, "outcome": null, "held_back": false}]}',
     "prompts[0].kind: 'popup' is not one of \"doorway\""),
    ('{"format": "unscroll-export", "version": 2, "people": {}}', "people: must be a list"),
    ('{"format": "unscroll-export", "version": 2, "prompts": [{"time": "2026-05-20T03:30:00Z", '
     '"kind": "doorway", "held_back": "yes"}]}', "prompts[0].held_back: 'yes' is not true or false"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_refused_in_one_line_and_nothing_is_stored(user_paths, tmp_path, text, message):
    write_config(user_paths, "")
    good_span = ('{"start": "2026-05-20T01:00:00Z", "end": "2026-05-20T01:10:00Z", "app": "a", '
                 '"title": null, "category": "c", "name": "n"}')
    path = tmp_path / "bad.json"
    path.write_text(text.replace('"spans": []', f'"spans": [{good_span}]'), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "monitor", "import", "unscroll", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"unscroll: {path}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with Store(user_paths.database) as store:
        assert table(store, "SELECT COUNT(*) FROM spans") == [(0,)]
