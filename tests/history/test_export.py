"""Exports: CSV rows per span, JSON with everything, and ActivityWatch exports that import back."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.core.errors import InputError
from monitor.history.activitywatch import import_activitywatch
from monitor.history.aw_format import read_export
from monitor.history.export import export_activitywatch, export_csv, export_json, private_output
from monitor.store.database import Store
from tests.helpers import assert_private
from tests.reports_fixtures import add_interaction, add_person, add_prompt, add_span, at, make_settings

BERLIN = ZoneInfo("Europe/Berlin")
DAY1, DAY2 = date(2026, 3, 24), date(2026, 3, 25)


@pytest.fixture
def filled(store):
    add_span(store, at(DAY1, "10:00", BERLIN), 600, category="social", name="Reddit",
             title="r/Python - Reddit - Mozilla Firefox")
    add_span(store, at(DAY1, "11:00", BERLIN), 1200.5, category="work", name="VS Code", app="code",
             title='a "quoted", title')
    store.insert_span(at(DAY2, "09:00", BERLIN), at(DAY2, "09:30", BERLIN), "xterm", None, "uncategorized",
                      "xterm", "desk")
    person = add_person(store, "Zoë", 14, at(DAY1, "08:00", BERLIN))
    add_interaction(store, person, at(DAY2, "18:00", BERLIN), "call")
    add_prompt(store, at(DAY1, "10:05", BERLIN), DAY1, "logged")
    return store


def test_csv_has_one_row_per_span(filled):
    out = io.StringIO()
    assert export_csv(filled, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["app"] for row in rows] == ["firefox", "code", "xterm"]
    assert rows[1]["title"] == 'a "quoted", title'
    assert float(rows[1]["seconds"]) == 1200.5
    assert rows[2]["title"] == ""
    assert rows[2]["device"] == "desk"
    assert datetime.fromisoformat(rows[0]["start"]).timestamp() == at(DAY1, "10:00", BERLIN)
    assert set(rows[0]) == {"start", "end", "seconds", "app", "title", "category", "name", "device", "source",
                            "watching"}
    assert {row["watching"] for row in rows} == {"0"}


def test_json_holds_spans_people_interactions_and_prompts(filled):
    out = io.StringIO()
    export_json(filled, out)
    data = json.loads(out.getvalue())
    assert data["format"] == "unscroll-export"
    assert [span["name"] for span in data["spans"]] == ["Reddit", "VS Code", "xterm"]
    assert data["spans"][0]["start_utc"] == at(DAY1, "10:00", BERLIN)
    assert data["people"][0]["name"] == "Zoë"
    assert data["people"][0]["tags"] == []
    assert data["interactions"][0]["via"] == "call"
    assert data["prompts"][0]["action"] == "logged"


def test_since_keeps_later_spans_only(filled):
    out = io.StringIO()
    assert export_csv(filled, out, at(DAY2, "04:00", BERLIN)) == 1
    empty = io.StringIO()
    export_json(filled, empty, at(DAY2, "20:00", BERLIN))
    data = json.loads(empty.getvalue())
    assert data["spans"] == []
    assert data["interactions"] == []
    assert data["prompts"] == []
    assert len(data["people"]) == 1


def test_activitywatch_export_is_read_back_by_the_importer(user_paths, filled, tmp_path):
    settings = make_settings(user_paths, '[day]\nstarts_at = "04:00"\n')
    path = tmp_path / "aw.json"
    with path.open("w", encoding="utf-8") as handle:
        assert export_activitywatch(filled, handle) == 3
    document = json.loads(path.read_text(encoding="utf-8"))
    buckets = document["buckets"]
    assert set(buckets) == {"aw-watcher-window_test-device", "aw-watcher-window_desk"}
    laptop = buckets["aw-watcher-window_test-device"]
    assert laptop["type"] == "currentwindow"
    assert laptop["hostname"] == "test-device"
    first = laptop["events"][0]
    assert set(first) == {"timestamp", "duration", "data"}
    assert set(first["data"]) == {"app", "title"}
    assert first["timestamp"].endswith("+00:00")
    assert [b.kind for b in read_export(path)] == ["window", "window"]
    with Store(tmp_path / "other" / "unscroll.sqlite3") as other:
        report = import_activitywatch(other, path, settings, zone=BERLIN)
        assert report.spans_added == 3
        assert report.devices == ("desk", "test-device")
        copied = other.connection.execute(
            "SELECT start_utc, end_utc, app, title, device FROM spans ORDER BY start_utc").fetchall()
    original = filled.connection.execute(
        "SELECT start_utc, end_utc, app, title, device FROM spans ORDER BY start_utc").fetchall()
    assert [tuple(row) for row in copied] == [tuple(row) for row in original]


def test_private_output_is_0600_and_never_partial(tmp_path):
    target = tmp_path / "out.csv"
    with private_output(target) as handle:
        handle.write("a,b\n")
    assert_private(target)
    def interrupted_write():
        with private_output(tmp_path / "half.csv") as handle:
            handle.write("partial")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert not (tmp_path / "half.csv").exists()
    assert list(tmp_path.iterdir()) == [target]
    with pytest.raises(InputError, match="does not exist"), private_output(tmp_path / "no" / "x.csv"):
        pass


def test_export_command(user_paths, filled, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    make_settings(user_paths)
    out = tmp_path / "spans.csv"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--since", "2026-03-25"])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 1
    to_stdout = CliRunner().invoke(cli, ["export", "--format", "json"])
    assert json.loads(to_stdout.stdout)["people"][0]["name"] == "Zoë"


@pytest.mark.parametrize(("args", "message"), [
    (["export", "--since", "last week"], "unscroll: export: --since 'last week' is not a date like "),
    (["export", "--out", "/nonexistent-folder/x.csv"], "unscroll: /nonexistent-folder/x.csv: the folder "),
])
def test_export_errors_are_one_line(user_paths, args, message):
    result = subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
