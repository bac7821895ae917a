"""Contacts exported as CSV by Google Contacts, Outlook and HubSpot; the layout is told by its headers.

Known layouts (the headers that identify them, then what is read):

- **Google Contacts**, current export: ``First Name``, ``Middle Name``, ``Last Name``,
  ``Labels``, numbered ``E-mail 1 - Value``, ``Phone 1 - Value``, ``Website 1 - Value``
  (several values in one cell are separated by `` ::: ``), ``Notes``, ``Birthday``
  (``1990-05-17``, or `` --05-17`` without the year) and an ``Event N - Value`` whose
  ``Event N - Label`` is ``Anniversary``.
- **Google Contacts**, older export: ``Name``, ``Given Name``, ``Additional Name``,
  ``Family Name``, ``Group Membership`` and the same numbered columns.
  Google's own groups ``myContacts`` and ``starred`` are not made into tags.
- **Outlook**: ``First Name``, ``Middle Name``, ``Last Name``, ``E-mail Address``,
  ``E-mail 2 Address``, ``E-mail 3 Address``, ``Mobile Phone``, ``Home Phone``,
  ``Business Phone`` …, ``Web Page``, ``Categories`` (``;``-separated), ``Notes``.
- **HubSpot** contacts export (display-label headers): ``Record ID`` (older:
  ``Contact ID``), ``First Name``, ``Last Name``, ``Email``, ``Additional email
  addresses``, ``Phone Number``, ``Mobile Phone Number``, ``Last Contacted``. The
  record id becomes the uid ``hubspot:<id>``; "Last Contacted" (``2024-03-15 14:32``,
  ``2024-03-15`` or ISO 8601, local time unless it carries an offset) seeds last
  talked; one that is not a date is dropped with a warning and the row imports without
  it. "Last Activity Date" is not used: it counts marketing emails opened.

Emails, phones and links are checked one by one (``importers.fields``): a bad one is
dropped with a warning naming the row and the column, never the whole row.

Comma, semicolon and tab separators are recognised from the header line. An
unknown layout is an InputError listing the headers found and the ones known.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from monitor.core.errors import InputError
from monitor.people.birthdays import ANNIVERSARY_ACCEPTED
from monitor.people.importers.fields import Field, read_date, read_emails, read_links, read_phones, shown
from monitor.people.importers.records import Contact, Skipped, full_name
from monitor.people.importers.source import NOT_CONTACTS

Row = Mapping[str, str]

GOOGLE_SYSTEM_GROUPS = {"mycontacts", "starred"}
OUTLOOK_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
OUTLOOK_PHONES = ("Mobile Phone", "Primary Phone", "Home Phone", "Home Phone 2", "Business Phone",
                  "Business Phone 2", "Other Phone", "Car Phone")
OUTLOOK_LINKS = ("Web Page", "Personal Web Page")
HUBSPOT_MARKERS = ("Last Contacted", "Last Activity Date", "Contact owner", "Lifecycle Stage",
                   "Lead Status", "Create Date")
HUBSPOT_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
HEADERS_SHOWN = 20
MIN_HEADERS = 2
"""A header row names at least this many columns; anything less is not a CSV export."""


@dataclass(frozen=True)
class Layout:
    """A known CSV layout: its name, the headers that identify it, and how a row becomes a contact."""

    name: str
    key_headers: tuple[str, ...]
    matches: Callable[[set[str]], bool]
    read: Callable[[Row, int, tzinfo, str | None], Contact]
    """Reads one row: (the row, its line, the time zone, the phone region)."""


class RowError(Exception):
    """A row that cannot be imported; the message is the reason."""


def _cell(row: Row, header: str) -> str:
    return (row.get(header) or "").strip()


def _numbered(row: Row, kind: str) -> list[Field]:
    pattern = re.compile(rf"{kind} (\d+) - Value")
    columns = sorted((int(match.group(1)), header) for header in row
                     if header and (match := pattern.fullmatch(header)))
    values: list[Field] = []
    for _, header in columns:
        values.extend((header, part.strip()) for part in _cell(row, header).split(":::") if part.strip())
    return values


def _columns(row: Row, headers: tuple[str, ...]) -> list[Field]:
    return [(header, _cell(row, header)) for header in headers]


def _emails(values: list[Field]) -> tuple[tuple[str, ...], list[str]]:
    return read_emails((field, part) for field, value in values for part in re.split(r"[;,]", value))


def _google_tags(text: str) -> tuple[str, ...]:
    tags = [part.strip().lstrip("*").strip() for part in text.split(":::")]
    return tuple(tag for tag in tags if tag and tag.casefold() not in GOOGLE_SYSTEM_GROUPS)


def _name_or_fallback(names: tuple[str, ...], emails: tuple[str, ...],
                      phones: tuple[str, ...]) -> tuple[str, bool]:
    """The first non-empty name, else the first email or phone; and whether it is a real name."""
    for value in names:
        if value.strip():
            return " ".join(value.split()), True
    for found in (emails, phones):
        if found:
            return found[0], False
    raise RowError("the row has no name, email or phone")


def _read_google(row: Row, line: int, _zone: tzinfo, region: str | None) -> Contact:
    emails, email_warnings = _emails(_numbered(row, "E-mail"))
    phones, phone_warnings = read_phones(_numbered(row, "Phone"), region)
    links, link_warnings = read_links(_numbered(row, "Website"))
    if "First Name" in row:
        name = full_name(_cell(row, "First Name"), _cell(row, "Middle Name"), _cell(row, "Last Name"),
                         _cell(row, "Name Prefix"), _cell(row, "Name Suffix"))
    else:
        name = _cell(row, "Name") or full_name(_cell(row, "Given Name"), _cell(row, "Additional Name"),
                                               _cell(row, "Family Name"))
    organisation = _cell(row, "Organization Name") or _cell(row, "Organization 1 - Name")
    shown_name, named = _name_or_fallback((name, _cell(row, "Nickname"), organisation), emails, phones)
    birthday, birthday_warnings = read_date([("Birthday", row.get("Birthday") or "")])
    anniversary, anniversary_warnings = read_date(_google_anniversaries(row), accepted=ANNIVERSARY_ACCEPTED)
    return Contact(
        line=line, name=shown_name, named=named, emails=emails, phones=phones, links=links,
        tags=_google_tags(_cell(row, "Labels") or _cell(row, "Group Membership")),
        notes=_cell(row, "Notes"), birthday=birthday, anniversary=anniversary,
        warnings=(*email_warnings, *phone_warnings, *link_warnings, *birthday_warnings,
                  *anniversary_warnings),
    )


def _google_anniversaries(row: Row) -> list[Field]:
    """The ``Event N - Value`` cells whose ``Event N - Label`` says Anniversary."""
    events: list[tuple[int, str]] = []
    for header in row:
        match = re.fullmatch(r"Event (\d+) - Value", header or "")
        if match and "anniversary" in _cell(row, f"Event {match.group(1)} - Label").casefold():
            events.append((int(match.group(1)), header))
    return [(header, _cell(row, header)) for _, header in sorted(events)]


def _read_outlook(row: Row, line: int, _zone: tzinfo, region: str | None) -> Contact:
    emails, email_warnings = _emails(_columns(row, OUTLOOK_EMAILS))
    phones, phone_warnings = read_phones(_columns(row, OUTLOOK_PHONES), region)
    links, link_warnings = read_links(_columns(row, OUTLOOK_LINKS))
    name = full_name(_cell(row, "First Name"), _cell(row, "Middle Name"), _cell(row, "Last Name"),
                     _cell(row, "Title"), _cell(row, "Suffix"))
    tags = tuple(tag.strip() for tag in re.split(r"[;,]", _cell(row, "Categories")) if tag.strip())
    shown_name, named = _name_or_fallback((name, _cell(row, "Nickname"), _cell(row, "Company")),
                                          emails, phones)
    return Contact(
        line=line, name=shown_name, named=named, emails=emails, phones=phones, links=links,
        tags=tags, notes=_cell(row, "Notes"),
        warnings=(*email_warnings, *phone_warnings, *link_warnings),
    )


def parse_hubspot_date(text: str, zone: tzinfo) -> float:
    """A HubSpot export date (``2024-03-15 14:32``, ``2024-03-15`` or ISO 8601) as Unix seconds."""
    cleaned = text.strip()
    parsed: datetime | None = None
    for pattern in HUBSPOT_DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, pattern)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(cleaned)
        except ValueError:
            raise RowError(f"Last Contacted {shown(text)} is not a date like 2024-03-15 14:32") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        return parsed.timestamp()
    except (OverflowError, OSError, ValueError):
        raise RowError(f"Last Contacted {shown(text)} is not a date this computer can count") from None


def _read_hubspot(row: Row, line: int, zone: tzinfo, region: str | None) -> Contact:
    emails, email_warnings = _emails(_columns(row, ("Email", "Additional email addresses")))
    phones, phone_warnings = read_phones(_columns(row, ("Phone Number", "Mobile Phone Number")), region)
    record = _cell(row, "Record ID") or _cell(row, "Contact ID")
    contacted = _cell(row, "Last Contacted")
    warnings = [*email_warnings, *phone_warnings]
    last_contacted: float | None = None
    if contacted:
        try:
            last_contacted = parse_hubspot_date(contacted, zone)
        except RowError as exc:
            warnings.append(f"{exc}; imported without it")
    name = full_name(_cell(row, "First Name"), "", _cell(row, "Last Name"))
    shown_name, named = _name_or_fallback((name, _cell(row, "Company Name")), emails, phones)
    return Contact(
        line=line, name=shown_name, named=named, emails=emails, phones=phones,
        uid=f"hubspot:{record}" if record else None, last_contacted=last_contacted,
        interaction_source="hubspot", warnings=tuple(warnings),
    )


def _google_numbered(headers: set[str]) -> bool:
    return any(re.fullmatch(r"(E-mail|Phone) \d+ - Value", header) for header in headers)


def _is_google(headers: set[str]) -> bool:
    return _google_numbered(headers) and "First Name" in headers


def _is_old_google(headers: set[str]) -> bool:
    return _google_numbered(headers) and bool(headers & {"Given Name", "Name"})


def _is_hubspot(headers: set[str]) -> bool:
    if headers & {"Record ID", "Contact ID"}:
        return bool(headers & {"Email", "First Name", "Last Name"})
    return "Email" in headers and bool(headers & set(HUBSPOT_MARKERS))


LAYOUTS: tuple[Layout, ...] = (
    Layout("Google Contacts CSV", ("First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value",
                                   "Labels"), _is_google, _read_google),
    Layout("Google Contacts CSV (older export)", ("Name", "Given Name", "Family Name",
                                                  "E-mail 1 - Value", "Group Membership"),
           _is_old_google, _read_google),
    Layout("Outlook CSV", ("First Name", "Last Name", "E-mail Address", "Mobile Phone", "Categories"),
           lambda headers: "E-mail Address" in headers and "First Name" in headers, _read_outlook),
    Layout("HubSpot contacts export", ("Record ID", "First Name", "Last Name", "Email",
                                       "Phone Number", "Last Contacted"), _is_hubspot, _read_hubspot),
)


def detect_layout(headers: list[str], file: str) -> Layout:
    """The layout these headers belong to; InputError listing found and known headers otherwise."""
    found = {header for header in headers if header}
    for layout in LAYOUTS:
        if layout.matches(found):
            return layout
    shown = ", ".join(repr(header) for header in headers[:HEADERS_SHOWN])
    if len(headers) > HEADERS_SHOWN:
        shown += f" and {len(headers) - HEADERS_SHOWN} more"
    known = "; ".join(f"{layout.name} ({', '.join(layout.key_headers)})" for layout in LAYOUTS)
    raise InputError(f"{file}: unknown CSV layout; its headers are {shown or '(none)'}. "
                     f"Known layouts: {known}. Export contacts as vCard or one of these CSVs")


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_contacts_csv(text: str, file: str, zone: tzinfo,
                      region: str | None = None) -> tuple[str, int, Iterator[Contact | Skipped]]:
    """The layout's name, how many records ``text`` holds, and an iterator over them."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    rows: list[tuple[int, list[str]]] = []
    problem: Skipped | None = None
    header: list[str] | None = None
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in cells]
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        problem = Skipped(file, end + 1, f"cannot read the CSV from this line on: {exc}")
    if header is None or sum(1 for name in header if name) < MIN_HEADERS:
        raise InputError(f"{file}: {NOT_CONTACTS} (its first line is not a header of named columns)")
    layout = detect_layout(header, file)

    def parse() -> Iterator[Contact | Skipped]:
        """The records, one at a time, as they are read."""
        assert header is not None
        for line, cells in rows:
            yield _row(layout, header, cells, line, file, zone, region)
        if problem is not None:
            yield problem

    return layout.name, len(rows) + (problem is not None), parse()


def _row(layout: Layout, header: list[str], cells: list[str], line: int, file: str,
         zone: tzinfo, region: str | None) -> Contact | Skipped:
    values = {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header)}
    label = " ".join(part for part in (values.get("First Name", "") or values.get("Name", ""),
                                       values.get("Last Name", "")) if part).strip()
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
        return Skipped(file, line, f"the row has {len(cells)} fields but the header has {len(header)}",
                       label)
    try:
        return layout.read(values, line, zone, region)
    except RowError as exc:
        return Skipped(file, line, str(exc), label)
