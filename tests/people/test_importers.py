"""Importing contacts: the shared vCard corpus, hand-written vCard and CSV exports, merging, bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.core.errors import InputError
from monitor.people import directory as people
from monitor.people.importers import import_people
from monitor.people.importers.contacts_csv import LAYOUTS
from monitor.people.model import Person
from monitor.store.database import Store
from monitor.store.people import load_all

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"
VCARDS40 = Path(__file__).resolve().parents[1] / "data" / "vcards40"
ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=ZONE).timestamp()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


@pytest.fixture
def corpus_vcards() -> list[Path]:
    files = sorted(VCARDS40.glob("*.vcf"))
    assert files, f"no .vcf files in {VCARDS40}"
    return files


def run(store: Store, path: Path, tags=(), **kwargs):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("zone", ZONE)
    return import_people(store, path, tags, **kwargs)


def everyone(store: Store) -> dict[str, Person]:
    return {person.name: person for person in load_all(store.connection)}


def snapshot(store: Store) -> tuple[list[tuple], list[tuple]]:
    rows = store.connection.execute("SELECT * FROM people ORDER BY id").fetchall()
    interactions = store.connection.execute("SELECT * FROM interactions ORDER BY id").fetchall()
    return [tuple(row) for row in rows], [tuple(row) for row in interactions]


# --- vCard 4.0 files ---------------------------------------------------------------------------

def test_corpus_imports_good_cards_and_reports_the_broken_one(store, corpus_vcards):
    reports = [run(store, path) for path in corpus_vcards]
    skipped = [item for report in reports for item in report.skipped]
    assert len(skipped) == 1
    broken = skipped[0]
    assert Path(broken.file).name == "vcard40-cut-short.vcf"
    assert broken.line == 7
    assert broken.label == "Ruth Ab"
    assert "no END:VCARD" in broken.reason
    assert "truncated" in broken.reason
    stored = everyone(store)
    assert set(stored) == {"Ines Moreau", "Tomasz Wójcik", "Aiko Tanaka"}
    ines = stored["Ines Moreau"]
    assert ines.tags == ("family", "book club")
    assert ines.emails == ("ines.moreau@example.org",)
    assert ines.phones == ("+33612345678",)
    assert ines.links == ("https://ines.example.org/",)
    assert ines.notes == "Met at the climbing gym, 2019."
    assert ines.uid == "urn:uuid:5d1c7e0a-3f2b-4c55-9a7e-0c6a1b2d3e4f"
    assert stored["Tomasz Wójcik"].emails == ("tomasz@example.net", "t.wojcik@example.com")
    assert stored["Tomasz Wójcik"].tags == ("work",)
    assert stored["Aiko Tanaka"].emails == ("aiko@example.jp",)
    assert sum(report.added for report in reports) == 3


def test_corpus_second_run_adds_nothing(store, corpus_vcards):
    for path in corpus_vcards:
        run(store, path, tags=["imported"])
    before = snapshot(store)
    again = [run(store, path, tags=["imported"], now=NOW + 3600) for path in corpus_vcards]
    assert sum(report.added for report in again) == 0
    assert sum(report.merged for report in again) == 0
    assert sum(report.unchanged for report in again) == 3
    assert snapshot(store) == before


# --- hand-written vCards ----------------------------------------------------------------------

def test_vcard_21_quoted_printable_and_charsets(store):
    report = run(store, DATA / "android-21-quoted-printable.vcf")
    assert (report.layout, report.added, report.skipped) == ("vCard", 2, [])
    stored = everyone(store)
    taro = stored["山田 太郎"]
    assert taro.emails == ("taro.yamada@example.jp",)
    assert taro.phones == ("+819012345678",)
    assert taro.notes == "大学の友達\nテニス仲間"  # a soft line break joined, =0A a real one
    juergen = stored["Jürgen Müller"]        # ISO-8859-1, no FN: the name comes from N
    assert juergen.emails == ("juergen@example.de",)


def test_apple_vcard_with_grouped_properties_links_and_a_group_card(store):
    report = run(store, DATA / "apple-30-grouped.vcf", tags=["phone"])
    assert report.added == 1
    assert [(item.line, item.label, item.reason) for item in report.skipped] == [
        (30, "Book club", "not a person (KIND:group)")]
    johnny = everyone(store)["Johnny Appleseed"]
    assert johnny.emails == ("johnny@example.com", "johnny.work@example.com")   # item1./item2.EMAIL
    assert johnny.phones == ("(555) 010-3000",)            # national, no region: kept as written
    assert set(johnny.links) == {"https://example.com/johnny", "signal:+15550103000",
                                 "https://social.example/@johnny"}
    assert johnny.tags == ("friends", "orchard", "phone")
    assert johnny.notes == "Met at the orchard\nLikes apples, pears"
    assert johnny.uid == "5C3B1E70-1A2B-4C5D-9E8F-0123456789AB"


def test_a_broken_card_between_good_ones_is_reported_with_its_line(store):
    report = run(store, DATA / "broken-middle.vcf")
    assert report.added == 2
    [broken] = report.skipped
    assert (broken.line, broken.label) == (6, "Broken Card")
    assert broken.reason == "not a readable vCard: line 9: Failed to parse line: this line has no colon"
    stored = everyone(store)
    assert set(stored) == {"Amara Okafor", "Zoë Ångström"}
    assert stored["Zoë Ångström"].phones == ("+46701234567",)     # TEL as a tel: URI (vCard 4.0)
    assert "broken@example.com" not in {e for p in stored.values() for e in p.emails}


# --- hand-written CSV exports -----------------------------------------------------------------

def test_google_csv(store):
    report = run(store, DATA / "google-contacts.csv")
    assert report.layout == "Google Contacts CSV"
    assert report.added == 3
    assert [(item.line, item.reason) for item in report.skipped] == [
        (7, "the row has no name, email or phone")]
    stored = everyone(store)
    eleni = stored["Ελένη Παπαδοπούλου"]
    assert eleni.emails == ("eleni@example.gr", "eleni.p@example.gr")    # two values in one cell
    assert eleni.phones == ("+306912345678",)
    assert eleni.links == ("https://signal.me/#p/+306912345678",)
    assert eleni.tags == ("Family",)                                     # not Google's myContacts
    assert eleni.notes == "Met in Thessaloniki\nLoves hiking"
    assert stored["Sam Lee"].tags == ("Friends",)                       # nor starred
    assert stored["Acme Plumbing"].phones == ("020 7946 0000",)         # named by its organisation
    assert [str(item) for item in report.warnings] == [
        f"{DATA / 'google-contacts.csv'} line 6 (Acme Plumbing): Phone 1 - Value '020 7946 0000' kept as "
        "written: no country code; write it with + or set people.default_region"]


def test_national_numbers_are_read_in_the_default_region(store):
    report = run(store, DATA / "google-contacts.csv", region="GB")
    assert report.warnings == []
    assert everyone(store)["Acme Plumbing"].phones == ("+442079460000",)

def test_older_google_csv(store):
    report = run(store, DATA / "google-contacts-older.csv")
    assert (report.layout, report.added, report.skipped) == ("Google Contacts CSV (older export)", 1, [])
    juergen = everyone(store)["Jürgen Müller"]
    assert (juergen.emails, juergen.phones, juergen.tags, juergen.links) == (
        ("juergen@example.de",), ("030 1234567",), ("Work",), ("https://example.de/~juergen",))


def test_outlook_csv_merges_with_google_by_email(store):
    run(store, DATA / "google-contacts.csv")
    report = run(store, DATA / "outlook-contacts.csv")
    assert (report.layout, report.added, report.merged, report.skipped) == ("Outlook CSV", 1, 1, [])
    stored = everyone(store)
    sam = stored["Sam Lee"]
    assert sam.emails == ("sam.lee@example.com",)                  # Sam.Lee@Example.com, one person
    assert sam.phones == ("+15550102000", "+15550102001")
    assert sam.tags == ("Friends", "Climbing")
    assert sam.notes == "Climbing partner"
    priya = stored["Priya Sharma"]
    assert (priya.emails, priya.phones, priya.links) == (
        ("priya@example.in",), ("+918040001234",), ("https://example.in/priya",))


def test_hubspot_csv_seeds_last_talked_and_imports_future_and_bad_dates_without_them(store):
    report = run(store, DATA / "hubspot-contacts.csv")
    assert report.layout == "HubSpot contacts export"
    assert (report.added, report.interactions, report.skipped) == (5, 2, [])
    reasons = {item.line: item.message for item in report.warnings}
    assert reasons == {
        4: "Last Contacted 2999-01-01 09:00 is in the future; imported without it",
        5: "Last Contacted '15/03/2024' is not a date like 2024-03-15 14:32; imported without it",
    }
    stored = everyone(store)
    taro = stored["山田 太郎"]                                  # family name first
    assert taro.uid == "hubspot:51"
    assert taro.last_talked == datetime(2024, 3, 15, 14, 32, tzinfo=ZONE).timestamp()
    [seeded] = people.interactions_of(store, taro)
    assert (seeded.source, seeded.via) == ("hubspot", "other")
    assert stored["Olu Adeyemi"].last_talked is None
    assert stored["Future Person"].last_talked is None
    assert stored["Bad Date"].last_talked is None


def test_hubspot_last_contacted_merges_into_a_vcard_person_and_reimport_changes_nothing(store):
    run(store, DATA / "android-21-quoted-printable.vcf")
    first = run(store, DATA / "hubspot-contacts.csv")
    assert first.merged == 1                                  # 山田 太郎 by email, with a date
    taro = everyone(store)["山田 太郎"]
    assert taro.uid == "hubspot:51"
    assert taro.notes == "大学の友達\nテニス仲間"
    before = snapshot(store)
    again = run(store, DATA / "hubspot-contacts.csv", now=NOW + 86400)
    assert (again.added, again.merged, again.interactions) == (0, 0, 0)
    assert snapshot(store) == before


def test_every_format_together_twice_adds_nothing_the_second_time(store, corpus_vcards):
    files = [*corpus_vcards, *sorted(DATA.glob("*.vcf")), *sorted(DATA.glob("*-contacts*.csv"))]
    first = [run(store, path, tags=["imported"]) for path in files]
    assert sum(report.added for report in first) > 10
    before = snapshot(store)
    second = [run(store, path, tags=["imported"]) for path in files]
    assert sum(report.added + report.merged for report in second) == 0
    assert snapshot(store) == before
    assert all("imported" in person.tags for person in load_all(store.connection))


# --- merging rules ----------------------------------------------------------------------------

def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_manual_person_is_merged_by_name_and_keeps_their_own_data(store, tmp_path):
    sam = people.add(store, "Sam Lee", now=NOW, every_days=14, notes="met climbing")
    vcf = write(tmp_path, "sam.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:sam lee\nEMAIL:sam@example.com\n"
                "NOTE:met climbing\nEND:VCARD\n")
    report = run(store, vcf)
    assert (report.added, report.merged) == (0, 1)
    merged = people.get(store, sam.id)
    assert merged.name == "Sam Lee"
    assert merged.every_days == 14
    assert merged.emails == ("sam@example.com",)
    assert merged.notes == "met climbing"                 # not appended twice


def test_new_notes_are_appended_nothing_is_removed(store, tmp_path):
    people.add(store, "Ana Lima", now=NOW, emails=["ana@example.com"], phones=["555 0101"], notes="old")
    vcf = write(tmp_path, "ana.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Lima\\, Ana\n"
                "EMAIL:ana@example.com\nNOTE:new\nEND:VCARD\n")
    report = run(store, vcf)
    assert [outcome.changes for outcome in report.outcomes] == [("notes",)]
    ana = people.find_by_query(store, "ana")
    assert (ana.name, ana.notes, ana.phones) == ("Ana Lima", "old\n\nnew", ("555 0101",))


def test_identifiers_of_two_different_people_are_not_merged(store, tmp_path):
    people.add(store, "Ana", now=NOW, emails=["ana@example.com"])
    people.add(store, "Bo", now=NOW, phones=["555 0102"])
    nameless = write(tmp_path, "mix.vcf", "BEGIN:VCARD\nVERSION:3.0\nEMAIL:ana@example.com\n"
                     "TEL:555 0102\nEND:VCARD\n")
    before = snapshot(store)
    report = run(store, nameless)
    [skipped] = report.skipped
    assert "2 different people (Ana (#1), Bo (#2))" in skipped.reason
    assert snapshot(store) == before
    named = write(tmp_path, "mix.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Mix\nEMAIL:ana@example.com\n"
                  "TEL:555 0102\nEND:VCARD\n")
    report = run(store, named)                      # another name: a person of their own, listed
    [kept] = report.kept_apart
    assert str(kept) == (f"{named} line 1: Mix (#3) shares ana@example.com with Ana (#1); "
                         "555 0102 with Bo (#2)")


def test_same_name_with_different_emails_stays_two_people(store, tmp_path):
    people.add(store, "Alex Kim", now=NOW, emails=["alex@work.example"])
    vcf = write(tmp_path, "alex.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Alex Kim\nEMAIL:alex@home.example\n"
                "END:VCARD\n")
    assert run(store, vcf).added == 1
    assert run(store, vcf).unchanged == 1
    assert len(load_all(store.connection)) == 2


def test_a_failure_midway_leaves_nothing_from_the_file(store):
    people.add(store, "Sam Lee", now=NOW)
    before = snapshot(store)

    def interrupt(done: int, total: int) -> None:
        assert total == 4
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(store, DATA / "google-contacts.csv", progress_callback=interrupt)
    assert snapshot(store) == before


def test_progress_reports_every_record(store):
    seen: list[tuple[int, int]] = []
    run(store, DATA / "hubspot-contacts.csv",
        progress_callback=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 5) for n in range(1, 6)]


# --- bad input --------------------------------------------------------------------------------

def test_unknown_csv_layout_lists_headers_found_and_known(store):
    with pytest.raises(InputError) as caught:
        run(store, DATA / "unknown-layout.csv")
    message = caught.value.message
    assert message.startswith(f"{DATA / 'unknown-layout.csv'}: unknown CSV layout")
    assert "'Full name', 'Mail', 'Mobile', 'Birthday'" in message
    for layout in LAYOUTS:
        assert layout.name in message
    assert "E-mail 1 - Value" in message
    assert "E-mail Address" in message
    assert "Last Contacted" in message
    assert snapshot(store) == ([], [])


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: tmp / "missing.vcf", "cannot be read: No such file or directory"),
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: write(tmp, "empty.csv", "\n\n"), "is empty"),
    (lambda tmp: write(tmp, "notes.vcf", "just some notes\n"), "not a contacts file: expected a vCard "
                                                                "(.vcf) or a CSV with a header row"),
    (lambda tmp: write(tmp, "notes.txt", "just some notes\n"), "not a contacts file"),
])
def test_unreadable_files_are_clear_errors(store, tmp_path, make, expected):
    people.add(store, "Sam", now=NOW)
    before = snapshot(store)
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        run(store, path)
    assert caught.value.message.startswith(f"{path}: ")
    assert expected in caught.value.message
    assert snapshot(store) == before


def test_text_that_is_not_utf8_is_read_in_the_windows_code_page_and_binary_is_refused(store, tmp_path):
    path = tmp_path / "latin1.vcf"
    path.write_bytes("BEGIN:VCARD\nVERSION:3.0\nFN:J\u00fcrgen\nEND:VCARD\n".encode("latin-1"))
    report = run(store, path)
    assert (report.encoding, report.encoding_assumed, report.added) == ("Windows-1252", True, 1)
    assert set(everyone(store)) == {"Jürgen"}
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as caught:
        run(store, binary)
    assert caught.value.message == (f"{binary}: not a contacts file: expected a vCard (.vcf) or a CSV "
                                    "with a header row (it holds binary data)")
    assert set(everyone(store)) == {"Jürgen"}


def test_utf16_and_bom_exports_are_read(store, tmp_path):
    text = (DATA / "outlook-contacts.csv").read_text(encoding="utf-8")
    utf16 = tmp_path / "outlook-utf16.csv"
    utf16.write_text(text, encoding="utf-16")
    assert run(store, utf16).added == 2
    bom = tmp_path / "google-bom.csv"
    bom.write_text((DATA / "google-contacts-older.csv").read_text(encoding="utf-8"), encoding="utf-8-sig")
    assert run(store, bom).layout == "Google Contacts CSV (older export)"
