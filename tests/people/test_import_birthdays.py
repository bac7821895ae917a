"""Birthdays and anniversaries from contacts files: vCard BDAY/ANNIVERSARY and Google's CSV columns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.people import directory as people
from monitor.people.importers import import_people
from monitor.people.model import Person
from monitor.store.database import Store
from monitor.store.people import load_all

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"
ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=ZONE).timestamp()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def run(store: Store, name: str):
    return import_people(store, DATA / name, now=NOW, zone=ZONE)


def everyone(store: Store) -> dict[str, Person]:
    return {person.name: person for person in load_all(store.connection)}


def test_vcard_birthdays_in_every_form_and_anniversaries(store):
    report = run(store, "birthdays.vcf")
    assert report.added == 9
    assert report.skipped == []
    found = {name: (person.birthday, person.anniversary) for name, person in everyone(store).items()}
    assert found == {
        "Mara Olsen": ("1990-05-17", "2015-06-01"),      # BDAY:1990-05-17, X-ANNIVERSARY
        "Noor Haddad": ("04-12", "2012-09-30"),          # --0412, ANNIVERSARY:20120930
        "Ilse Berg": ("1985-03-04", None),               # 19850304
        "Ren Tanaka": ("12-24", "2010-09-18"),           # Apple: 1604 omitted; X-ABDATE labelled Anniversary
        "Jo Park": ("1992-07-04", None),                 # a date-time: its date
        "Leap Day": ("02-29", None),
        "Vague Vic": (None, None),                       # VALUE=text: dropped, the person kept
        "Wrong Day": (None, None),
        "Not Born": (None, None),                        # 2090: in the future, dropped
    }
    warnings = {warning.label: warning.message for warning in report.warnings}
    assert warnings["Vague Vic"].startswith("BDAY: 'circa 1980' is not a birthday like 05-17")
    assert warnings["Vague Vic"].endswith("; dropped")
    assert "is not a day of the calendar" in warnings["Wrong Day"]
    assert warnings["Not Born"] == "birthday 2090-01-01 is in the future; dropped"
    assert all(warning.line > 1 for warning in report.warnings)


def test_google_csv_birthday_column_and_anniversary_events(store):
    report = run(store, "google-birthdays.csv")
    assert report.layout == "Google Contacts CSV"
    assert (report.added, len(report.skipped)) == (6, 0)
    found = {name: (person.birthday, person.anniversary) for name, person in everyone(store).items()}
    assert found == {
        "Mara Olsen": ("1990-05-17", "2015-06-01"),
        "Kofi Mensah": ("1987-09-07", None),
        "Max Amadeus Mustermann": ("12-25", "2011-07-09"),   # " --12-25"; the Anniversary event only
        "Lena Vogel": ("03-14", None),
        "Olu Ade": (None, None),
        "Pia Roth": (None, None),
    }
    olu = [warning for warning in report.warnings if warning.label == "Olu Ade"]
    assert [warning.message.split(":")[0] for warning in olu] == ["Birthday", "Event 1 - Value"]
    assert "is not a date like 06-01 or 2015-06-01" in olu[1].message
    assert {warning.line for warning in olu} == {6}


@pytest.mark.parametrize("name", ["birthdays.vcf", "google-birthdays.csv"])
def test_importing_twice_changes_nothing_the_second_time(store, name):
    first = run(store, name)
    before = store.connection.execute("SELECT * FROM people ORDER BY id").fetchall()
    second = run(store, name)
    assert second.added == second.merged == 0
    assert second.unchanged == first.added
    assert store.connection.execute("SELECT * FROM people ORDER BY id").fetchall() == before


def test_merging_fills_in_a_birthday_or_its_year_and_keeps_one_typed(store):
    people.add(store, "Mara Olsen", now=NOW, emails=["mara@example.com"], birthday="05-17")
    people.add(store, "Kofi Mensah", now=NOW, emails=["kofi@example.com"], birthday="01-02")
    people.add(store, "Lena Vogel", now=NOW, emails=["lena@example.com"])
    report = run(store, "google-birthdays.csv")
    changes = {outcome.person_name: outcome.changes for outcome in report.outcomes}
    assert changes["Mara Olsen"] == ("birthday 1990-05-17", "anniversary 2015-06-01")
    assert "birthday" not in " ".join(changes["Kofi Mensah"])          # a different date stays as typed
    assert changes["Lena Vogel"] == ("birthday 03-14",)
    found = everyone(store)
    assert (found["Mara Olsen"].birthday, found["Kofi Mensah"].birthday) == ("1990-05-17", "01-02")


def test_merging_people_by_hand_keeps_the_birthday_and_the_new_mark(store):
    sam = people.add(store, "Sam Lee", now=NOW, birthday="1990-05-17")
    samuel = people.add(store, "Samuel Lee", now=NOW, new=True)
    result = people.merge(store, samuel, sam)
    assert (result.person.birthday, result.person.new) == ("1990-05-17", True)
