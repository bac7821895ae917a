"""Fuzzing the parsers of issue 19: phone numbers, links to keep, and a contacts file's encoding.

Each takes anything (random text, text shaped like its input, random bytes) and either
returns a value that keeps its promises or raises an InputError with one readable line;
nothing else may escape.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.people.importers.source import decode
from monitor.people.links import STORED_SCHEMES, storable_link
from monitor.people.phones import display_phone, phone_key, phone_uri, read_phone
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors

E164 = re.compile(r"\+[1-9]\d{3,14}(;ext=\d+)?")
REGIONS = st.sampled_from([None, "US", "GB", "DE", "JP", "BR", "IN", "us", "XX"])
phone_like = st.lists(st.one_of(
    st.sampled_from(["+", "(0)", "(", ")", "-", ".", " ", "x", "ext.", ";ext=", "tel:", "00", "+1", "+44",
                     "CALL", "/", "\u00a0", "٣", "#", "*"]),
    st.text(alphabet="0123456789", min_size=1, max_size=6)), max_size=10).map("".join)


@fuzz_settings
@given(st.one_of(phone_like, st.text(max_size=40)), REGIONS)
def test_fuzz_phone_parsing(text, region):
    phone = read_phone(text, region)
    if phone is None:
        event("not a phone")
        assert sum(char.isascii() and char.isdigit() for char in text) < 3 or len(" ".join(text.split())) > 80
        return
    if phone.checked:
        event("checked")
        assert E164.fullmatch(phone.stored), phone.stored
        assert phone_key(phone.stored, region) == phone.stored
        again = read_phone(display_phone(phone.stored, region), region)
        assert again is not None
        assert again.stored == phone.stored                             # shown, then read: the same
        assert phone_uri(phone.stored) == f"tel:{phone.stored}"
    else:
        event("kept as written")
        assert phone.why_unchecked
        assert phone.stored in " ".join(text.split())                   # never altered
        assert display_phone(phone.stored, region).startswith(f"{phone.stored} (kept as written: ")
        assert phone_key(phone.stored, region)


links = st.one_of(
    st.text(max_size=60),
    st.tuples(st.sampled_from([*STORED_SCHEMES, "javascript", "file", "smb", "vbscript", "data", "ms-msdt",
                               "search-ms", "x-man-page", "HTTPS", "ftp", ""]),
              st.sampled_from([":", "\\:", "://", "\\://", ""]),
              st.text(alphabet="abc.example/@?=#;:-+0123456789 \\%", max_size=30)).map("".join),
)


@fuzz_settings
@given(links)
def test_fuzz_link_checking(value):
    link = only_our_errors(lambda: storable_link(value, where="--link"), names="--link", expected=InputError)
    if link is None:
        event("refused")
        return
    event("kept")
    scheme = link.split(":", 1)[0]
    assert scheme in STORED_SCHEMES
    assert not any(char.isspace() or not char.isprintable() for char in link)
    assert storable_link(link) == link                                   # checking again changes nothing


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80).filter(str.strip)


@fuzz_settings
@given(st.one_of(st.binary(max_size=200), texts.map(str.encode),
                 texts.map(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
                 texts.map(lambda text: text.encode("cp1252", errors="ignore"))))
def test_fuzz_encoding_detection(data):
    path = Path("contacts.csv")
    decoded = only_our_errors(lambda: decode(data, path), names=str(path), expected=InputError)
    if decoded is None:
        event("refused")
        return
    event(f"read as {decoded.encoding}")
    if decoded.encoding == "UTF-8" and not data.startswith(codecs.BOM_UTF8):
        assert decoded.text == data.decode("utf-8")
    elif decoded.encoding == "UTF-16":
        assert decoded.text == data.decode("utf-16")
    assert decoded.assumed == decoded.encoding.startswith("Windows-")
    assert "\x00" not in decoded.text


# Text in a Windows code page coming back as written (Western European, Cyrillic, Greek) and
# any bytes read as exactly one code page's reading: tests/fuzz/test_fuzz_people_fields.py.
