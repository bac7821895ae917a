"""Which stored person an imported record is, and what merging it into them changes.

Only the same person merges. A record and a stored person *share* an identifier when
they have the same uid, an email (lowercased) or a phone (compared with
``phones.phone_key``, so ``5555550100`` in region US is ``+15555550100``). Sharing one
merges them only when their **names agree** (the same words, case, accents and order
ignored; a person's aliases count) or one side has **no name** (it is called by its
email or phone). So a family sharing a landline, a couple sharing an email or two cards
that happen to share a uid stay separate people: the new one is *kept apart* and listed
as a possible duplicate, for ``unscroll people merge`` to join if they are one.

A record sharing identifiers with several people whose names all agree is skipped
rather than guessed at. A record sharing nothing is merged into the one person with the
same name unless both carry emails (or phones, or uids) that differ; else it is added.

Merging only adds: emails, phones, links and tags are united, new notes appended, a
missing uid filled in, a nameless person given the record's name, a missing birthday or
anniversary filled in (or its year, when the month and day agree; a different date
already stored stays). So importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from monitor.people.birthdays import birth_year, month_day
from monitor.people.importers.records import Contact
from monitor.people.importers.report import Sharer
from monitor.people.model import MAX_NAME_LENGTH, Person, name_key, names_agree, union
from monitor.people.phones import phone_key


@dataclass(frozen=True)
class Match:
    """The stored person a record is (or None), or why it cannot be decided, and who it shares with."""

    person: Person | None
    problem: str | None = None
    sharers: tuple[Sharer, ...] = ()
    """People of other names sharing an identifier with the record (when it is added apart)."""


class Merger:
    """The people of the store indexed by uid, email, phone and name, kept current while importing."""

    def __init__(self, people: Iterable[Person], region: str | None) -> None:
        """Index ``people``; phones are compared as read in ``region``."""
        self.region = region
        self.people: dict[int, Person] = {}
        self.by_uid: dict[str, int] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_phone: dict[str, set[int]] = {}
        self.by_name: dict[tuple[str, ...], set[int]] = {}
        for person in people:
            self.remember(person)

    def key(self, phone: str) -> str:
        """The comparison key of a phone (see ``phones.phone_key``)."""
        return phone_key(phone, self.region)

    def _index(self, person: Person, add: bool) -> None:
        names = {name_key(name) for name in (person.name, *person.aliases)}
        entries = [(self.by_email, email) for email in person.emails]
        entries += [(self.by_phone, self.key(phone)) for phone in person.phones]
        for index, value in entries:
            if add:
                index.setdefault(value, set()).add(person.id)
            else:
                index.get(value, set()).discard(person.id)
        for name in names:
            if add:
                self.by_name.setdefault(name, set()).add(person.id)
            else:
                self.by_name.get(name, set()).discard(person.id)
        if person.uid and add:
            self.by_uid.setdefault(person.uid, person.id)

    def remember(self, person: Person) -> None:
        """Index ``person`` (new, or changed since it was last remembered)."""
        old = self.people.get(person.id)
        if old is not None:
            self._index(old, add=False)
        self.people[person.id] = person
        self._index(person, add=True)

    def _shared(self, contact: Contact) -> dict[int, str]:
        """Person id → the first identifier the record shares with them."""
        shared: dict[int, str] = {}
        if contact.uid and contact.uid in self.by_uid:
            shared[self.by_uid[contact.uid]] = f"uid {contact.uid}"
        for email in contact.emails:
            for pid in sorted(self.by_email.get(email, ())):
                shared.setdefault(pid, email)
        for phone in contact.phones:
            for pid in sorted(self.by_phone.get(self.key(phone), ())):
                shared.setdefault(pid, phone)
        return shared

    def match(self, contact: Contact) -> Match:
        """The stored person ``contact`` is (see the module doc)."""
        shared = self._shared(contact)
        agreeing = [pid for pid in shared if _agree(self.people[pid], contact)]
        if len(agreeing) > 1:
            owner = self.by_uid.get(contact.uid) if contact.uid else None
            if owner in agreeing:
                return Match(self.people[owner])
            names = ", ".join(f"{self.people[pid].name} (#{pid})" for pid in sorted(agreeing))
            return Match(None, f"its uid, emails or phones belong to {len(agreeing)} different people "
                               f"({names}); nothing was merged")
        if agreeing:
            return Match(self.people[agreeing[0]])
        sharers = tuple(Sharer(pid, self.people[pid].name, what) for pid, what in shared.items())
        if not contact.named:
            return Match(None, sharers=sharers)
        named = [self.people[pid] for pid in sorted(self.by_name.get(name_key(contact.name), ()))]
        fitting = [person for person in named if not _contradicts(person, contact)]
        if len(fitting) == 1:
            return Match(fitting[0])
        if len(fitting) > 1 and not (contact.uid or contact.emails or contact.phones):
            return Match(None, f"its name matches {len(fitting)} people and it has no email or phone to "
                               "tell them apart; nothing was merged")
        return Match(None, sharers=sharers)


def _agree(person: Person, contact: Contact) -> bool:
    """The same person by name: the names agree, or one side has none."""
    return not contact.named or not person.has_name or names_agree(person, contact.name)


def _contradicts(person: Person, contact: Contact) -> bool:
    """True when both have emails (or phones, or uids) and, since none is shared, they differ."""
    return bool((person.emails and contact.emails) or (person.phones and contact.phones)
                or (person.uid and contact.uid))


def _date_merged(stored: str | None, imported: str | None) -> str | None:
    """The stored birthday (or anniversary), filled in or given its year from the imported one."""
    if imported is None or stored == imported:
        return stored
    if stored is None or (month_day(stored) == month_day(imported) and birth_year(stored) is None):
        return imported
    return stored


def _count(label: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    added = len(after) - len(before)
    return [f"{added} {label}{'' if added == 1 else 's'}"] if added else []


def merged(person: Person, contact: Contact, tags: tuple[str, ...], *, uid_free: bool,
           every_days: float | None, key: Callable[[str], str]) -> tuple[Person, tuple[str, ...]]:
    """``person`` with ``contact`` merged in, and what that changed (empty when nothing)."""
    notes = person.notes
    new_note = contact.notes.strip()
    if new_note and new_note not in notes:
        notes = f"{notes}\n\n{new_note}" if notes else new_note
    name = person.name if person.has_name or not contact.named else contact.name[:MAX_NAME_LENGTH]
    updated = replace(
        person, name=name,
        emails=union(person.emails, contact.emails, key=str),
        phones=union(person.phones, contact.phones, key=key),
        links=union(person.links, contact.links, key=str),
        tags=union(person.tags, (*contact.tags, *tags)),
        notes=notes,
        uid=person.uid or (contact.uid if uid_free else None),
        every_days=person.every_days if every_days is None else every_days,
        birthday=_date_merged(person.birthday, contact.birthday),
        anniversary=_date_merged(person.anniversary, contact.anniversary),
    )
    changes = [*_count("email", person.emails, updated.emails),
               *_count("phone", person.phones, updated.phones),
               *_count("link", person.links, updated.links), *_count("tag", person.tags, updated.tags)]
    changes += [f"name (was {person.name})"] if updated.name != person.name else []
    changes += ["notes"] if updated.notes != person.notes else []
    changes += ["uid"] if updated.uid != person.uid else []
    changes += ["every"] if updated.every_days != person.every_days else []
    changes += [f"birthday {updated.birthday}"] if updated.birthday != person.birthday else []
    changes += [f"anniversary {updated.anniversary}"] if updated.anniversary != person.anniversary else []
    changes += ["details"] if updated != person and not changes else []
    return updated, tuple(changes)


def new_person(contact: Contact, tags: tuple[str, ...], *, uid_free: bool, every_days: float | None,
               now: float, key: Callable[[str], str]) -> Person:
    """The person ``contact`` becomes when it matches no one."""
    return Person(
        id=0, name=" ".join(contact.name.split())[:MAX_NAME_LENGTH], every_days=every_days,
        tags=union((), (*contact.tags, *tags)), emails=union((), contact.emails, key=str),
        phones=union((), contact.phones, key=key), links=union((), contact.links, key=str),
        notes=contact.notes.strip(), last_talked=None, created=now,
        uid=contact.uid if uid_free else None, birthday=contact.birthday, anniversary=contact.anniversary,
    )
