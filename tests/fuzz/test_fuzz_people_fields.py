"""Fuzzing issue 19's field readers: every CSV row kept, vCard commas kept, code pages told apart.

- A CSV row of any cells (Google, Outlook or HubSpot headers) that has a name is one
  person: a bad email, phone, link or date is dropped with a warning that starts with
  its column's name; the row is never skipped for it.
- A vCard whose FN, NOTE or URL holds bare or escaped commas comes back with every one.
- Contacts text in a Windows code page comes back as written when it is in Western
  European words (the default), Cyrillic or Greek; whatever the bytes, what is read is
  exactly one code page's reading of them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.people.importers.contacts_csv import read_contacts_csv
from monitor.people.importers.records import Contact
from monitor.people.importers.source import CODE_PAGE_NAMES, decode
from monitor.people.importers.vcard import read_vcards
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors

ZONE = ZoneInfo("Europe/Berlin")
HEADERS = {
    "Google": ["First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value", "Website 1 - Value",
               "Birthday", "Labels"],
    "Outlook": ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Web Page", "Categories",
                "Notes"],
    "HubSpot": ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Last Contacted"],
}
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "not a phone", "+44 (0) 20 7946 0958", "tel:+1-555-555-0199;ext=42", "x@y",
                     "javascript:alert(1)", "https\\://example.org", "2999-01-01 09:00", "15/03/2024",
                     "--05-17", "1990-02-30", "=cmd|' /C calc'!A0", "\u202e", "a\x00b"]),
)


def as_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@fuzz_settings
@given(st.sampled_from(sorted(HEADERS)), st.data())
def test_fuzz_every_csv_row_with_a_name_is_kept(layout, data):
    header = HEADERS[layout]
    rows = data.draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)),
                              min_size=1, max_size=4))
    for row in rows:
        row[header.index("First Name")] = data.draw(st.sampled_from(["Ana", "Jürgen", "山田", "Zoë"]))
    text = as_csv(header, rows)
    result = only_our_errors(lambda: read_contacts_csv(text, "fuzz.csv", ZONE, "DE"), names="fuzz.csv",
                             expected=InputError)
    assert result is not None, "the header is a known layout"
    _layout, count, records = result
    records = list(records)
    assert count == len(records)
    for record in records:
        if not isinstance(record, Contact):          # only a row csv cannot read at all is skipped
            event("skipped")
            assert "cannot read the CSV" in record.reason
            continue
        event(f"{len(record.warnings)} warnings")
        assert record.named
        for warning in record.warnings:                           # named by its column
            assert any(warning.startswith(column) for column in header), warning


words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\\\r\n"),
                max_size=12)


@fuzz_settings
@given(st.lists(words, min_size=2, max_size=4), st.lists(words, min_size=2, max_size=4),
       st.sampled_from(["2.1", "3.0", "4.0"]))
def test_fuzz_commas_in_one_valued_properties_are_kept(name_parts, note_parts, version):
    name = ", ".join(part.strip() or "x" for part in name_parts)
    note = ",".join(note_parts)
    escaped = note.replace(",", "\\,", 1)                       # one escaped comma, the rest bare
    url = "https://maps.example.org/@" + ",".join(str(len(part)) for part in note_parts)
    card = (f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:{name}\r\nNOTE:{escaped}\r\nURL:{url}\r\n"
            "END:VCARD\r\n")
    _count, records = read_vcards(card, "fuzz.vcf", None)
    [record] = list(records)
    if not isinstance(record, Contact):
        event("skipped")                                         # a value vobject cannot read at all
        return
    assert record.name == " ".join(name.split())
    assert record.notes == note.strip()
    assert record.links == (url,)


WESTERN = ["Jürgen", "Müller", "Brötchen", "für", "François", "Café", "côté", "naïve", "Œuvre", "José",
           "Núñez", "¿Qué", "Ångström", "Zoë", "São", "João", "Conceição", "perché", "città", "Søren",
           "smørrebrød", "Straße", "Gödel", "Åsa", "Björk", "5 €", "Ærø", "–"]
CYRILLIC = ["Иван", "Петров", "Мария", "Соколова", "друг", "детства", "Москва", "Казань", "привет",
            "Ёлка", "Юлия", "щука"]
GREEK = ["Γιώργος", "Νικολάου", "Ελένη", "Αθήνα", "Συνάδελφος", "φίλη", "καλημέρα", "Θεσσαλονίκη"]
FILLER = st.sampled_from([" ", ", ", '","', "\r\n", " 12 ", "@example.org "])


def written(vocabulary: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(vocabulary), FILLER).map("".join), min_size=1,
                    max_size=8).map("".join)


@fuzz_settings
@given(st.one_of(written(WESTERN).map(lambda text: (text, "cp1252")),
                 written(CYRILLIC).map(lambda text: (text, "cp1251")),
                 written(GREEK).map(lambda text: (text, "cp1253"))))
def test_fuzz_code_page_text_comes_back_as_written(case):
    text, page = case
    data = text.encode(page)
    decoded = decode(data, Path("outlook.csv"))
    event(f"{page} read as {decoded.encoding}")
    assert decoded.text == text
    if not text.isascii():
        assert decoded.assumed
        assert data.decode(_codec(decoded.encoding)) == text    # the page named reads it so


def _codec(name: str) -> str:
    return next(codec for codec, shown in CODE_PAGE_NAMES.items() if shown == name)


@fuzz_settings
@given(st.binary(min_size=1, max_size=120).filter(lambda data: b"\x00" not in data))
def test_fuzz_any_bytes_are_read_as_one_code_page_or_refused(data):
    decoded = only_our_errors(lambda: decode(data, Path("x.csv")), names="x.csv", expected=InputError)
    if decoded is None:
        event("refused")
        return
    event(decoded.encoding)
    if decoded.assumed:
        assert data.decode(_codec(decoded.encoding)) == decoded.text
