"""Contacts exported as CSV by Google Contacts, Outlook and HubSpot; the layout is told by its headers.

Known layouts (the headers that identify them, then what is read):

- **Google Contacts**, current export: ``First Name``, ``Middle Name``, ``Last Name``,
  ``Labels``, numbered ``E-mail 1 - Value``, ``Phone 1 - Value``, ``Website 1 - Value``
  (several values in one cell are separated by `` ::: ``), ``Notes``.
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
  talked. "Last Activity Date" is not used: it counts marketing emails opened.

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
from monitor.people.importers.records import Contact, Skipped, full_name
from monitor.people.parsing import normalize_email, normalize_phone

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


@dataclass(frozen=True)
class Layout:
    """A known CSV layout: its name, the headers that identify it, and how a row becomes a contact."""

    name: str
    key_headers: tuple[str, ...]
    matches: Callable[[set[str]], bool]
    read: Callable[[Row, int, tzinfo], Contact]


class RowError(Exception):
    """A row that cannot be imported; the message is the reason."""


def _cell(row: Row, header: str) -> str:
    return (row.get(header) or "").strip()


def _numbered(row: Row, kind: str) -> list[str]:
    pattern = re.compile(rf"{kind} (\d+) - Value")
    columns = sorted((int(match.group(1)), header) for header in row
                     if header and (match := pattern.fullmatch(header)))
    values: list[str] = []
    for _, header in columns:
        values.extend(part.strip() for part in _cell(row, header).split(":::") if part.strip())
    return values


def _emails(values: list[str]) -> tuple[str, ...]:
    return tuple(email for value in values for part in re.split(r"[;,]", value)
                 if (email := normalize_email(part)) is not None)


def _phones(values: list[str]) -> tuple[str, ...]:
    return tuple(phone for value in values if (phone := normalize_phone(value)) is not None)


def _google_tags(text: str) -> tuple[str, ...]:
    tags = [part.strip().lstrip("*").strip() for part in text.split(":::")]
    return tuple(tag for tag in tags if tag and tag.casefold() not in GOOGLE_SYSTEM_GROUPS)


def _name_or_fallback(*candidates: str | tuple[str, ...]) -> str:
    """The first non-empty candidate (a tuple stands for its first item) as a name."""
    for candidate in candidates:
        value = candidate[0] if isinstance(candidate, tuple) and candidate else candidate
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    raise RowError("the row has no name, email or phone")


def _read_google(row: Row, line: int, _zone: tzinfo) -> Contact:
    emails = _emails(_numbered(row, "E-mail"))
    phones = _phones(_numbered(row, "Phone"))
    if "First Name" in row:
        name = full_name(_cell(row, "First Name"), _cell(row, "Middle Name"), _cell(row, "Last Name"),
                         _cell(row, "Name Prefix"), _cell(row, "Name Suffix"))
    else:
        name = _cell(row, "Name") or full_name(_cell(row, "Given Name"), _cell(row, "Additional Name"),
                                               _cell(row, "Family Name"))
    organisation = _cell(row, "Organization Name") or _cell(row, "Organization 1 - Name")
    return Contact(
        line=line,
        name=_name_or_fallback(name, _cell(row, "Nickname"), organisation, emails, phones),
        emails=emails, phones=phones, links=tuple(_numbered(row, "Website")),
        tags=_google_tags(_cell(row, "Labels") or _cell(row, "Group Membership")),
        notes=_cell(row, "Notes"),
    )


def _read_outlook(row: Row, line: int, _zone: tzinfo) -> Contact:
    emails = _emails([_cell(row, header) for header in OUTLOOK_EMAILS])
    phones = _phones([_cell(row, header) for header in OUTLOOK_PHONES])
    name = full_name(_cell(row, "First Name"), _cell(row, "Middle Name"), _cell(row, "Last Name"),
                     _cell(row, "Title"), _cell(row, "Suffix"))
    tags = tuple(tag.strip() for tag in re.split(r"[;,]", _cell(row, "Categories")) if tag.strip())
    return Contact(
        line=line,
        name=_name_or_fallback(name, _cell(row, "Nickname"), _cell(row, "Company"), emails, phones),
        emails=emails, phones=phones,
        links=tuple(value for header in OUTLOOK_LINKS if (value := _cell(row, header))),
        tags=tags, notes=_cell(row, "Notes"),
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
            raise RowError(f"Last Contacted {text!r} is not a date like 2024-03-15 14:32") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.timestamp()


def _read_hubspot(row: Row, line: int, zone: tzinfo) -> Contact:
    emails = _emails([_cell(row, "Email"), _cell(row, "Additional email addresses")])
    phones = _phones([_cell(row, "Phone Number"), _cell(row, "Mobile Phone Number")])
    record = _cell(row, "Record ID") or _cell(row, "Contact ID")
    contacted = _cell(row, "Last Contacted")
    name = full_name(_cell(row, "First Name"), "", _cell(row, "Last Name"))
    return Contact(
        line=line,
        name=_name_or_fallback(name, _cell(row, "Company Name"), emails, phones),
        emails=emails, phones=phones,
        uid=f"hubspot:{record}" if record else None,
        last_contacted=parse_hubspot_date(contacted, zone) if contacted else None,
        interaction_source="hubspot",
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


def read_contacts_csv(text: str, file: str, zone: tzinfo) -> tuple[str, int, Iterator[Contact | Skipped]]:
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
    if header is None:
        raise InputError(f"{file}: no header line found; expected a contacts CSV export")
    layout = detect_layout(header, file)

    def parse() -> Iterator[Contact | Skipped]:
        """The records, one at a time, as they are read."""
        assert header is not None
        for line, cells in rows:
            yield _row(layout, header, cells, line, file, zone)
        if problem is not None:
            yield problem

    return layout.name, len(rows) + (problem is not None), parse()


def _row(layout: Layout, header: list[str], cells: list[str], line: int, file: str,
         zone: tzinfo) -> Contact | Skipped:
    values = {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header)}
    label = " ".join(part for part in (values.get("First Name", "") or values.get("Name", ""),
                                       values.get("Last Name", "")) if part).strip()
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
        return Skipped(file, line, f"the row has {len(cells)} fields but the header has {len(header)}",
                       label)
    try:
        return layout.read(values, line, zone)
    except RowError as exc:
        return Skipped(file, line, str(exc), label)
