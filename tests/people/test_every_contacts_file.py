"""Issue 19, "Done when": every contacts file of the tests, imported twice, loses nobody.

The files are found by a glob of tests/data/contacts/** (a file added there later is
imported too, and must say who it holds in ``PEOPLE_IN``, written by hand from the file).
All of them go through one ``unscroll people import``; the second run must change no
row of the store and say so, and everyone any file names must be in ``people list
--json`` (as a name, or as an alias after a merge). The files refused whole are refused
in one line each, naming the file.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import write_config

CONTACTS = Path(__file__).resolve().parents[1] / "data" / "contacts"
FILES = sorted(path for path in CONTACTS.glob("**/*") if path.is_file())

PEOPLE_IN = {
    "android-21-quoted-printable.vcf": {"山田 太郎", "Jürgen Müller"},
    "apple-30-grouped.vcf": {"Johnny Appleseed"},
    "birthdays.vcf": {"Mara Olsen", "Noor Haddad", "Ilse Berg", "Ren Tanaka", "Jo Park", "Leap Day",
                      "Vague Vic", "Wrong Day", "Not Born"},
    "broken-middle.vcf": {"Amara Okafor", "Zoë Ångström"},
    "google-birthdays.csv": {"Mara Olsen", "Kofi Mensah", "Max Amadeus Mustermann", "Lena Vogel",
                             "Olu Ade", "Pia Roth"},
    "google-contacts-older.csv": {"Jürgen Müller"},
    "google-contacts.csv": {"Ελένη Παπαδοπούλου", "Sam Lee", "Acme Plumbing"},
    "hubspot-contacts.csv": {"山田 太郎", "Sam Lee", "Future Person", "Bad Date", "Olu Adeyemi"},
    "outlook-contacts.csv": {"Sam Lee", "Priya Sharma"},
    "unknown-layout.csv": set(),
    "wild/binary.vcf": set(),
    "wild/commas.vcf": {"Okoro, Ada", "Brown, Lee, Jr."},
    "wild/couple-email.csv": {"Ana Lima", "Rui Lima"},
    "wild/family-landline.vcf": {"John Smith", "Jane Smith", "Tom Smith"},
    "wild/google-escaped-colon.vcf": {"Sam Rivera"},
    "wild/hubspot-dates.csv": {"Past Person", "Future Person", "Bad Date", "Nonsense Date"},
    "wild/outlook-cp1250.csv": {"Łukasz Wójcik", "Jiří Dvořák"},
    "wild/outlook-cp1251.csv": {"Иван Петров", "Мария Соколова"},
    "wild/outlook-cp1252.csv": {"Jürgen Müller", "François Dupont", "Zoë Ångström"},
    "wild/outlook-cp1253.csv": {"Γιώργος Νικολάου"},
    "wild/outlook-cp1254.csv": {"Gül Öztürk", "Şükrü Gündoğdu"},
    "wild/same-person-folded.vcf": {"Zoë Ångström", "Zoe Berg"},
    "wild/phones-extensions.vcf": {"Dana Office", "Harriet London", "Nat Local"},
    "wild/shared-uid.vcf": {"Alice Chen", "Bob Okafor"},
    "wild/unsafe-links.vcf": {"Mallory Links"},
    "wild/utf16-bom.csv": {"Ελένη Παπαδοπούλου", "山田 太郎"},
}
REFUSED = {   # refused whole, loudly: not people lost in silence
    "unknown-layout.csv": "unknown CSV layout; its headers are 'Full name', 'Mail', 'Mobile', 'Birthday'",
    "wild/binary.vcf": "not a contacts file: expected a vCard (.vcf) or a CSV with a header row "
                       "(it holds binary data)",
}


def relative(path: Path) -> str:
    return path.relative_to(CONTACTS).as_posix()


def store_rows(database: Path) -> list[tuple]:
    """Every row of every table of the store (people, interactions, what sync must send …)."""
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        assert {"people", "interactions"} <= set(tables)
        return [(table, *row) for table in tables
                for row in sorted(connection.execute(f"SELECT * FROM {table}"), key=repr)]


def names_listed(run) -> set[str]:
    code, out, err = run("people", "list", "--json")
    assert code == 0, err
    return {name for person in json.loads(out) for name in (person["name"], *person.get("aliases", ()))}


def test_the_glob_finds_every_file_and_each_says_who_it_holds():
    assert len(FILES) >= 20
    assert {relative(path) for path in FILES} == set(PEOPLE_IN)


def test_every_contacts_file_twice_changes_nothing_the_second_time_and_loses_nobody(run, user_paths):
    write_config(user_paths, '[people]\ndefault_region = "US"\n')
    files = [str(path) for path in FILES]
    code, _, err = run("people", "import", *files)
    assert code == 1                                      # two files are refused
    lines = sorted(err.strip().splitlines())
    assert len(lines) == len(REFUSED)                     # one line each
    for line, (name, reason) in zip(lines, sorted(REFUSED.items()), strict=True):
        assert line.startswith(f"unscroll: {CONTACTS / name}: {reason}"), line
    listed = names_listed(run)
    for name, people in PEOPLE_IN.items():
        assert people <= listed, f"{name}: missing {sorted(people - listed)}"
    database = user_paths.data_dir / "unscroll.sqlite3"
    stored = store_rows(database)
    code, second, err = run("people", "import", *files)
    assert code == 1
    assert "Total: 0 added, 0 merged, " in second
    assert "Kept apart" not in second
    assert store_rows(database) == stored
    assert names_listed(run) == listed
