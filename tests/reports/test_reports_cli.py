"""The ``week`` and ``report`` commands: JSON shape, terminal view, output paths and errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.store.database import Store
from reports.weeks import parse_week
from tests.helpers import assert_private
from tests.reports_fixtures import add_interaction, add_person, add_span, at, make_settings

W13 = parse_week("2026-W13")
MON, TUE, WED, THU, FRI, SAT, SUN = W13.days()


@pytest.fixture
def filled(user_paths, monkeypatch):
    """A week of data in the user's store, read in Europe/Berlin (the CLI's local zone)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    from monitor.core.days import local_zone

    zone = local_zone()
    make_settings(user_paths)
    with Store(user_paths.database) as store:
        add_span(store, at(MON, "10:00", zone), 2400, category="social", name="Reddit")
        add_span(store, at(TUE, "02:00", zone), 600, category="social", name="Reddit")  # Monday's
        add_span(store, at(WED, "09:00", zone), 5000, category="work", name="VS Code", app="code")
        add_span(store, at(SUN, "03:30", zone), 900, category="video", name="YouTube")  # Saturday's
        person = add_person(store, "Anna", 7, at(MON, "04:00", zone) - 30 * 86400)
        add_interaction(store, person, at(THU, "19:00", zone))
    return user_paths


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_week_json_has_the_promised_shape(filled):
    result = run("week", "--week", "2026-W13", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["week"] == "2026-W13"
    assert [day["day"] for day in data["days"]] == [d.isoformat() for d in W13.days()]
    for day in data["days"]:
        assert set(day) >= {"day", "total_seconds", "categories"}
        assert day["total_seconds"] == sum(day["categories"].values())
    assert data["days"][0]["categories"] == {"social": 3000}
    assert data["days"][5]["categories"] == {"video": 900}
    assert data["days"][5]["hours_long"] == 23
    assert data["days"][1]["total_seconds"] == 0
    categories = {c["name"]: c for c in data["categories"]}
    assert set(categories["social"]) >= {"name", "seconds", "budget_seconds"}
    assert categories["social"]["seconds"] == 3000
    assert categories["social"]["budget_seconds"] == 2 * 1800 + 3600  # Mon, Wed, Sat: the days with data
    assert categories["work"]["budget_seconds"] is None
    assert [p["name"] for p in data["people_reached"]] == ["Anna"]
    assert data["headline"]["text"] == "50 m on social (none last week); you reached 1 person"
    assert data["total_seconds"] == 3000 + 5000 + 900
    assert data["prompts"] == {"sent": 0, "answered": 0, "by_kind": {}, "by_action": {}}
    assert data["doorway"] == {"shown": 0, "answered": 0, "unavailable": 0,
                               "outcomes": {"left": 0, "continued": 0, "reached-out": 0, "no-answer": 0}}


def test_week_table_shows_days_bars_and_people(filled):
    result = run("week", "--week", "2026-W13")
    assert result.exit_code == 0, result.output
    assert "Week 2026-W13" in result.output
    assert "Sat 28 Mar* (23 h)" in result.output  # * : judged against the current budgets
    assert "Within budget: 2 of 3 days with data." in result.output  # Monday: 50 m of social
    assert "█" in result.output
    assert "Reached: Anna" in result.output
    assert "50 m on social" in result.output


def test_report_writes_to_the_private_reports_folder(filled):
    result = run("report", "--week", "2026-W13")
    assert result.exit_code == 0, result.output
    path = filled.reports_dir / "week-2026-W13.png"
    assert result.stdout.strip() == str(path)
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert_private(filled.reports_dir)
    assert_private(path)


def test_report_out_may_be_a_file_or_a_folder(filled, tmp_path):
    svg = tmp_path / "mine.svg"
    assert run("report", "--week", "2026-W13", "--out", str(svg)).exit_code == 0
    assert b"<svg" in svg.read_bytes()[:400]
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("report", "--week", "2026-W13", "--out", str(folder))
    assert result.stdout.strip() == str(folder / "week-2026-W13.png")


def test_this_week_is_the_default(filled):
    from monitor.core.settings import load_settings
    from reports.weekly import current_week

    before = current_week(load_settings(filled)).label
    data = json.loads(run("week", "--json").output)
    after = current_week(load_settings(filled)).label
    assert data["week"] in (before, after)  # the same unless a week ended in between


@pytest.mark.parametrize(("args", "message"), [
    (["report", "--week", "2026-W60"], "unscroll: --week: '2026-W60': 2026 has weeks 01 to 53"),
    (["week", "--week", "March"], "unscroll: --week: 'March' is not an ISO week like \"2026-W13\""),
    (["report", "--out", "/nonexistent-folder/r.png"],
     "unscroll: /nonexistent-folder/r.png: the folder /nonexistent-folder does not exist"),
    (["report", "--out", "r.gif"],
     "unscroll: r.gif: cannot write a .gif; use a name ending in .png, .svg or .pdf"),
])
def test_bad_arguments_fail_with_one_clear_line(filled, args, message):
    result = subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
