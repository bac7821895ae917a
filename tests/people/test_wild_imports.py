"""Issue 19, "Wild inputs": contacts files as people really have them (tests/data/contacts/wild)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.errors import InputError
from monitor.people import directory as people
from monitor.people.importers import import_people
from monitor.people.model import Person
from monitor.store.database import Store
from monitor.store.people import load_all
from tests.conftest import write_config

WILD = Path(__file__).resolve().parents[1] / "data" / "contacts" / "wild"
ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=ZONE).timestamp()

# Everyone each file names; the binary file names no one and is refused whole.
PEOPLE_IN = {
    "family-landline.vcf": {"John Smith", "Jane Smith", "Tom Smith"},
    "couple-email.csv": {"Ana Lima", "Rui Lima"},
    "shared-uid.vcf": {"Alice Chen", "Bob Okafor"},
    "unsafe-links.vcf": {"Mallory Links"},
    "google-escaped-colon.vcf": {"Sam Rivera"},
    "phones-extensions.vcf": {"Dana Office", "Harriet London", "Nat Local"},
    "hubspot-dates.csv": {"Past Person", "Future Person", "Bad Date", "Nonsense Date"},
    "outlook-cp1252.csv": {"Jürgen Müller", "François Dupont", "Zoë Ångström"},
    "outlook-cp1251.csv": {"Иван Петров", "Мария Соколова"},
    "outlook-cp1250.csv": {"Łukasz Wójcik", "Jiří Dvořák"},
    "outlook-cp1253.csv": {"Γιώργος Νικολάου"},
    "outlook-cp1254.csv": {"Gül Öztürk", "Şükrü Gündoğdu"},
    "commas.vcf": {"Okoro, Ada", "Brown, Lee, Jr."},
    "same-person-folded.vcf": {"Zoë Ångström", "Zoe Berg"},
    "utf16-bom.csv": {"Ελένη Παπαδοπούλου", "山田 太郎"},
    "binary.vcf": set(),
}
REFUSED = {"binary.vcf"}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def imported(store: Store, name: str, **kwargs):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("zone", ZONE)
    return import_people(store, WILD / name, **kwargs)


def everyone(store: Store) -> dict[str, Person]:
    return {person.name: person for person in load_all(store.connection)}


def test_the_folder_holds_exactly_the_files_listed():
    assert {path.name for path in WILD.iterdir()} == set(PEOPLE_IN)


def test_a_family_sharing_a_landline_stays_three_people_listed_as_possible_duplicates(store):
    report = imported(store, "family-landline.vcf")
    assert (report.added, report.merged, report.unchanged) == (3, 1, 0)
    stored = everyone(store)
    assert set(stored) == {"John Smith", "Jane Smith", "Tom Smith"}
    # "Smith John" is John, name order folded: his work phone joins him
    assert stored["John Smith"].phones == ("+442079460000", "+442079460001")
    assert stored["Jane Smith"].phones == ("+442079460000", "+447700900123")
    assert stored["Tom Smith"].phones == ("+442079460000",)                  # "(0)20" read right
    assert [str(item).split(": ", 1)[1] for item in report.kept_apart] == [
        "Jane Smith (#2) shares +442079460000 with John Smith (#1)",
        "Tom Smith (#3) shares +442079460000 with John Smith (#1); +442079460000 with Jane Smith (#2)"]
    [merged] = [outcome for outcome in report.outcomes if outcome.action == "merged"]
    assert (merged.line, merged.name, merged.person_name, merged.changes) == (
        21, "Smith John", "John Smith", ("1 phone",))


def test_a_couple_sharing_an_email_stays_two_people(store):
    report = imported(store, "couple-email.csv")
    assert report.added == 2
    stored = everyone(store)
    assert stored["Ana Lima"].emails == stored["Rui Lima"].emails == ("limas@example.com",)
    [kept] = report.kept_apart
    assert (kept.name, [sharer.name for sharer in kept.sharers]) == ("Rui Lima", ["Ana Lima"])
    [nameless] = report.skipped                   # the row with only the shared address: whose is it?
    assert nameless.line == 4
    assert "belong to 2 different people (Ana Lima (#1), Rui Lima (#2))" in nameless.reason


def test_the_same_name_in_another_case_accents_or_order_or_no_name_merges(store):
    report = imported(store, "same-person-folded.vcf")
    assert [(item.line, item.action, item.changes) for item in report.outcomes] == [
        (1, "added", ()), (6, "merged", ("1 phone",)), (12, "unchanged", ()), (17, "merged", ("notes",)),
        (22, "added", ())]
    stored = everyone(store)
    assert set(stored) == {"Zoë Ångström", "Zoe Berg"}
    zoe = stored["Zoë Ångström"]
    assert (zoe.emails, zoe.phones, zoe.notes) == (("zoe@example.se",), ("+46812345678",),
                                                   "met at the climbing wall")
    [kept] = report.kept_apart                                   # another name, the same address
    assert (kept.name, [sharer.name for sharer in kept.sharers]) == ("Zoe Berg", ["Zoë Ångström"])
    again = imported(store, "same-person-folded.vcf")
    assert (again.added, again.merged) == (0, 0)
    assert everyone(store) == stored


def test_two_cards_sharing_a_uid_stay_two_people(store):
    report = imported(store, "shared-uid.vcf")
    stored = everyone(store)
    assert set(stored) == {"Alice Chen", "Bob Okafor"}
    assert (stored["Alice Chen"].uid, stored["Bob Okafor"].uid) == ("1", None)   # a uid is unique
    assert stored["Bob Okafor"].emails == ("bob@example.net",)
    [kept] = report.kept_apart
    assert kept.sharers[0].shared == "uid 1"


def test_unsafe_links_are_dropped_with_a_line_each_and_safe_ones_kept(store):
    report = imported(store, "unsafe-links.vcf")
    mallory = everyone(store)["Mallory Links"]
    assert mallory.links == ("https://mallory.example.org/", "http://old.example.org/mallory",
                             "xmpp:mallory@example.org")
    dropped = [item.message for item in report.warnings]
    for scheme in ("javascript", "file", "smb", "vbscript", "data", "search-ms", "x-man-page"):
        assert any(f"refused: {scheme}: links are never kept" in line for line in dropped), scheme
    assert any(line.startswith("URL: 'ms-msdt:/id PCWDiagnostic") for line in dropped)
    assert len(dropped) == 8
    assert all(str(item).startswith(f"{WILD / 'unsafe-links.vcf'} line 1 (Mallory Links): URL")
               for item in report.warnings)


def test_google_escaped_colons_are_unescaped(store):
    imported(store, "google-escaped-colon.vcf")
    sam = everyone(store)["Sam Rivera"]
    assert sam.links == ("https://www.example.com/sam", "http://blog.example.org/sam")
    assert sam.phones == ("+12025550143",)


def test_phones_keep_extensions_apart_and_one_number_is_one_phone(store):
    report = imported(store, "phones-extensions.vcf", region="US")
    stored = everyone(store)
    assert stored["Dana Office"].phones == ("+15555550199;ext=42", "+15555550199;ext=43",
                                            "+15555550199;ext=44")
    assert stored["Harriet London"].phones == ("+442079460958",)
    assert stored["Nat Local"].phones == ("+15555550100", "555 CALL NOW")    # 5555550100 in US is +1…
    assert [item.message for item in report.warnings] == [
        "TEL '555 CALL NOW' kept as written: it has letters"]


def test_without_a_region_a_national_number_is_kept_as_written_and_flagged(store):
    report = imported(store, "phones-extensions.vcf", region=None)
    assert everyone(store)["Nat Local"].phones == ("5555550100", "+15555550100", "555 CALL NOW")
    assert ("TEL '5555550100' kept as written: no country code; write it with + or set "
            "people.default_region") in [item.message for item in report.warnings]


def test_hubspot_rows_with_a_future_or_unreadable_date_import_without_it(store):
    report = imported(store, "hubspot-dates.csv")
    assert (report.added, report.skipped, report.interactions) == (4, [], 1)
    stored = everyone(store)
    assert stored["Past Person"].last_talked == datetime(2024, 3, 15, 14, 32, tzinfo=ZONE).timestamp()
    assert all(stored[name].last_talked is None for name in ("Future Person", "Bad Date", "Nonsense Date"))
    assert stored["Nonsense Date"].phones == ()
    assert {(item.line, item.message) for item in report.warnings} == {
        (3, "Last Contacted 2999-01-01 09:00 is in the future; imported without it"),
        (4, "Last Contacted '15/03/2024' is not a date like 2024-03-15 14:32; imported without it"),
        (5, "Phone Number 'not a phone' is not a phone number (fewer than 3 digits); dropped"),
        (5, "Last Contacted 'yesterday-ish' is not a date like 2024-03-15 14:32; imported without it")}


def test_classic_outlook_cp1252_is_read_and_the_encoding_said(store):
    report = imported(store, "outlook-cp1252.csv")
    assert (report.layout, report.encoding, report.encoding_assumed) == ("Outlook CSV", "Windows-1252", True)
    stored = everyone(store)
    juergen = stored["Jürgen Müller"]
    assert juergen.notes == "Brötchen für 5 €"
    assert juergen.links == ("https://www.baeckerei-mueller.example.de",)     # a bare host name
    assert stored["François Dupont"].notes == "Café à côté – mardi"
    assert stored["Zoë Ångström"].notes == "Œuvre, naïve"


@pytest.mark.parametrize(("name", "encoding", "person", "notes"), [
    ("outlook-cp1251.csv", "Windows-1251", "Иван Петров", "Друг детства, живёт в Казани"),
    ("outlook-cp1250.csv", "Windows-1250", "Jiří Dvořák", "Řečkovice, žlutý dům"),
    ("outlook-cp1253.csv", "Windows-1253", "Γιώργος Νικολάου", "Συνάδελφος από την Αθήνα"),
    ("outlook-cp1254.csv", "Windows-1254", "Şükrü Gündoğdu", "İzmir'de yaşıyor"),
])
def test_outlook_in_a_neighbouring_code_page_is_detected_and_said(store, name, encoding, person, notes):
    report = imported(store, name)
    assert (report.layout, report.encoding, report.encoding_assumed) == ("Outlook CSV", encoding, True)
    stored = everyone(store)
    assert set(stored) == PEOPLE_IN[name]                   # read in Windows-1252 they would be mojibake
    assert stored[person].notes == notes


def test_bare_commas_in_a_vcard_stay_in_names_notes_and_links(store):
    report = imported(store, "commas.vcf")
    assert (report.added, report.warnings, report.skipped) == (2, [], [])
    stored = everyone(store)
    ada = stored["Okoro, Ada"]                              # vCard 2.1 never escapes a comma
    assert ada.notes == "Met in Lagos, 2019; likes jollof, puff-puff and €uro jokes, mostly"
    assert ada.links == ("https://www.openstreetmap.org/#map=15/6.4541,3.3947",)
    lee = stored["Brown, Lee, Jr."]
    assert lee.notes == "Bare commas, escaped, and a fold, whose next line starts with one, still the note"
    assert lee.tags == ("Book club", "Neighbours")          # CATEGORIES is a list: its commas separate


def test_utf16_with_a_byte_order_mark_is_read(store):
    report = imported(store, "utf16-bom.csv")
    assert (report.encoding, report.encoding_assumed, report.added) == ("UTF-16", False, 2)
    assert everyone(store)["山田 太郎"].tags == ("友達",)


def test_a_binary_file_named_vcf_is_not_a_contacts_file(store):
    with pytest.raises(InputError) as caught:
        imported(store, "binary.vcf")
    assert caught.value.message == (f"{WILD / 'binary.vcf'}: not a contacts file: expected a vCard (.vcf) "
                                    "or a CSV with a header row (it holds binary data)")
    assert load_all(store.connection) == []


def test_merging_by_hand_keeps_merging_on_the_next_import(store):
    imported(store, "family-landline.vcf")
    john, jane = people.find_by_query(store, "John Smith"), people.find_by_query(store, "Jane Smith")
    people.log_interaction(store, jane, at=NOW - 86400, now=NOW, via="call")
    with store.transaction() as connection:          # a notice that suggested Jane
        connection.execute("INSERT INTO prompts (at_utc, day, kind, person_id) VALUES (?, '2026-11-29', "
                           "'over', ?)", (NOW - 86400, jane.id))
    result = people.merge(store, john, jane)
    assert (result.added, result.interactions, result.prompts) == (("1 phone",), 1, 1)
    assert [tuple(row) for row in store.connection.execute("SELECT person_id FROM prompts")] == [(john.id,)]
    merged = people.get(store, john.id)
    assert (merged.aliases, merged.last_talked) == (("Jane Smith",), NOW - 86400)
    again = imported(store, "family-landline.vcf")
    assert (again.added, again.merged, again.kept_apart) == (0, 0, [])          # Jane's card is John now
    assert set(everyone(store)) == {"John Smith", "Tom Smith"}


def cli_files() -> list[str]:
    return [str(WILD / name) for name in sorted(PEOPLE_IN)]


def rows(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return [*connection.execute("SELECT * FROM people ORDER BY id"),
                *connection.execute("SELECT * FROM interactions ORDER BY id")]


def test_every_file_twice_changes_nothing_the_second_time_and_everyone_is_listed(run, user_paths):
    write_config(user_paths, '[people]\ndefault_region = "US"\n')
    code, first, err = run("people", "import", *cli_files())
    assert code == 1                                                  # the binary file is refused
    assert err.strip().splitlines() == [
        f"unscroll: {WILD / name}: not a contacts file: expected a vCard (.vcf) or a CSV with a header row "
        "(it holds binary data)" for name in sorted(REFUSED)]
    code, listed, _ = run("people", "list", "--json")
    before = json.loads(listed)
    names = {person["name"] for person in before}
    for file, expected in PEOPLE_IN.items():
        assert expected <= names, f"{file}: missing {expected - names}"
    assert "Total: 31 added, 3 merged, 2 unchanged, 1 skipped, 1 file not imported" in first
    stored = rows(user_paths.data_dir / "unscroll.sqlite3")
    code, second, _ = run("people", "import", *cli_files())
    # the nameless card merged into Zoë the first time; now Zoe Berg shares its address too
    assert "Total: 0 added, 0 merged, 35 unchanged, 2 skipped, 1 file not imported" in second
    assert "Kept apart" not in second                       # the same people, matched this time
    assert rows(user_paths.data_dir / "unscroll.sqlite3") == stored
    assert json.loads(run("people", "list", "--json")[1]) == before
