"""vCard 2.1, 3.0 and 4.0 files (Apple, Google, Android and other exports), read with vobject.

The file is first cut into cards by their BEGIN:VCARD / END:VCARD lines, so one broken
card (truncated, or with a line vobject cannot read) is reported with its line and
reason and the others still import. A BEGIN:VCARD inside an unfinished card starts a
new card: the unfinished one is reported as cut off (vCard 2.1's embedded AGENT cards
are not supported). Photos, logos, sounds and keys are dropped before parsing: they
are never imported and a damaged photo must not lose a person.

Read from each card: FN (else N, then ORG, NICKNAME, an email or a phone) as the name;
EMAIL; TEL (``tel:`` URIs too, extensions kept); URL, IMPP and X-SOCIALPROFILE as links
(only the schemes ``links.storable_link`` keeps; the others are dropped with a warning);
CATEGORIES as tags; NOTE; UID; BDAY (``1990-05-17``, ``19900517``, the year-less ``--0517`` and
``--05-17``, a date-time's date; Apple's ``X-APPLE-OMIT-YEAR`` year left out) as the
birthday; ANNIVERSARY (or X-ANNIVERSARY, X-EVOLUTION-ANNIVERSARY, Apple's X-ABDATE labelled
Anniversary) as the anniversary. Grouped properties (``item1.EMAIL``) count like ungrouped ones;
quoted-printable values (vCard 2.1) are decoded, with their CHARSET. Cards that are
not people (KIND or X-ADDRESSBOOKSERVER-KIND ``group``, ``org``, ``location``) are skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from monitor.people.birthdays import ANNIVERSARY_ACCEPTED
from monitor.people.importers.fields import read_date, read_emails, read_links, read_phones
from monitor.people.importers.records import Contact, Skipped, full_name

_LINES = re.compile(r"\r\n|\r|\n")
_BINARY = re.compile(r"(?:[A-Za-z0-9_-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_FN = re.compile(r"(?:[A-Za-z0-9_-]+\.)?FN[;:]", re.IGNORECASE)
_NOT_PEOPLE = ("group", "org", "location")
LABEL_LENGTH = 60
# A content line as vobject's pattern reads it (name, parameters, colon), without backtracking.
_CONTENT_LINE = re.compile(r'(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+;?'
                           r'(?:;[A-Za-z0-9_-]+(?:[=,](?:"[^"]*+"|[^";:,=]*+))*+)*+:')


_PROPERTY = re.compile(r"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)")
_BARE_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
ONE_VALUE = frozenset({"FN", "NOTE", "ORG", "TITLE", "URL", "IMPP", "X-SOCIALPROFILE", "UID"})
"""Properties with one text value, in which a comma is part of the text ("Smith, John", a note,
a map link). vobject reads every text value as a comma-separated list and keeps the first
item, so a bare comma (vCard 2.1 never escapes them, and many exporters do not) would cut
the value there; ``keep_commas`` escapes those commas first."""


def keep_commas(text: str) -> str:
    r"""``text`` (one card) with the bare commas in ``ONE_VALUE`` properties escaped as ``\,``.

    Folded lines (a leading space) and quoted-printable soft line breaks (a value line
    ending with ``=``) continue the property above them.
    """
    lines = text.split("\n")
    one_value = soft = quoted = False
    for index, line in enumerate(lines):
        if index and (soft or line[:1] in (" ", "\t")):
            start = 0 if soft else 1
        else:
            prefix = _CONTENT_LINE.match(line)
            name = _PROPERTY.match(line)
            one_value = bool(prefix and name and name.group(1).upper() in ONE_VALUE)
            start = prefix.end() if prefix else len(line)
            soft = False
            quoted = "QUOTED-PRINTABLE" in line[:start].upper()
        soft = quoted and line.endswith("=")
        if one_value and "," in line[start:]:
            lines[index] = line[:start] + _BARE_COMMA.sub(r"\1\\,", line[start:])
    return "\n".join(lines)


@dataclass(frozen=True)
class RawCard:
    """The text of one card, as cut from the file, and where it starts."""

    line: int
    text: str
    label: str


def _label(line: str) -> str:
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    return value[:LABEL_LENGTH]


def split_cards(text: str, file: str) -> list[RawCard | Skipped]:
    """Cut ``text`` into cards; an unfinished card is a Skipped with its reason."""
    items: list[RawCard | Skipped] = []
    lines: list[str] = []
    start = 0
    label = ""
    skipping = False
    for number, line in enumerate(_LINES.split(text), start=1):
        command = line.strip().upper()
        if command == "BEGIN:VCARD":
            if start:
                items.append(Skipped(file, start, "the card never ends: no END:VCARD before the next "
                                     f"BEGIN:VCARD at line {number}", label))
            start, lines, label, skipping = number, [line], "", False
            continue
        if not start:
            continue  # blank lines or junk between cards
        if command == "END:VCARD":
            lines.append(line)
            items.append(RawCard(start, "\n".join(lines) + "\n", label))
            start, lines = 0, []
            continue
        continuation = line[:1] in (" ", "\t")
        if not continuation:
            skipping = _BINARY.match(line) is not None
            if not label and _FN.match(line):
                label = _label(line)
        # a dropped line becomes blank, so vobject's line numbers still match the file's
        lines.append("" if skipping else line)
    if start:
        items.append(Skipped(file, start, "the card is cut off: no END:VCARD before the end of the "
                             "file (the file looks truncated); nothing was imported from it", label))
    return items


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").strip()
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value if _text(item))
    return str(value).strip() if value is not None else ""


def _all(component: Any, name: str) -> list[Any]:
    return [line.value for line in component.contents.get(name, [])]


def _first(component: Any, name: str) -> str:
    for value in _all(component, name):
        text = _text(value)
        if text:
            return text
    return ""


def _name_from_n(component: Any) -> str:
    for value in _all(component, "n"):
        if hasattr(value, "family"):
            name = full_name(_text(value.given), _text(value.additional), _text(value.family),
                             _text(value.prefix), _text(value.suffix))
        else:
            parts = (_text(value).split(";") + [""] * 5)[:5]
            name = full_name(parts[1], parts[2], parts[0], parts[3], parts[4])
        if name:
            return name
    return ""


def _tags(component: Any) -> tuple[str, ...]:
    tags: list[str] = []
    for value in _all(component, "categories"):
        items = value if isinstance(value, list | tuple) else _text(value).split(",")
        tags.extend(_text(item) for item in items if _text(item))
    return tuple(tags)


def _values(component: Any, *names: str) -> list[tuple[str, str]]:
    """Each value of the properties ``names`` as (PROPERTY, text)."""
    return [(name.upper(), _text(value)) for name in names for value in _all(component, name)]


ANNIVERSARY_PROPERTIES = ("anniversary", "x-anniversary", "x-evolution-anniversary")
_OMIT_YEAR = "X-APPLE-OMIT-YEAR"


def _without_omitted_year(line: Any) -> str:
    """A BDAY's text, its year replaced by ``--`` when Apple's X-APPLE-OMIT-YEAR names that year."""
    text = _text(line.value)
    omitted = [str(year) for year in line.params.get(_OMIT_YEAR, [])]
    for year in omitted:
        if year and text.startswith(year):
            return "--" + text[len(year):].lstrip("-")
    return text


def _birthday(component: Any) -> tuple[str | None, list[str]]:
    return read_date(("BDAY", _without_omitted_year(line)) for line in component.contents.get("bday", []))


def _anniversary(component: Any) -> tuple[str | None, list[str]]:
    values = _values(component, *ANNIVERSARY_PROPERTIES)
    labelled = {line.group for line in component.contents.get("x-ablabel", [])
                if line.group and "anniversary" in _text(line.value).casefold()}
    values += [("X-ABDATE", _text(line.value)) for line in component.contents.get("x-abdate", [])
               if line.group in labelled]
    return read_date(values, accepted=ANNIVERSARY_ACCEPTED)


def card_to_contact(component: Any, raw: RawCard, file: str, region: str | None = None) -> Contact | Skipped:
    """Turn one parsed vobject card into a Contact (or a Skipped saying why not)."""
    kind = (_first(component, "kind") or _first(component, "x-addressbookserver-kind")).lower()
    if kind in _NOT_PEOPLE:
        return Skipped(file, raw.line, f"not a person (KIND:{kind})", raw.label)
    emails, email_warnings = read_emails(_values(component, "email"))
    phones, phone_warnings = read_phones(_values(component, "tel"), region)
    links, link_warnings = read_links(_values(component, "url", "impp", "x-socialprofile"))
    birthday, birthday_warnings = _birthday(component)
    anniversary, anniversary_warnings = _anniversary(component)
    name = (_first(component, "fn") or _name_from_n(component) or _first(component, "org")
            or _first(component, "nickname"))
    named = bool(name)
    name = name or (emails[0] if emails else "") or (phones[0] if phones else "")
    if not name:
        return Skipped(file, raw.line, "the card has no name, email or phone", raw.label)
    notes = "\n".join(_text(value) for value in _all(component, "note") if _text(value))
    return Contact(line=raw.line, name=" ".join(name.split()), emails=emails, phones=phones,
                   links=links, tags=_tags(component), notes=notes,
                   uid=_first(component, "uid") or None, named=named, birthday=birthday,
                   anniversary=anniversary,
                   warnings=(*email_warnings, *phone_warnings, *link_warnings, *birthday_warnings,
                             *anniversary_warnings))


def _malformed_line(raw: RawCard) -> tuple[int, str] | None:
    """The first content line not shaped ``NAME;PARAMS:VALUE`` (its file line and text), or None.

    vobject's line pattern backtracks exponentially on such a line (a 90-character
    ``N;CHARSET=…=`` without a colon took two minutes), so they are caught here first,
    with the same grammar written without ambiguity (possessive quantifiers).
    """
    from vobject.base import getLogicalLines  # noqa: PLC0415 - only when importing vCards

    for line, number in getLogicalLines(io.StringIO(raw.text), allowQP=True):
        if not _CONTENT_LINE.match(line):
            return raw.line + max(int(number), 1) - 1, str(line)
    return None


def parse_card(raw: RawCard, file: str, region: str | None = None) -> Contact | Skipped:
    """Parse one card's text with vobject; a card vobject refuses is a Skipped with its reason."""
    import vobject  # noqa: PLC0415 - only when importing vCards

    malformed = _malformed_line(raw)
    if malformed is not None:  # the words vobject would use, without its wait
        number, text = malformed
        shown = text if len(text) <= 200 else text[:199] + "…"
        return Skipped(file, raw.line, f"not a readable vCard: line {number}: Failed to parse line: "
                                       f"{shown}", raw.label)
    try:
        component = vobject.readOne(keep_commas(raw.text), allowQP=True)
    except Exception as exc:  # vobject raises ParseError, binascii.Error, ValueError …
        where = getattr(exc, "lineNumber", None)
        message = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
        at = f"line {raw.line + int(where) - 1}: " if where is not None else ""
        return Skipped(file, raw.line, f"not a readable vCard: {at}{message}", raw.label)
    if component.name.upper() != "VCARD":
        return Skipped(file, raw.line, f"not a vCard ({component.name})", raw.label)
    try:
        return card_to_contact(component, raw, file, region)
    except Exception as exc:  # a value vobject parsed but in a shape we did not expect
        return Skipped(file, raw.line, f"not a readable vCard: {exc}", raw.label)


def read_vcards(text: str, file: str, region: str | None = None) -> tuple[int, Iterator[Contact | Skipped]]:
    """How many records ``text`` holds, and an iterator parsing them one by one."""
    items = split_cards(text, file)

    def parse() -> Iterator[Contact | Skipped]:
        """The records, one at a time, as they are read."""
        for item in items:
            yield parse_card(item, file, region) if isinstance(item, RawCard) else item

    return len(items), parse()
