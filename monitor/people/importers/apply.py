"""Import one contacts file into the store: match, merge or add, all in one transaction.

Matching, in order: the uid (vCard UID, ``hubspot:<Record ID>``), then any email
(lowercased) or phone (digits, ``+`` kept). A record whose identifiers point at two
different people is skipped rather than guessed at. A record matching no one by
identifier is merged into the one person with exactly the same name (ignoring case and
accents) unless both carry emails (or both phones) that differ; otherwise it is added.

Merging only adds: emails, phones, links and tags are united, notes are appended
when not already there, a missing uid is filled in, the name is kept. So
re-importing the same file changes nothing, and nothing is ever deleted by an import.
A "Last Contacted" date becomes an interaction (deduplicated by person, instant and
source); one in the future skips the whole record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path

from monitor.core.days import local_zone
from monitor.core.errors import InputError
from monitor.people.importers.contacts_csv import read_contacts_csv
from monitor.people.importers.records import Contact, Skipped, read_text
from monitor.people.importers.vcard import read_vcards
from monitor.people.model import MAX_NAME_LENGTH, Person, fold, union
from monitor.store.database import Store
from monitor.store.people import Connection, insert_interaction, insert_person, load_all, update_person

log = logging.getLogger(__name__)

VCARD_SUFFIXES = (".vcf", ".vcard")
LAST_CONTACTED_NOTE = "Last Contacted, from an import"

ProgressCallback = Callable[[int, int], None]
"""Called with (records done, records in the file) as an import goes."""


@dataclass
class ImportReport:
    """What importing one file did."""

    file: str
    layout: str = ""
    added: int = 0
    merged: int = 0
    """Records that added something to a person already stored."""
    unchanged: int = 0
    """Records that matched a stored person and had nothing new."""
    interactions: int = 0
    """Interactions added from "Last Contacted" dates."""
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Every record read from the file."""
        return self.added + self.merged + self.unchanged + len(self.skipped)


def read_records(path: Path, zone: tzinfo) -> tuple[str, int, Iterator[Contact | Skipped]]:
    """The layout of ``path``, its record count and its records; InputError if it cannot be used."""
    text = read_text(path)
    name = str(path)
    if text.lstrip().upper().startswith("BEGIN:VCARD") or path.suffix.lower() in VCARD_SUFFIXES:
        total, records = read_vcards(text, name)
        if total == 0:
            raise InputError(f"{path}: no vCard in it (no BEGIN:VCARD line); expected a .vcf export")
        return "vCard", total, records
    return read_contacts_csv(text, name, zone)


class _Merger:
    """The people of the store indexed by uid, email, phone and name, kept current while importing."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.people: dict[int, Person] = {}
        self.by_uid: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = {}
        for person in people:
            self.remember(person)

    def remember(self, person: Person) -> None:
        """Index ``person`` (new, or changed since it was last remembered)."""
        old = self.people.get(person.id)
        if old is not None:
            self.by_name.get(fold(old.name), set()).discard(person.id)
        self.people[person.id] = person
        if person.uid:
            self.by_uid.setdefault(person.uid, person.id)
        for email in person.emails:
            self.by_email.setdefault(email, person.id)
        for phone in person.phones:
            self.by_phone.setdefault(phone, person.id)
        self.by_name.setdefault(fold(person.name), set()).add(person.id)

    def match(self, contact: Contact) -> tuple[Person | None, str | None]:
        """The stored person ``contact`` is, or None; a reason instead when it cannot be decided."""
        ids = {self.by_uid[contact.uid]} if contact.uid and contact.uid in self.by_uid else set()
        ids |= {self.by_email[email] for email in contact.emails if email in self.by_email}
        ids |= {self.by_phone[phone] for phone in contact.phones if phone in self.by_phone}
        if len(ids) > 1:
            names = ", ".join(f"{self.people[pid].name} (#{pid})" for pid in sorted(ids))
            return None, (f"its uid, emails or phones belong to {len(ids)} different people ({names}); "
                          "nothing was merged")
        if ids:
            return self.people[ids.pop()], None
        named = [self.people[pid] for pid in sorted(self.by_name.get(fold(contact.name), set()))]
        fitting = [person for person in named if not _contradicts(person, contact)]
        if len(fitting) == 1:
            return fitting[0], None
        identified = contact.uid or contact.emails or contact.phones
        if len(fitting) > 1 and not identified:
            return None, (f"its name matches {len(fitting)} people and it has no email or phone to "
                          "tell them apart; nothing was merged")
        return None, None


def _contradicts(person: Person, contact: Contact) -> bool:
    """True when both have emails (or phones, or uids) and, since none matched, they differ."""
    return bool((person.emails and contact.emails) or (person.phones and contact.phones)
                or (person.uid and contact.uid))


def _merged(person: Person, contact: Contact, tags: tuple[str, ...], uid_free: bool) -> Person:
    notes = person.notes
    new_note = contact.notes.strip()
    if new_note and new_note not in notes:
        notes = f"{notes}\n\n{new_note}" if notes else new_note
    return replace(
        person,
        emails=union(person.emails, contact.emails, key=str),
        phones=union(person.phones, contact.phones, key=str),
        links=union(person.links, contact.links, key=str),
        tags=union(person.tags, (*contact.tags, *tags)),
        notes=notes,
        uid=person.uid or (contact.uid if uid_free else None),
    )


def _new_person(contact: Contact, tags: tuple[str, ...], uid_free: bool, now: float) -> Person:
    return Person(
        id=0, name=" ".join(contact.name.split())[:MAX_NAME_LENGTH], every_days=None,
        tags=union((), (*contact.tags, *tags)), emails=union((), contact.emails, key=str),
        phones=union((), contact.phones, key=str), links=union((), contact.links, key=str),
        notes=contact.notes.strip(), last_talked=None, created=now,
        uid=contact.uid if uid_free else None,
    )


def import_people(store: Store, path: Path, tags: Iterable[str] = (),
                  progress_callback: ProgressCallback | None = None, *, now: float | None = None,
                  zone: tzinfo | None = None) -> ImportReport:
    """Import the vCard or CSV file ``path``, adding ``tags`` to everyone in it (see module doc).

    Unreadable files and unknown layouts raise InputError before anything is written;
    broken records are reported in ``ImportReport.skipped`` and the rest import. The
    whole file is one transaction: an unexpected failure leaves the store untouched.
    """
    now = time.time() if now is None else now
    zone = zone or local_zone()
    extra = union((), tags)
    layout, total, records = read_records(path, zone)
    report = ImportReport(file=str(path), layout=layout)
    with store.transaction() as connection:
        merger = _Merger(load_all(connection))
        for done, record in enumerate(records, start=1):
            if isinstance(record, Skipped):
                report.skipped.append(record)
            else:
                _import_one(connection, merger, record, extra, now, zone, report)
            if progress_callback is not None:
                progress_callback(done, total)
    log.info("imported %s (%s): %d added, %d merged, %d unchanged, %d skipped", path, layout,
             report.added, report.merged, report.unchanged, len(report.skipped))
    return report


def _import_one(connection: Connection, merger: _Merger, contact: Contact,
                tags: tuple[str, ...], now: float, zone: tzinfo, report: ImportReport) -> None:
    if contact.last_contacted is not None and contact.last_contacted > now:
        when = datetime.fromtimestamp(contact.last_contacted, zone).strftime("%Y-%m-%d %H:%M")
        report.skipped.append(Skipped(report.file, contact.line,
                                      f"Last Contacted {when} is in the future", contact.name))
        return
    person, problem = merger.match(contact)
    if problem is not None:
        report.skipped.append(Skipped(report.file, contact.line, problem, contact.name))
        return
    uid_free = bool(contact.uid) and contact.uid not in merger.by_uid
    added = person is None
    changed = False
    if person is None:
        draft = _new_person(contact, tags, uid_free, now)
        person = replace(draft, id=insert_person(connection, draft))
        merger.remember(person)
    else:
        updated = _merged(person, contact, tags, uid_free)
        if updated != person:
            update_person(connection, updated)
            merger.remember(updated)
            changed = True
    if contact.last_contacted is not None and insert_interaction(
            connection, person.id, contact.last_contacted, "other", LAST_CONTACTED_NOTE,
            contact.interaction_source):
        report.interactions += 1
        changed = True
    if added:
        report.added += 1
    elif changed:
        report.merged += 1
    else:
        report.unchanged += 1
