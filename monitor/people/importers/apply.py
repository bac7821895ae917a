"""Import one contacts file into the store: read it, match each record, merge or add, in one transaction.

Reading: the file must be a regular file of at most ``people.import_max`` bytes, in
UTF-8, UTF-16/32 with a byte-order mark or a Windows code page (``importers.source``);
it is a vCard when it says ``BEGIN:VCARD``, else a CSV export whose layout its header
tells. Anything else is an InputError naming the file, before anything is written.

Matching and merging: ``importers.matching`` (only the same person merges; others are
kept apart and listed). Every record is kept: a bad field is dropped with a warning, a
"Last Contacted" date or a birthday in the future too, and the rest of the record imports. A "Last
Contacted" date becomes an interaction (deduplicated by person, instant and source).
``every_days`` sets the frequency of everyone in the file.

A dry run imports into a scratch copy of the store (``store.bulk.scratch_copy``), so its
reports say what an import would do and the store is left exactly as it was.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from pathlib import Path

from monitor.core.days import local_zone
from monitor.core.errors import InputError
from monitor.core.people_settings import DEFAULT_IMPORT_MAX
from monitor.people.birthdays import birth_year
from monitor.people.importers.contacts_csv import read_contacts_csv
from monitor.people.importers.matching import Merger, merged, new_person
from monitor.people.importers.records import Contact, FieldWarning, Skipped
from monitor.people.importers.report import ADDED, MERGED, UNCHANGED, ImportReport, KeptApart, Outcome
from monitor.people.importers.source import NOT_CONTACTS, ContactsText, read_contacts_text
from monitor.people.importers.vcard import read_vcards
from monitor.people.model import union
from monitor.store.database import Store
from monitor.store.people import Connection, insert_interaction, insert_person, load_all, update_person

log = logging.getLogger(__name__)

VCARD_SUFFIXES = (".vcf", ".vcard")
_CARD_START = re.compile(r"^[ \t]*BEGIN:VCARD[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
LAST_CONTACTED_NOTE = "Last Contacted, from an import"

ProgressCallback = Callable[[int, int], None]
"""Called with (records done, records in the file) as an import goes."""


@dataclass(frozen=True)
class _Options:
    tags: tuple[str, ...]
    every_days: float | None
    now: float
    zone: tzinfo
    region: str | None


Records = tuple[ContactsText, str, int, Iterator[Contact | Skipped]]
"""A file read: its text, its layout, how many records it holds, and the records as parsed."""


def read_records(path: Path, zone: tzinfo, region: str | None = None,
                 limit: int = DEFAULT_IMPORT_MAX) -> Records:
    """The text, layout, record count and records of ``path``; InputError if it cannot be used."""
    decoded = read_contacts_text(path, limit)
    text, name = decoded.text, str(path)
    if _CARD_START.search(text):
        total, records = read_vcards(text, name, region)
        return decoded, "vCard", total, records
    if path.suffix.lower() in VCARD_SUFFIXES:
        raise InputError(f"{path}: {NOT_CONTACTS} (it has no BEGIN:VCARD line)")
    layout, total, records = read_contacts_csv(text, name, zone, region)
    return decoded, layout, total, records


def import_people(store: Store, path: Path, tags: Iterable[str] = (),
                  progress_callback: ProgressCallback | None = None, *, now: float | None = None,
                  zone: tzinfo | None = None, region: str | None = None, every_days: float | None = None,
                  limit: int = DEFAULT_IMPORT_MAX) -> ImportReport:
    """Import the vCard or CSV file ``path``, adding ``tags`` to everyone in it (see module doc).

    Unreadable files and unknown layouts raise InputError before anything is written;
    broken records are reported in ``ImportReport.skipped`` and the rest import. The
    whole file is one transaction: an unexpected failure leaves the store untouched.
    """
    options = _Options(union((), tags), every_days, time.time() if now is None else now,
                       zone or local_zone(), region)
    decoded, layout, total, records = read_records(path, options.zone, region, limit)
    report = ImportReport(file=str(path), layout=layout, encoding=decoded.encoding,
                          encoding_assumed=decoded.assumed)
    with store.transaction() as connection:
        merger = Merger(load_all(connection), region)
        for done, record in enumerate(records, start=1):
            if isinstance(record, Skipped):
                report.skipped.append(record)
            else:
                _import_one(connection, merger, record, options, report)
            if progress_callback is not None:
                progress_callback(done, total)
    log.info("imported %s (%s, %s): %d added, %d merged, %d unchanged, %d skipped", path, layout,
             decoded.encoding, report.added, report.merged, report.unchanged, len(report.skipped))
    return report


def _last_contacted(contact: Contact, options: _Options) -> tuple[float | None, list[str]]:
    """The record's "Last Contacted" instant, or None with a warning when it is in the future."""
    at = contact.last_contacted
    if at is None or at <= options.now:
        return at, []
    when = datetime.fromtimestamp(at, options.zone).strftime("%Y-%m-%d %H:%M")
    return None, [f"Last Contacted {when} is in the future; imported without it"]


def _born_by_now(contact: Contact, options: _Options) -> tuple[Contact, list[str]]:
    """The record, without a birthday dated after today (with a warning saying so)."""
    if contact.birthday is None or birth_year(contact.birthday) is None:
        return contact, []
    today = datetime.fromtimestamp(options.now, options.zone).date()
    if date.fromisoformat(contact.birthday) <= today:
        return contact, []
    return replace(contact, birthday=None), [f"birthday {contact.birthday} is in the future; dropped"]


def _import_one(connection: Connection, merger: Merger, contact: Contact, options: _Options,
                report: ImportReport) -> None:
    contact, unborn = _born_by_now(contact, options)
    last_contacted, late = _last_contacted(contact, options)
    report.warnings.extend(FieldWarning(report.file, contact.line, message, contact.name)
                           for message in (*contact.warnings, *unborn, *late))
    found = merger.match(contact)
    if found.problem is not None:
        report.skipped.append(Skipped(report.file, contact.line, found.problem, contact.name))
        return
    uid_free = bool(contact.uid) and contact.uid not in merger.by_uid
    changes: tuple[str, ...] = ()
    if found.person is None:
        draft = new_person(contact, options.tags, uid_free=uid_free, every_days=options.every_days,
                           now=options.now, key=merger.key)
        person = replace(draft, id=insert_person(connection, draft))
        merger.remember(person)
        if found.sharers:
            report.kept_apart.append(KeptApart(report.file, contact.line, person.id, person.name,
                                               found.sharers))
    else:
        person, changes = merged(found.person, contact, options.tags, uid_free=uid_free,
                                 every_days=options.every_days, key=merger.key)
        if changes:
            update_person(connection, person)
            merger.remember(person)
    if last_contacted is not None and insert_interaction(
            connection, person.id, last_contacted, "other", LAST_CONTACTED_NOTE, contact.interaction_source):
        report.interactions += 1
        day = datetime.fromtimestamp(last_contacted, options.zone).date().isoformat()
        changes = (*changes, f"last contacted {day}")
    action = ADDED if found.person is None else MERGED if changes else UNCHANGED
    report.record(Outcome(contact.line, contact.name, action, person.id, person.name, changes))
