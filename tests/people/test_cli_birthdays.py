"""``unscroll people`` with --new and --birthday, through the real entry point."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import write_config

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"


def utc_today() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
def today(user_paths, monkeypatch) -> date:
    """Days counted in UTC from midnight, so the test knows which day the command sees."""
    monkeypatch.setenv("TZ", "UTC")
    write_config(user_paths, '[day]\nstarts_at = "00:00"\n')
    return utc_today()


def listed(run) -> dict[str, dict]:
    code, out, err = run("people", "list", "--json")
    assert code == 0, err
    return {person["name"]: person for person in json.loads(out)}


def one_line_error(code: int, err: str) -> str:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("unscroll: ")
    return lines[0]


def test_add_new_and_birthdays_shown_in_list_json_table_and_show(run, today):
    tomorrow = today + timedelta(days=1)
    code, out, err = run("people", "add", "Sam Lee", "--every", "2w", "--birthday",
                         f"1990-{today:%m-%d}")
    assert code == 0, err
    assert out.strip().endswith(f"birthday 1990-{today:%m-%d} (today).")
    code, out, err = run("people", "add", "Ana Costa", "--new", "--email", "ana@example.com")
    assert code == 0, err
    assert "someone new to get to know" in out
    assert run("people", "add", "Bo", "--birthday", f"--{tomorrow:%m%d}")[0] == 0
    assert run("people", "add", "Cy", "--birthday", "02-29")[0] == 0
    people = listed(run)
    assert {name: (p["new"], p["birthday"]) for name, p in people.items()} == {
        "Sam Lee": (False, f"{today:%m-%d}"), "Ana Costa": (True, None),
        "Bo": (False, f"{tomorrow:%m-%d}"), "Cy": (False, "02-29")}
    code, out, _ = run("people", "list")
    rows = {line.split("  ")[1].strip() for line in out.splitlines()[1:]}
    assert {"Sam Lee (birthday today)", "Ana Costa (new)", "Bo (birthday tomorrow)", "Cy"} <= rows
    code, out, _ = run("people", "show", "sam")
    assert f"  birthday:    1990-{today:%m-%d} (today)" in out.splitlines()
    code, out, _ = run("people", "show", "ana")
    assert "  new:         someone you want to get to know" in out.splitlines()
    code, out, _ = run("people", "show", "sam", "--json")
    shown = json.loads(out)
    assert (shown["birthday"], shown["birth_year"], shown["anniversary"], shown["new"]) == (
        f"{today:%m-%d}", 1990, None, False)
    if utc_today() != today:
        pytest.skip("the day changed while the test ran")


def test_edit_marks_unmarks_sets_and_clears(run, today):
    assert run("people", "add", "Ana Costa")[0] == 0
    code, out, err = run("people", "edit", "ana", "--new", "--birthday", "1985-03-04")
    assert code == 0, err
    assert "someone new to get to know, birthday 1985-03-04" in out
    assert (listed(run)["Ana Costa"]["new"], listed(run)["Ana Costa"]["birthday"]) == (True, "03-04")
    assert run("people", "edit", "ana", "--not-new")[0] == 0
    assert listed(run)["Ana Costa"]["new"] is False
    assert listed(run)["Ana Costa"]["birthday"] == "03-04"          # untouched by --not-new
    assert run("people", "edit", "ana", "--no-birthday")[0] == 0
    assert listed(run)["Ana Costa"]["birthday"] is None
    assert run("people", "edit", "ana", "--birthday", "12-01")[0] == 0
    assert run("people", "edit", "ana", "--birthday", "")[0] == 0
    assert listed(run)["Ana Costa"]["birthday"] is None


@pytest.mark.parametrize(("args", "expected"), [
    (("people", "add", "Dee", "--birthday", "1990-02-29"),
     "--birthday: '1990-02-29': 1990 had no 29 February"),
    (("people", "add", "Dee", "--birthday", "13-01"), "--birthday: '13-01' is not a day of the calendar"),
    (("people", "add", "Dee", "--birthday", "May 17"),
     "--birthday: 'May 17' is not a birthday like 05-17 or 1990-05-17"),
    (("people", "add", "Dee", "--birthday", "2999-01-01"), "--birthday: '2999-01-01' is in the future"),
    (("people", "add", "Dee", "--birthday", "1604-05-17"), "the year must be 1850 or later"),
    (("people", "edit", "ana", "--birthday", "05-17", "--no-birthday"), "not both"),
    (("people", "edit", "ana", "--birthday", "17.05."), "--birthday: '17.05.' is not a birthday like"),
    (("people", "edit", "--tag", "x", "--every", "2w", "--not-new"), "or --tag TAG with --every FREQ alone"),
])
def test_bad_birthdays_are_one_clear_line_and_change_nothing(run, today, args, expected):
    assert run("people", "add", "Ana Costa", "--birthday", "07-01", "--tag", "x")[0] == 0
    before = listed(run)
    code, _, err = run(*args)
    assert expected in one_line_error(code, err)
    assert listed(run) == before


def test_import_then_list_shows_imported_birthdays(run, today):
    code, out, err = run("people", "import", str(DATA / "google-birthdays.csv"))
    assert code == 0, err
    people = listed(run)
    assert people["Max Amadeus Mustermann"]["birthday"] == "12-25"
    assert people["Mara Olsen"]["birthday"] == "05-17"
    code, out, _ = run("people", "show", "mara")
    assert "  anniversary: 2015-06-01" in out.splitlines()
    code, out, err = run("people", "import", str(DATA / "google-birthdays.csv"))
    assert code == 0, err
    assert listed(run) == people
